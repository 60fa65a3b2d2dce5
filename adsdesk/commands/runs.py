"""``adsdesk runs``: repeat bookings — set a weekday pattern or 长期, stop one, list runs ending."""

from __future__ import annotations

import argparse
import datetime as dt

from adsdesk.commands.common import open_db, print_json
from adsdesk.errors import EXIT_OK, UserError

NAME = "runs"
HELP = "连续/定期刊登：每周几、长期（至撤销），以及即将到期待续订的广告"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=["ending", "set", "stop", "extend"], help="做什么")
    parser.add_argument("ad", nargs="?", type=int, metavar="AD", help="广告编号（set、stop）")
    parser.add_argument("--within", type=int, default=7, help="ending：几天内到期（默认 7）")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="以哪一天为今天（默认今天）")
    parser.add_argument("--weekdays", metavar="每周二、四", help="set：刊登的星期")
    parser.add_argument(
        "--from", dest="start", metavar="YYYY-MM-DD", help="set：起始日；stop：从哪天起停"
    )
    parser.add_argument("--until", metavar="YYYY-MM-DD", help="set：截止日（不写则为长期）")
    parser.add_argument("--json", action="store_true", help="以 JSON 打印")


def _date(text: str | None, what: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(f"{what}“{text}”不是有效日期，应写成 2024-03-05 这样。") from None


def run(args: argparse.Namespace) -> int:
    from adsdesk.domain.repeats import HORIZON_DAYS, PatternError, RunPattern, parse_weekdays
    from adsdesk.store.ads import AdNotFound, load_ad, save_ad
    from adsdesk.store.runs import extend_open_runs, runs_ending

    today = _date(args.today, "--today") or dt.date.today()
    open_db(args, existing=True)
    if args.action == "ending":
        if args.within < 0:
            raise UserError("--within 不能是负数。")
        rows = runs_ending(today, args.within)
        if args.json:
            print_json(
                {
                    "today": today.isoformat(),
                    "within": args.within,
                    "runs": [r.as_dict() for r in rows],
                }
            )
        elif not rows:
            print(f"{args.within} 天内没有到期的广告。")
        else:
            for r in rows:
                phones = "、".join(r.phones) or "（无电话）"
                print(
                    f"#{r.ad_id} {r.title}  {r.advertiser}  {phones}  末期 {r.last_date.isoformat()}"
                    f"（{r.days_left} 天后，还剩 {r.runs_left} 期）"
                )
        return EXIT_OK
    if args.action == "extend":
        added = extend_open_runs(today + dt.timedelta(days=HORIZON_DAYS))
        print(
            f"长期广告已排到 {(today + dt.timedelta(days=HORIZON_DAYS)).isoformat()}，新增 {added} 期。"
        )
        return EXIT_OK
    if args.ad is None:
        raise UserError(f"请写出广告编号：adsdesk runs {args.action} AD。")
    try:
        draft = load_ad(args.ad)
    except AdNotFound as exc:
        raise UserError(str(exc)) from None
    if args.action == "set":
        if not args.weekdays:
            raise UserError("请用 --weekdays 写出刊登的星期，例如 --weekdays 每周二、四。")
        start = _date(args.start, "--from") or today
        until = _date(args.until, "--until")
        try:
            pattern = RunPattern(parse_weekdays(args.weekdays), start, until)
        except PatternError as exc:
            raise UserError(str(exc)) from None
        through = until or (max(start, today) + dt.timedelta(days=HORIZON_DAYS))
        kept = [d for d in draft.dates if d < start]
        draft.dates = sorted(set(kept) | set(pattern.dates(through)))
        draft.repeat = pattern
        save_ad(draft)
        print(f"#{args.ad}：{pattern.describe()}；已排 {len(pattern.dates(through))} 期。")
        return EXIT_OK
    # stop: no more runs from --from (default tomorrow); earlier ones stay booked
    stop = _date(args.start, "--from") or today + dt.timedelta(days=1)
    draft.dates = [d for d in draft.dates if d < stop]
    if draft.repeat is not None:
        end = stop - dt.timedelta(days=1)
        draft.repeat = (
            RunPattern(draft.repeat.weekdays, draft.repeat.start, end)
            if end >= draft.repeat.start
            else None
        )
    save_ad(draft)
    print(f"#{args.ad}：自 {stop.isoformat()} 起停登。")
    return EXIT_OK
