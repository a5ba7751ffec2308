"""Console forms name the entry they refuse, in place of Django's generic messages."""

import pytest

from shegong.activities.forms import ActivityForm
from shegong.campaigns.forms import KpiForm
from shegong.orgs.forms import UnitContactForm


def test_form_messages_name_the_field_and_keep_those_the_form_wrote():
    form = UnitContactForm({"contact_person": "王\x00芳", "contact_phone": "1" * 31})

    assert form.errors == {
        "contact_person": [
            "联系人中有无法保存的控制字符（多为从其他文件粘贴带入），请删除后重新填写。"
        ],
        "contact_phone": ["联系电话不能超过 30 个字符。"],
    }


@pytest.mark.django_db
def test_form_messages_name_a_choice_no_longer_offered():
    form = ActivityForm({"campaign": "999999", "kind": "poster", "title": "张贴海报"})

    assert form.errors["campaign"] == [
        "所选的所属宣传活动不在可选范围内（可能已停用或已删除），请重新选择。"
    ]
    assert form.errors["starts_at"] == ["请填写活动时间。"]


def test_form_messages_with_a_percent_in_the_label_are_shown_as_written():
    form = KpiForm({"awareness_rate": "-1"})

    assert form.errors["awareness_rate"] == ["“社会工作知晓率（%）”的目标值不能为负数。"]
