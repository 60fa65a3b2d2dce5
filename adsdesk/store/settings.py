"""Desk settings and the category list, read and written through the models."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace

from adsdesk.domain.profile import PaperProfile
from adsdesk.store.actor import ADMIN, current_actor
from adsdesk.store.audit import diff, record
from adsdesk.store.database import StoreError
from adsdesk.store.models import Category, RefusedPhone, db
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
    stored = {key: value for key, value in db.execute_sql("SELECT key, value FROM setting")}
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


# --- row versions ------------------------------------------------------------------------
# Each setting is a row with a version; the category list and the refuse list, kept in their
# own tables, have their version on a row of their own here. A save names the versions its
# copy was loaded at: a part someone else saved since is refused, never overwritten; parts
# only one of them changed are both kept.

CATEGORIES, REFUSED = "list.categories", "list.refused"
LABELS: dict[str, str] = {
    "paper_name": "报纸名称",
    "section_name": "栏目名称",
    "area_code": "本地区号",
    "hotlines": "受理热线",
    "cutoff_days_before": "截稿天数",
    "cutoff_time": "截稿时刻",
    "sign_in": "启动时登录",
    "backup_dir": "备份文件夹",
    CATEGORIES: "分类",
    REFUSED: "拒登号码",
}
OTHER_LABELS: dict[str, str] = {"column_settings": "版面设置", "till.cancel_fee": "取消手续费"}


@dataclass(frozen=True)
class Stamp:
    """A settings row's version and who saved it last, when (version 0: never saved)."""

    version: int = 0
    by: str = ""
    at: dt.datetime | None = None


def stamps() -> dict[str, Stamp]:
    """Every settings row's stamp, by key."""
    out = {}
    for key, version, by, at in db.execute_sql(
        "SELECT key, version, updated_by, updated_at FROM setting"
    ):
        when = at if isinstance(at, dt.datetime) or at is None else dt.datetime.fromisoformat(at)
        out[str(key)] = Stamp(int(version or 1), str(by or ""), when)
    return out


class StaleSetting(StoreError):
    """A setting was saved elsewhere since this copy was loaded: nothing was written.

    ``keys``: the parts both changed; ``stored``: the settings as they are now (a
    :class:`SettingsCopy` from the settings dialog's save, else None)."""

    def __init__(self, keys: list[str], stamp: Stamp, stored: SettingsCopy | None = None) -> None:
        names = "、".join(f"“{LABELS.get(k) or OTHER_LABELS.get(k, k)}”" for k in keys)
        when = f"{stamp.at:%Y-%m-%d %H:%M:%S}" if stamp.at else "刚才"
        who = stamp.by or "另一台电脑"
        super().__init__(
            f"设置{names}已由 {who} 于 {when} 修改过，您的保存没有写入，以免覆盖对方的修改。"
            "请对照两份内容后选择保留哪一份。"
        )
        self.keys = keys
        self.stamp = stamp
        self.stored = stored


def write_setting(key: str, value: object, expected: int | None = None) -> bool:
    """Store one setting (as JSON), its version moved on; call inside a transaction.

    ``expected``: the version the caller's copy was loaded at (0: not stored then), None to
    save over whatever is stored. False, and nothing written, when the row has moved on.
    """
    text = json.dumps(value, ensure_ascii=False)
    who, now = current_actor().label, dt.datetime.now().replace(microsecond=0)
    p = db.param
    if expected is None or expected > 0:
        where = "" if expected is None else f" AND version = {p}"
        params: list[object] = [text, who, now, key]
        if expected is not None:
            params.append(expected)
        cursor = db.execute_sql(
            f"UPDATE setting SET value = {p}, version = COALESCE(version, 1) + 1, "
            f"updated_by = {p}, updated_at = {p} WHERE key = {p}{where}",
            params,
        )
        if cursor.rowcount or expected is not None:
            return bool(cursor.rowcount)
    cursor = db.execute_sql(
        "INSERT INTO setting (key, value, version, updated_by, updated_at) "
        f"VALUES ({p}, {p}, 1, {p}, {p}) ON CONFLICT (key) DO NOTHING",
        (key, text, who, now),
    )
    return bool(cursor.rowcount)


def save_settings(settings: DeskSettings, base: DeskSettings | None = None) -> None:
    """Store the settings that differ from ``base`` (default: from what is stored), over
    whatever is stored. The settings dialog saves through :func:`save_copy` instead, which
    refuses a part someone else saved since it was opened."""
    require(ADMIN, "修改设置")
    with db.atomic():
        before = asdict(load_settings())
        was = asdict(base) if base is not None else before
        mine = asdict(settings)
        keys = [k for k in mine if mine[k] != was[k] and mine[k] != before[k]]
        changes = diff({k: before[k] for k in keys}, {k: mine[k] for k in keys})
        if changes:
            record("settings.update", "settings", None, changes)
        for key in keys:
            write_setting(key, mine[key])


@dataclass
class SettingsCopy:
    """What 设置 shows and saves: the settings, the category and refuse lists, and the
    version of each part as loaded."""

    settings: DeskSettings
    categories: list[str]
    refused: list[RefusedEntry]
    stamps: dict[str, Stamp]

    def part(self, key: str) -> object:
        """One part's value, for comparing two copies."""
        if key == CATEGORIES:
            return list(self.categories)
        if key == REFUSED:
            return {e.display: e.reason for e in self.refused}
        return asdict(self.settings)[key]


def load_copy() -> SettingsCopy:
    """The settings with their versions, for the settings dialog. The versions are read
    first: a save landing in between makes the copy look older than it is (a needless
    refusal at worst), never newer (which could let a stale change through)."""
    seen = stamps()
    return SettingsCopy(load_settings(), list_categories(), list_refused(), seen)


def save_copy(mine: SettingsCopy, base: SettingsCopy) -> SettingsCopy:
    """Save what the clerk changed in 设置 (``mine`` against ``base``, the copy the dialog
    opened with), in one transaction; returns the settings as now stored.

    A part (a setting, the category list, the refuse list) that the clerk changed and someone
    else saved since ``base`` was loaded is refused with :class:`StaleSetting`, and nothing is
    written; parts only one of them changed are all kept.
    """
    require(ADMIN, "修改设置")
    changed = changed_parts(mine, base)
    with db.atomic():
        now = stamps()
        moved = [
            k for k in changed if now.get(k, Stamp()).version != base.stamps.get(k, Stamp()).version
        ]
        if moved:
            latest = max(
                (now[k] for k in moved if k in now), key=lambda st: st.at or dt.datetime.min
            )
            raise StaleSetting(moved, latest, load_copy())
        fields = [k for k in changed if k not in (CATEGORIES, REFUSED)]
        if fields:
            before = asdict(load_settings())
            after = asdict(mine.settings)
            record(
                "settings.update",
                "settings",
                None,
                diff({k: before[k] for k in fields}, {k: after[k] for k in fields}),
            )
            for key in fields:
                if not write_setting(key, after[key], base.stamps.get(key, Stamp()).version):
                    raise StaleSetting([key], stamps().get(key, Stamp()), load_copy())
        for key in (CATEGORIES, REFUSED):
            if key not in changed:
                continue
            expected = base.stamps.get(key, Stamp()).version
            if not _bump_list(key, expected):
                raise StaleSetting([key], stamps().get(key, Stamp()), load_copy())
            if key == CATEGORIES:
                _set_categories(mine.categories, bump=False)
            else:
                _set_refused(mine.refused, bump=False)
        return load_copy()


def changed_parts(mine: SettingsCopy, base: SettingsCopy) -> list[str]:
    """The parts (setting keys, ``CATEGORIES``, ``REFUSED``) that differ between two copies."""
    return [k for k in LABELS if mine.part(k) != base.part(k)]


def rebase(mine: SettingsCopy, base: SettingsCopy, onto: SettingsCopy) -> SettingsCopy:
    """``onto`` (the settings as now stored) with the parts the clerk changed in ``mine``
    (against ``base``, what they opened) put in: what "keep mine" saves, so that parts only
    the other desk changed stay as that desk saved them."""
    changed = changed_parts(mine, base)
    fields = {k: getattr(mine.settings, k) for k in changed if k not in (CATEGORIES, REFUSED)}
    return SettingsCopy(
        settings=replace(onto.settings, **fields),
        categories=list(mine.categories if CATEGORIES in changed else onto.categories),
        refused=list(mine.refused if REFUSED in changed else onto.refused),
        stamps=dict(onto.stamps),
    )


def describe_part(copy: SettingsCopy, key: str) -> str:
    """One part of a copy as a line of text, for showing two copies side by side."""
    value = copy.part(key)
    if key == REFUSED and isinstance(value, dict):
        text = "；".join(f"{n}（{r}）" if r else n for n, r in value.items()) or "（无）"
    elif isinstance(value, list):
        text = "、".join(str(v) for v in value) or "（无）"
    elif isinstance(value, bool):
        text = "是" if value else "否"
    else:
        text = str(value) if value not in ("", None) else "（空）"
    return f"{LABELS.get(key, key)}：{text}"


def _bump_list(key: str, expected: int | None = None) -> bool:
    """Move a list's version on (False when it moved on since ``expected``)."""
    return write_setting(key, "", expected)


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


def _set_categories(names: list[str], bump: bool = True) -> None:
    clean = [n.strip() for n in names if n.strip()]
    with db.atomic():
        changes = diff(
            {"categories": list_categories()}, {"categories": list(dict.fromkeys(clean))}
        )
        if changes:
            record("settings.categories", "settings", None, changes)
            if bump:
                _bump_list(CATEGORIES)
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
    # Plain SQL for the usual case, a known name: every save asks, inside its transaction.
    found = db.execute_sql(f"SELECT id FROM category WHERE name = {db.param}", (name,)).fetchone()
    if found is not None:
        return int(found[0])
    cat = Category.get_or_none(Category.name == name)
    if cat is None:
        last = Category.select().order_by(Category.position.desc()).first()
        cat = Category.create(name=name, position=(last.position + 1) if last else 0)
        _bump_list(CATEGORIES)  # a settings dialog opened before must not drop it
    return int(cat.id)


@dataclass(frozen=True)
class RefusedEntry:
    e164: str
    display: str
    reason: str


def list_refused() -> list[RefusedEntry]:
    # Plain SQL: every save's wording check reads the list.
    rows = db.execute_sql(
        "SELECT e164, display, reason FROM refused_phone WHERE active = "
        f"{db.param} ORDER BY display",
        (True,),
    ).fetchall()
    return [RefusedEntry(e164, display, reason) for e164, display, reason in rows]


def set_refused(entries: list[RefusedEntry]) -> None:
    require(ADMIN, "修改拒登名单")
    _set_refused(entries)


def _set_refused(entries: list[RefusedEntry], bump: bool = True) -> None:
    with db.atomic():
        old = {e.display: e.reason for e in list_refused()}
        new = {e.display: e.reason for e in {e.e164: e for e in entries}.values()}
        if old != new:
            record("settings.refused", "settings", None, {"refused": [old, new]})
            if bump:
                _bump_list(REFUSED)
        delete_rows(RefusedPhone).execute()
        for e in {e.e164: e for e in entries}.values():
            RefusedPhone.create(e164=e.e164, display=e.display, reason=e.reason)


def refused_numbers() -> dict[str, str]:
    """E.164 -> reason for every refused number."""
    return {e.e164: e.reason for e in list_refused()}
