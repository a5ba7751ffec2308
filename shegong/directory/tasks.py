from django_tasks import task

from .services import poster_build


@task()
def poster_generate(listing_id: int, size: str) -> int:
    """Render a poster in the background; the console page offers it once it exists."""
    return poster_build(listing_id=listing_id, size=size).pk
