"""Fill a database with the shipped sample column (大同日报 便民信息, booked on 2023-02-24)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace

from adsdesk.assets import resource_path
from adsdesk.domain.phone_check import check_phone
from adsdesk.store.actor import Actor
from adsdesk.store.ads import AdDraft, PhoneEntry, count_ads, save_ad
from adsdesk.store.models import Advertiser, db
from adsdesk.store.settings import (
    DeskSettings,
    ensure_default_categories,
    list_categories,
    save_settings,
    set_categories,
)

SAMPLE_NAME = "bianmin-2023-02-24.json"
SAMPLE_DATE = dt.date(2023, 2, 24)
# Titles that describe the offer, not who placed it: such ads are filed under their phone.
GENERIC_TITLES = {"出售", "售房", "房屋出售", "特价售房", "敬告", "出租", "求租", "招聘"}


@dataclass(frozen=True)
class SampleAd:
    category: str
    title: str
    body: str
    phones: tuple[str, ...]


def load_sample() -> tuple[dict[str, object], list[SampleAd]]:
    """The sample column's masthead and ads, from the copy shipped in resources."""
    data = json.loads(resource_path("samples", SAMPLE_NAME).read_text(encoding="utf-8"))
    ads = [SampleAd(a["category"], a["title"], a["body"], tuple(a["phones"])) for a in data["ads"]]
    return data["masthead"], ads


def fill_demo() -> int:
    """Load the sample column unless this database already holds ads; returns ads added."""
    if count_ads() > 0:
        return 0
    masthead, ads = load_sample()
    with db.atomic():
        # The sample is the default paper's own column, with the hotlines it prints.
        settings = replace(
            DeskSettings(),
            hotlines=[str(h) for h in masthead["hotlines"]],  # type: ignore[attr-defined]
            section_name=str(masthead["title"]),
        )
        save_settings(settings)
        ensure_default_categories()
        set_categories(_merge_categories([a.category for a in ads]))
        ids = []
        for ad in ads:
            name = _advertiser_name(ad, ads)
            checks = [check_phone(p, settings.area_code) for p in ad.phones]
            entries = [PhoneEntry(c.e164, c.display) for c in checks if c.e164]
            ad_id = save_ad(
                AdDraft(
                    category=ad.category,
                    title=ad.title,
                    body=ad.body,
                    phones=entries,
                    advertiser_id=_existing_advertiser(name),
                    advertiser_name=name,
                    dates=[SAMPLE_DATE],
                )
            )
            ids.append(ad_id)
        book_demo_orders(ids, SAMPLE_DATE)
    return len(ads)


DEMO_METHODS = ("现金", "微信", "支付宝", "现金", "银行转账")


def book_demo_orders(ad_ids: list[int], day: dt.date) -> None:
    """Price the sample ads under the shipped default card as orders taken and paid on ``day``
    (paid by turns in cash, WeChat, Alipay and bank transfer), so prices, receipts and a
    cash-up show at once."""
    from adsdesk.store.orders import book_order, take_payment
    from adsdesk.store.ratecards import list_cards, save_card

    if not list_cards():
        save_card(resource_path("ratecards", "default.toml").read_text(encoding="utf-8"))
    for n, ad_id in enumerate(ad_ids):
        method = DEMO_METHODS[n % len(DEMO_METHODS)]
        order = book_order(ad_id, method=method, today=day)
        if order.total_fen:
            take_payment(order.id, order.total_fen, method, today=day)


def _merge_categories(sample: list[str]) -> list[str]:
    names = list_categories()
    for c in sample:
        if c not in names:
            names.insert(max(len(names) - 1, 0), c)
    return names


def _advertiser_name(ad: SampleAd, ads: list[SampleAd]) -> str:
    if ad.title and ad.title not in GENERIC_TITLES:
        return ad.title
    for other in ads:  # an untitled ad shares its advertiser with a titled ad of the same phone
        if other.title and other.title not in GENERIC_TITLES and set(other.phones) & set(ad.phones):
            return other.title
    if ad.phones:
        return f"个人客户 {ad.phones[0]}"
    return "大同日报传媒集团广告公司"


def _existing_advertiser(name: str) -> int | None:
    row = Advertiser.get_or_none(Advertiser.name == name)
    return int(row.id) if row else None


# The demo desk's accounts (README lists them): user name, password, roles, full name.
DEMO_ACCOUNTS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("admin", "admin123", ("admin",), "管理员"),
    ("lihua", "lihua123", ("clerk",), "李华"),
    ("wang", "wang123", ("supervisor", "clerk"), "王主管"),
    ("zhao", "zhao123", ("layout",), "赵排版"),
    ("qian", "qian123", ("cashier",), "钱会计"),
)
DEMO_CLERK = "lihua"


def ensure_demo_accounts() -> None:
    """Create the demo accounts on a demo database that has none yet."""
    from adsdesk.store import users
    from adsdesk.store.actor import acting_as

    if users.has_users():
        return
    name, password, roles, full = DEMO_ACCOUNTS[0]
    users.add_user(name, password, roles, full)
    with acting_as(users.sign_in(name, password)):
        for name, password, roles, full in DEMO_ACCOUNTS[1:]:
            users.add_user(name, password, roles, full)


def demo_clerk() -> Actor:
    """The demo opens signed in as the demo clerk."""
    from adsdesk.store import users

    password = next(p for n, p, _r, _f in DEMO_ACCOUNTS if n == DEMO_CLERK)
    return users.sign_in(DEMO_CLERK, password)
