from urllib.parse import unquote

import pytest
from django.test import RequestFactory

from shegong.core.http import (
    attachment_response,
    client_address,
    content_disposition,
    download_name,
)


def _request(forwarded=None, remote="10.0.0.2"):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/help/", **headers)


def test_without_proxies_a_forged_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    assert client_address(_request("203.0.113.9")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (1, "203.0.113.9", "203.0.113.9"),
        # The client wrote the left part itself; only what our proxy appended counts.
        (1, "198.51.100.1, 203.0.113.9", "203.0.113.9"),
        (2, "198.51.100.1, 203.0.113.9, 10.0.0.7", "203.0.113.9"),
        (1, " 2001:db8::1 ", "2001:db8::1"),
        (1, "", "10.0.0.2"),
        (2, "203.0.113.9", "10.0.0.2"),
        (1, "not-an-address", "10.0.0.2"),
    ],
)
def test_behind_proxies_the_address_our_outermost_proxy_saw(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_address(_request(forwarded)) == expected


def test_attachment_names_the_file_in_chinese_with_an_ascii_fallback():
    response = attachment_response(
        b"x",
        name="海口市2023年社会工作主题宣传活动方案.docx",
        fallback="haikou-2023-notice.docx",
        content_type="application/octet-stream",
    )

    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="haikou-2023-notice.docx"; ')
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert encoded.isascii()
    assert unquote(encoded) == "海口市2023年社会工作主题宣传活动方案.docx"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ('秀英区/龙华区:"总结"?.docx', "秀英区_龙华区_总结.docx"),
        ("..\\..\\报告\x00.pdf", "报告.pdf"),
        ("   .xlsx", "download.xlsx"),
        ("二维码·公交12路", "二维码·公交12路"),
    ],
)
def test_download_name_keeps_a_file_name_a_pc_accepts(name, expected):
    assert download_name(name) == expected


def test_inline_file_keeps_its_names():
    disposition = content_disposition("海报（A4）.pdf", fallback="poster-A4.pdf", inline=True)

    assert disposition.startswith('inline; filename="poster-A4.pdf"; filename*=UTF-8')
