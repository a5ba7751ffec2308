"""Public pages of the campaigns app: published documents (此件主动公开). No login."""

from django.db.models import F
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import cache_control

from . import documents
from .models import Campaign


def _published(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.published().select_related("issuer"), slug=slug)


@cache_control(public=True, max_age=300)
def document_index(request: HttpRequest) -> HttpResponseBase:
    """Every document disclosed of the issuer's own accord, newest first."""
    documents_ = (
        Campaign.objects.published()
        .select_related("issuer")
        .order_by(F("signed_on").desc(nulls_last=True), "-starts_on", "-id")
    )
    return render(request, "campaigns/public_index.html", {"documents": documents_})


@cache_control(public=True, max_age=300)
def document_page(request: HttpRequest, slug: str) -> HttpResponseBase:
    campaign = _published(slug)
    return render(
        request,
        "campaigns/public_document.html",
        {
            "campaign": campaign,
            "paragraphs": documents.notice_paragraphs(campaign),
            "note": documents.disclosure_note(campaign),
            "sections": documents.plan_sections(campaign),
            "numbers": documents.SECTION_NUMBERS,
            "pdf_available": documents.pdf_available(),
        },
    )


def document_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
    if fmt not in documents.CONTENT_TYPES:
        raise Http404
    return documents.notice_response(_published(slug), fmt, cached=True)
