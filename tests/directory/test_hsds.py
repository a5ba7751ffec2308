"""Every HSDS response validates against the Open Referral 3.0 JSON schemas (copied here)."""

import json
from pathlib import Path

import jsonschema
import pytest

SCHEMAS = Path(__file__).parent / "hsds_schema"


def _schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def _validate(data, schema: dict) -> None:
    jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    ).validate(data)


def _page_schema(item_schema: dict) -> dict:
    page = _schema("openapi.json")["components"]["schemas"]["Page"]
    return {
        "allOf": [page],
        "type": "object",
        "required": [*page["properties"], "contents"],
        "properties": {"contents": {"type": "array", "items": item_schema}},
    }


def test_hsds_root(anonymous, db):
    data = anonymous.get("/api/hsds/").json()

    openapi = _schema("openapi.json")
    root_schema = openapi["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    _validate(data, root_schema)
    assert data["version"] == "3.0"


def test_hsds_services_paginated_and_valid(anonymous, listing, sibling_listing):
    first = anonymous.get("/api/hsds/services?per_page=3").json()
    second = anonymous.get("/api/hsds/services?per_page=3&page=2").json()

    for page in (first, second):
        _validate(page, _page_schema(_schema("service_list.json")))
    assert first["total_items"] == 4
    assert first["total_pages"] == 2
    assert (first["first_page"], first["last_page"], first["size"]) == (True, False, 3)
    assert (second["first_page"], second["last_page"], second["size"]) == (False, True, 1)
    names = [s["name"] for s in first["contents"] + second["contents"]]
    assert names == ["秀英街道服务0", "秀英街道服务1", "中山街道服务0", "中山街道服务1"]


def test_hsds_service_detail_valid(anonymous, listing):
    service = listing.services.first()

    response = anonymous.get(f"/api/hsds/services/{service.hsds_id}")

    data = response.json()
    _validate(data, _schema("service.json"))
    assert data["organization"]["name"] == "秀英街道社工站"
    assert data["phones"][0]["number"] == "0898-68650001"
    assert data["eligibility_description"] == "独居老人；70 岁以上"


def test_hsds_organizations_paginated_and_valid(anonymous, listing, sibling_listing):
    data = anonymous.get("/api/hsds/organizations").json()

    _validate(data, _page_schema(_schema("organization_list.json")))
    assert data["total_items"] == 2
    assert data["empty"] is False


def test_hsds_organization_detail_valid(anonymous, listing):
    data = anonymous.get(f"/api/hsds/organizations/{listing.hsds_id}").json()

    _validate(data, _schema("organization.json"))
    assert [s["name"] for s in data["services"]] == ["秀英街道服务0", "秀英街道服务1"]
    assert data["contacts"][0]["name"] == "王海燕"
    assert data["locations"][0]["latitude"] == 20.02


def test_hsds_services_filtered_by_organization(anonymous, listing, sibling_listing):
    data = anonymous.get(f"/api/hsds/services?organization_id={sibling_listing.hsds_id}").json()

    assert [s["name"] for s in data["contents"]] == ["中山街道服务0", "中山街道服务1"]


def test_hsds_empty_list_is_valid(anonymous, db):
    data = anonymous.get("/api/hsds/services").json()

    _validate(data, _page_schema(_schema("service_list.json")))
    assert data["empty"] is True


@pytest.mark.parametrize(
    "url",
    [
        "/api/hsds/services/not-a-uuid",
        "/api/hsds/organizations/00000000-0000-0000-0000-000000000000",
    ],
)
def test_hsds_unknown_id_is_404_in_json(anonymous, db, url):
    response = anonymous.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": "not found"}


@pytest.mark.parametrize(
    "url", ["/api/hsds/services?page=x", "/api/hsds/services?organization_id=nope"]
)
def test_hsds_bad_parameter_is_400_in_json(anonymous, db, url):
    response = anonymous.get(url)
    assert response.status_code == 400
    assert "must be" in response.json()["error"]


@pytest.mark.parametrize("page", ["9223372036854775807", "99999999999999999999"])
def test_hsds_page_far_beyond_the_last_is_empty_not_an_error(anonymous, listing, page):
    response = anonymous.get(f"/api/hsds/services?page={page}")

    assert response.status_code == 200
    data = response.json()
    _validate(data, _page_schema(_schema("service_list.json")))
    assert (data["contents"], data["size"], data["last_page"]) == ([], 0, True)
    assert data["total_items"] == 2
