from shegong.core.models import AuditEntry
from shegong.orgs.models import Unit
from shegong.orgs.services import unit_update, units_load_divisions


def test_units_load_divisions_builds_haikou_tree(db):
    count = units_load_divisions()

    assert count == 50
    assert Unit.objects.get(level=Unit.Level.CITY).name == "海口市民政局"
    districts = Unit.objects.districts()
    assert set(districts.values_list("name", flat=True)) == {
        "秀英区民政局",
        "龙华区民政局",
        "琼山区民政局",
        "美兰区民政局",
        "桂林洋经济开发区社会事业管理科",
    }
    real_stations = Unit.objects.stations().filter(is_demo=False)
    assert real_stations.count() == 43
    assert Unit.objects.get(code="460107104").name == "三门坡镇社工站"
    assert Unit.objects.get(code="460108005").name == "人民街道社工站"


def test_units_load_divisions_zone_reports_to_city_but_lies_in_meilan(db):
    units_load_divisions()

    zone = Unit.objects.get(code="460108400")
    assert zone.level == Unit.Level.DISTRICT
    assert zone.parent.code == "460100"
    assert zone.located_in_code == "460108"
    zone_station = Unit.objects.get(parent=zone)
    assert zone_station.is_demo
    assert zone_station.path == "460100/460108400/460108400-1/"


def test_units_load_divisions_is_idempotent(db):
    units_load_divisions()
    station = Unit.objects.get(code="460105001")
    station.contact_phone = "0898-68651227"
    station.save()

    assert units_load_divisions() == 50
    station.refresh_from_db()
    assert station.contact_phone == "0898-68651227"


def test_unit_update_records_changed_fields(station, district_officer):
    unit_update(
        actor=district_officer, unit=station, contact_person="王芳", contact_phone="13800138000"
    )

    entry = AuditEntry.objects.get(action="unit.update")
    assert entry.actor == district_officer
    assert entry.changes == {"contact_person": ["", "王芳"], "contact_phone": ["", "13800138000"]}
    assert entry.scope_path == station.path


def test_unit_update_without_change_writes_no_audit(station, district_officer):
    unit_update(actor=district_officer, unit=station, contact_person="", contact_phone="")

    assert not AuditEntry.objects.exists()


def test_units_load_divisions_reads_english_area_names(db):
    units_load_divisions()

    assert Unit.objects.get(code="460105").area_name_en == "Xiuying District"
    assert Unit.objects.get(code="460108007").area_name_en == "Hepingnan Subdistrict"
    assert Unit.objects.get(code="460107104").area_name_en == "Sanmenpo Town"


def test_unit_area_label_follows_the_active_language(db):
    from django.utils import translation

    units_load_divisions()
    district = Unit.objects.get(code="460105")

    with translation.override("en"):
        assert (district.area_label, district.area_label_lang) == ("Xiuying District", "en")
    with translation.override("zh-hans"):
        assert (district.area_label, district.area_label_lang) == ("秀英区", "zh-Hans")
    district.area_name_en = ""
    with translation.override("en"):
        assert (district.area_label, district.area_label_lang) == ("秀英区", "zh-Hans")
