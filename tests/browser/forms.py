"""Submitting a form in a browser test: the click starts a navigation, and on a loaded machine
the next line can run against the page being left. Every submit waits for the new page."""


def submit(page, selector: str) -> None:
    """Click the submit control at `selector` and return once the answer page has loaded."""
    with page.expect_navigation(wait_until="load"):
        page.click(selector)
