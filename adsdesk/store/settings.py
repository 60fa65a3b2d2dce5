"""Desk settings and the category list, read and written through the models."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

from adsdesk.domain.profile import PaperProfile
from adsdesk.store.actor import ADMIN
from adsdesk.store.audit import diff, record
from adsdesk.store.models import Category, RefusedPhone, Setting, db
from adsdesk.store.paper_default import DEFAULT_PROFILE
from adsdesk.store.rows import delete_rows
from adsdesk.store.users import require

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "公告",
    "房屋出售",
    "房屋出租",
    "招聘",
    "养老服务",
    "医疗体检",
    "教育培训",
    "家居服务",
    "食品",
    "酒类",
    "遗失声明",
    "其他",
)


@dataclass
class DeskSettings:
    """Everything set in 设置: the paper (see :meth:`profile`), booking cut-offs, sign-in."""

    paper_name: str = DEFAULT_PROFILE.paper_name
    area_code: str = DEFAULT_PROFILE.area_code
    hotlines: list[str] = field(default_factory=lambda: list(DEFAULT_PROFILE.hotlines))
    section_name: str = DEFAULT_PROFILE.section_name
    # Bookings for an issue close cutoff_days_before days earlier at cutoff_time (HH:MM).
    cutoff_days_before: int = 1
    cutoff_time: str = "16:00"
    sign_in: bool = True  # a one-PC desk may turn sign-in off; records then name the computer
    # Where the daily backups go ("" = the backups folder in the user data folder); best on
    # a second disk or a network share.
    backup_dir: str = ""

    def profile(self) -> PaperProfile:
        """The paper part of the settings, as every other part of the desk receives it."""
        return PaperProfile(
            paper_name=self.paper_name,
            section_name=self.section_name,
            area_code=self.area_code,
            hotlines=tuple(str(h) for h in self.hotlines),
        )


def load_settings() -> DeskSettings:
    stored = {row.key: row.value for row in Setting.select()}
    base = DeskSettings()
    values = asdict(base)
    for key in values:
        if key in stored:
            try:
                values[key] = json.loads(stored[key])
            except ValueError:
                continue  # a damaged value falls back to its default
    return DeskSettings(**values)


def load_profile() -> PaperProfile:
    """The desk's paper profile, to pass down to the checks, dialogs and layout."""
    return load_settings().profile()


def save_settings(settings: DeskSettings) -> None:
    require(ADMIN, "修改设置")
    with db.atomic():
        changes = diff(asdict(load_settings()), asdict(settings))
        if changes:
            record("settings.update", "settings", None, changes)
        for key, value in asdict(settings).items():
            Setting.insert(key=key, value=json.dumps(value, ensure_ascii=False)).on_conflict(
                conflict_target=[Setting.key], preserve=[Setting.value]
            ).execute()


def list_categories() -> list[str]:
    names = [c.name for c in Category.select().order_by(Category.position, Category.id)]
    return names


def ensure_default_categories() -> None:
    if Category.select().exists():
        return
    _set_categories(list(DEFAULT_CATEGORIES))


def set_categories(names: list[str]) -> None:
    """Make the category list exactly ``names`` in that order; unused ones are removed."""
    require(ADMIN, "修改分类")
    _set_categories(names)


def _set_categories(names: list[str]) -> None:
    clean = [n.strip() for n in names if n.strip()]
    with db.atomic():
        changes = diff(
            {"categories": list_categories()}, {"categories": list(dict.fromkeys(clean))}
        )
        if changes:
            record("settings.categories", "settings", None, changes)
        existing = {c.name: c for c in Category.select()}
        for pos, name in enumerate(dict.fromkeys(clean)):
            if name in existing:
                Category.update(position=pos).where(Category.id == existing[name].id).execute()
            else:
                Category.create(name=name, position=pos)
        gone = [c.id for n, c in existing.items() if n not in clean]
        if gone:
            delete_rows(Category).where(Category.id.in_(gone)).execute()


def category_id(name: str) -> int | None:
    """Id of a category by name, created at the end of the list if new."""
    name = name.strip()
    if not name:
        return None
    cat = Category.get_or_none(Category.name == name)
    if cat is None:
        last = Category.select().order_by(Category.position.desc()).first()
        cat = Category.create(name=name, position=(last.position + 1) if last else 0)
    return int(cat.id)


@dataclass(frozen=True)
class RefusedEntry:
    e164: str
    display: str
    reason: str


def list_refused() -> list[RefusedEntry]:
    return [
        RefusedEntry(r.e164, r.display, r.reason)
        for r in RefusedPhone.select().where(RefusedPhone.active).order_by(RefusedPhone.display)
    ]


def set_refused(entries: list[RefusedEntry]) -> None:
    require(ADMIN, "修改拒登名单")
    with db.atomic():
        old = {e.display: e.reason for e in list_refused()}
        new = {e.display: e.reason for e in {e.e164: e for e in entries}.values()}
        if old != new:
            record("settings.refused", "settings", None, {"refused": [old, new]})
        delete_rows(RefusedPhone).execute()
        for e in {e.e164: e for e in entries}.values():
            RefusedPhone.create(e164=e.e164, display=e.display, reason=e.reason)


def refused_numbers() -> dict[str, str]:
    """E.164 -> reason for every refused number."""
    return {e.e164: e.reason for e in list_refused()}
