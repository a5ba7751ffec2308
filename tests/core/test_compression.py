"""HTML pages travel compressed to a phone that accepts gzip; downloads do not."""

import gzip

from django.test import Client


def test_public_page_is_compressed_for_a_browser_that_accepts_gzip(db):
    response = Client().get("/help/track/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "查询求助进度" in html
    assert len(response.content) < 0.6 * len(html.encode())


def test_page_is_plain_for_a_client_without_gzip(db):
    response = Client().get("/help/track/")

    assert "Content-Encoding" not in response
    assert "查询求助进度" in response.content.decode()


def test_healthz_and_other_non_html_answers_are_left_alone(db):
    response = Client().get("/healthz", HTTP_ACCEPT_ENCODING="gzip")

    assert "Content-Encoding" not in response
