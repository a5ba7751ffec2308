"""The audit log in plain language: "张三 受理了求助「求助 HK23-4567」", "状态：待受理 → 已受理".

Core knows no domain app. Each app may hold an ``audit_labels`` module with:

- ``ACTIONS = {"helprequest.accepted": "受理了", ...}``: the verb of each action it records,
  read before the target's kind ("受理了" + "求助" + its name); a verb ending in "。" is the
  whole sentence (登录了系统。);
- ``FIELDS = {"escalated_to": "上报至"}`` (optional): labels of change keys that are not
  model fields (model fields use their ``verbose_name``);
- ``LINKS = {"helprequest": resolver}`` (optional): for a model name, a function taking
  target ids and returning ``{id: (url, name)}``: the record's console page, looked up when
  a reader follows the entry's link (``core:audit_target``), so the list's queries stay
  the same whatever it shows;
- ``NAMES = {"helprequest": function}`` (optional): the stored name as a person reads it
  today (a help request's code with its dash, also in entries written before).
"""

import datetime
import importlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse

# Verbs for actions no app describes, by the last part of their code.
GENERIC_VERBS = {
    "create": "新建了",
    "update": "修改了",
    "save": "保存了",
    "delete": "删除了",
    "submit": "提交了",
    "publish": "发布了",
}
EMPTY = "（空）"


@dataclass(frozen=True)
class AuditVocabulary:
    actions: dict[str, str]
    groups: list[tuple[str, list[tuple[str, str]]]]  # (app name, [(code, label)]) for a <select>
    fields: dict[str, str]
    links: dict[str, Callable[[list[str]], dict[str, tuple[str, str | None]]]]
    names: dict[str, Callable[[str], str]]


@dataclass
class AuditLine:
    """One entry as a sentence: ``actor`` ``verb`` ``kind``「``target``」, and its changes."""

    entry: object
    actor: str
    verb: str
    kind: str
    target: str
    url: str = ""
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def has_object(self) -> bool:
        return bool(self.target) and not self.verb.endswith("。")


def _labels_module(config):
    name = f"{config.name}.audit_labels"
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as missing:
        if missing.name != name:
            raise  # the module exists and something it imports does not: a real error
        return None


def audit_vocabulary() -> AuditVocabulary:
    """What every app says about its actions (Python caches the imports)."""
    actions: dict[str, str] = {}
    groups = []
    fields: dict[str, str] = {}
    links = {}
    names = {}
    for config in apps.get_app_configs():
        module = _labels_module(config)
        if module is None:
            continue
        own = dict(getattr(module, "ACTIONS", {}))
        actions.update(own)
        fields.update(getattr(module, "FIELDS", {}))
        links.update(getattr(module, "LINKS", {}))
        names.update(getattr(module, "NAMES", {}))
        if own:
            groups.append((str(config.verbose_name), [(code, _option(code, own)) for code in own]))
    return AuditVocabulary(actions=actions, groups=groups, fields=fields, links=links, names=names)


def _option(code: str, actions: dict[str, str]) -> str:
    """The action as a filter option: the verb without "了" (受理, 下达任务 …)."""
    return actions[code].replace("了", "", 1).strip("：。 ")


def action_verb(code: str, actions: dict[str, str]) -> str:
    if code in actions:
        return actions[code]
    return GENERIC_VERBS.get(code.rpartition(".")[2], f"操作（{code}）")


def pk_links(url_name: str, *, arg: str = "pk") -> Callable:
    """A resolver for models whose console page takes the primary key alone."""

    def resolve(ids: list[str]) -> dict[str, tuple[str, None]]:
        return {pk: (reverse(url_name, kwargs={arg: int(pk)}), None) for pk in ids if pk.isdigit()}

    return resolve


def _value(model, name: str, value) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    model_field = _model_field(model, name)
    if model_field is not None:
        choices = dict(getattr(model_field, "flatchoices", None) or [])
        if value in choices:
            return str(choices[value])
        if getattr(model_field, "get_internal_type", lambda: "")() == "BooleanField":
            return "是" if value in (True, "True", 1) else "否"
    if isinstance(value, list):
        return "、".join(str(item) for item in value) or EMPTY
    if isinstance(value, datetime.date):
        return f"{value:%Y-%m-%d}"
    text = str(value)
    if re.fullmatch(r"-?\d+\.0+", text):  # a Decimal count stored as "120.00"
        text = text.split(".")[0]
    return text if len(text) <= 80 else text[:79] + "…"


def _model_field(model, name: str):
    """The model's field called ``name``; ``None`` for change keys that are not fields."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_label(model, name: str, fields: dict[str, str]) -> str:
    model_field = _model_field(model, name)
    if model_field is not None:
        return str(getattr(model_field, "verbose_name", name))
    return fields.get(name, name)


def _actor(user) -> str:
    """The person, with their unit when their name does not already say it."""
    if user is None:
        return "系统"
    name = str(user)
    unit = getattr(user, "unit", None)
    return f"{name}（{unit.name}）" if unit is not None and unit.name not in name else name


def audit_lines(entries: Iterable) -> list[AuditLine]:
    """The page's entries as sentences. Records are linked through ``core:audit_target``,
    which finds the record's page when it is followed: the list runs the same queries
    whatever kinds of records it shows."""
    vocabulary = audit_vocabulary()
    lines = []
    for entry in entries:
        model = entry.target_type.model_class() if entry.target_type_id else None
        model_name = entry.target_type.model if entry.target_type_id else ""
        name = vocabulary.names.get(model_name, lambda text: text)(entry.target_repr)
        linked = bool(entry.target_id) and model_name in vocabulary.links
        lines.append(
            AuditLine(
                entry=entry,
                actor=_actor(entry.actor),
                verb=action_verb(entry.action, vocabulary.actions),
                kind=str(model._meta.verbose_name) if model is not None else "",
                target=name,
                url=reverse("core:audit_target", args=[entry.pk]) if linked else "",
                changes=[
                    (
                        _field_label(model, key, vocabulary.fields),
                        _value(model, key, pair[0] if isinstance(pair, list | tuple) else None),
                        _value(model, key, pair[1] if isinstance(pair, list | tuple) else pair),
                    )
                    for key, pair in (entry.changes or {}).items()
                ],
            )
        )
    return lines


def audit_history(record) -> list[AuditLine]:
    """What was done to one record, oldest first, as the audit log's sentences: the history a
    record page shows beside its state."""
    from django.contrib.contenttypes.models import ContentType

    from .models import AuditEntry

    entries = (
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(record), target_id=str(record.pk)
        )
        .select_related("actor__unit", "target_type")
        .order_by("at", "id")
    )
    return audit_lines(entries)


def audit_target_url(entry) -> str:
    """The console page of the record an entry names; "" when it is gone or has none."""
    if not (entry.target_type_id and entry.target_id):
        return ""
    resolve = audit_vocabulary().links.get(entry.target_type.model)
    if resolve is None:
        return ""
    found = resolve([entry.target_id]).get(entry.target_id)
    return found[0] if found else ""
