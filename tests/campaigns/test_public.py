import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shegong.campaigns.models import Campaign
from tests.system_tools import needs_commands


def test_public_document_page_shows_the_full_text_and_downloads(anonymous, haikou):
    response = anonymous.get("/docs/haikou-2023/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "海口市民政局关于印发《海口市2023年社会工作主题宣传活动方案》的通知" in content
    assert "海民发〔2023〕79号" in content
    for heading in ["宣传主题", "活动目标", "活动时间", "活动安排", "有关要求"]:
        assert heading in content
    assert "加强社工品牌打造。" in content
    assert 'href="/docs/haikou-2023/notice.docx"' in content
    assert "<h1>" in content
    assert "此件主动公开" in content


def test_public_document_page_in_english(anonymous, haikou):
    content = anonymous.get("/docs/haikou-2023/?lang=en").content.decode()

    assert "Publicly disclosed document" in content
    assert "Word document (.docx)" in content
    assert "The document is in Chinese." in content
    assert '<html lang="en"' in content


@pytest.mark.parametrize(
    "changes",
    [{"disclosure": Campaign.Disclosure.NOT_PUBLIC}, {"document_number": ""}],
)
def test_public_document_page_hides_undisclosed_documents(anonymous, haikou, changes):
    Campaign.objects.filter(pk=haikou.pk).update(**changes)

    assert anonymous.get("/docs/haikou-2023/").status_code == 404
    assert anonymous.get("/docs/haikou-2023/notice.docx").status_code == 404


def test_public_document_download_docx(anonymous, haikou):
    response = anonymous.get("/docs/haikou-2023/notice.docx")

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_public_document_page_query_count_is_small(anonymous, haikou):
    anonymous.get("/docs/haikou-2023/")
    with CaptureQueriesContext(connection) as queries:
        anonymous.get("/docs/haikou-2023/")

    assert len(queries) <= 3


@needs_commands("libreoffice")
def test_public_document_pdf_is_rendered_once_per_content(anonymous, haikou, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path

    first = anonymous.get("/docs/haikou-2023/notice.pdf")
    cached = list((tmp_path / "documents").glob("haikou-2023-notice-*.pdf"))
    second = anonymous.get("/docs/haikou-2023/notice.pdf")

    assert first.content.startswith(b"%PDF")
    assert second.content == first.content
    assert len(cached) == 1
    Campaign.objects.filter(pk=haikou.pk).update(contact_person="王芳")
    edited = anonymous.get("/docs/haikou-2023/notice.pdf")
    # The edit is rendered anew and the outdated file is gone, so edits do not pile up.
    assert edited.content != first.content
    assert list((tmp_path / "documents").iterdir()) != cached
    assert len(list((tmp_path / "documents").iterdir())) == 1


def test_docs_index_lists_disclosed_documents_only(anonymous, haikou):
    hidden = Campaign.objects.get(pk=haikou.pk)
    hidden.pk = None
    hidden.slug = "haikou-2024-draft"
    hidden.name = "未公开的方案"
    hidden.disclosure = Campaign.Disclosure.NOT_PUBLIC
    hidden.save()

    content = anonymous.get("/docs/").content.decode()

    assert 'href="/docs/haikou-2023/"' in content
    assert "海民发〔2023〕79号" in content
    assert "haikou-2024-draft" not in content


def test_docs_index_is_linked_from_every_public_page_and_in_english(anonymous, haikou):
    assert 'href="/docs/"' in anonymous.get("/").content.decode()
    content = anonymous.get("/docs/?lang=en").content.decode()

    assert "Government information disclosure" in content
    assert 'lang="zh-Hans">海民发〔2023〕79号' in content


@needs_commands("libreoffice")
def test_console_notice_pdf_is_made_as_a_job_then_sent_at_once(
    login, district_officer, haikou, settings, tmp_path
):
    from shegong.jobs.models import Job
    from tests.jobs.helpers import run_queued_jobs

    settings.MEDIA_ROOT = tmp_path
    client = login(district_officer)
    url = "/console/campaigns/haikou-2023/notice.pdf"
    assert "生成 PDF" in client.get(url).content.decode()  # a GET writes nothing
    assert not Job.objects.exists()

    response = client.post(url)
    [job] = run_queued_jobs()

    assert response["Location"] == f"/console/jobs/{job.pk}/"
    assert job.state == Job.State.DONE, job.message
    pdf = b"".join(client.get(f"/console/jobs/{job.pk}/download/").streaming_content)
    assert pdf.startswith(b"%PDF")
    assert client.get(url).content == pdf  # rendered once: now sent at once
