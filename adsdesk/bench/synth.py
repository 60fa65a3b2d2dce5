"""Synthetic desk data for benchmarks: N realistic ads over ten years, bulk-built and cached."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import sqlite3
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from adsdesk import paths
from adsdesk.store.settings import DEFAULT_PROFILE

GENERATOR_VERSION = 1
SEED = 20230224
FIRST_DAY = dt.date(2016, 1, 1)
DAYS = 3653  # ten years: 2016-01-01 … 2025-12-31
CHUNK = 20_000

# --------------------------------------------------------------------------- vocabulary

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
    "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙段雷"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红玉文斌俊峰海燕鹏辉晓东宇鑫宏亮浩然涵萱欣诺远佳怡瑞福贵生荣"
DISTRICTS = (
    "平城区",
    "云冈区",
    "新荣区",
    "云州区",
    "阳高县",
    "天镇县",
    "广灵县",
    "灵丘县",
    "浑源县",
    "左云县",
)
STREETS = (
    "永和路", "恒安街", "云中路", "云中中路", "迎宾街", "魏都大道", "御河西路", "御河东路", "文兴路",
    "北都街", "新建南路", "新建北路", "大庆路", "开源街", "兴云街", "柳航街", "南环路", "同泉路",
    "西环路", "操场城街", "鼓楼东街", "四牌楼", "和阳街", "华严街", "清远街", "向阳街", "太和路",
    "友谊街", "迎泽街", "平城街",
)  # fmt: skip
COMPOUNDS = (
    "奕城名都", "花城尚府", "复地紫城", "E家公寓", "幸福家园", "绿洲西城", "魏都新城", "云锦里",
    "铂蓝郡", "御河湾", "星河湾", "恒大名都", "富力城", "万达广场", "同煤广场", "文瀛湖小区",
    "南关小区", "红旗小区", "和平小区", "民航小区", "怡馨园", "金地花园", "阳光嘉园", "美好家园",
    "泰和园", "东方帝园", "天成名都", "新都小区", "长城小区", "光华小区", "御东新区", "锦绣华庭",
)  # fmt: skip
SCHOOLS = ("23校", "十中", "十三中", "三中", "十四校", "一中", "实验小学", "四中", "二十一中")
BRANDS = (
    "鑫源", "荣鑫", "和平", "馨万家", "宏达", "恒泰", "兴业", "华瑞", "同心", "福康", "康宁", "瑞丰",
    "金鼎", "永安", "德仁", "顺达", "安泰", "万家乐", "惠民", "佳和", "盛世", "天成", "广源", "福瑞",
    "红星", "晋北", "云冈", "平安", "吉祥", "众和", "新华", "长城", "宏远", "圣泉", "益康", "百姓",
)  # fmt: skip
PREFIXES = ("大同", "大同市", "平城区", "云冈区", "山西", "")
SERVICES = (
    "纱窗加工安装", "开锁换锁", "管道疏通", "搬家搬厂", "家电维修", "防水补漏", "家政保洁",
    "空调移机", "水电改造", "疏通下水道", "油烟机清洗", "旧房翻新", "门窗维修", "暖气安装",
    "太阳能维修", "修脚", "防盗门安装", "打孔", "吊顶隔断", "厨卫改造",
)  # fmt: skip
SERVICE_LINES = (
    "厂家直供 品质保证", "终身免费维护", "随叫随到", "价格合理", "专业师傅 上门服务", "二十四小时服务",
    "公安备案", "不通不收费", "免费上门测量", "十年老店 信誉第一", "市区免费上门", "包工包料",
)  # fmt: skip
JOBS = (
    "保洁员", "厨师", "服务员", "司机", "保安", "会计", "销售", "电工", "焊工", "护工", "收银员",
    "月嫂", "育儿嫂", "库管", "面点师", "装卸工", "文员", "导购", "水暖工", "维修工",
)  # fmt: skip
JOB_TERMS = (
    "包吃住", "缴纳五险", "待遇从优", "月薪面议", "长白班", "年龄五十岁以下", "有经验者优先",
    "工作地点在市区", "双休", "提供住宿",
)  # fmt: skip
ELDER_KINDS = ("养老中心", "养老院", "颐养院", "老年公寓", "护理院", "康养中心")
ELDER_LINES = (
    "托养失能、半失能、残疾老人", "医养结合", "二十四小时专人护理", "环境优美", "一日三餐营养搭配",
    "可接受短期托养", "医保定点", "有专职医生和护士", "欢迎实地参观",
)  # fmt: skip
HOSPITALS = (
    "和平医院",
    "仁爱医院",
    "同济医院",
    "康复医院",
    "中西医结合医院",
    "口腔医院",
    "眼科医院",
)
SCHOOL_KINDS = ("职业专修学院", "培训学校", "驾校", "艺术学校", "职业技术学校", "教育中心")
COURSES = (
    "成人学历常年招生", "专业齐全", "会计培训", "电工焊工取证", "厨师培训", "美容美发", "中小学辅导",
    "驾照C1C2", "钢琴书法", "小班授课",
)  # fmt: skip
FOODS = (
    "石磨浆水豆腐", "手工月饼", "广灵豆腐干", "浑源凉粉", "大同黄花", "阳高杏脯", "莜面", "黄糕",
    "羊杂", "刀削面", "兔头", "小米", "胡麻油", "醋",
)  # fmt: skip
FOOD_LINES = ("不加卤水 不加石膏", "不加任何添加剂", "健康放心", "现做现卖", "批发零售", "送货上门")
LIQUORS = ("古井贡酒 年份原浆", "汾酒", "杏花村", "竹叶青", "二锅头", "莜麦酒", "老白干", "西凤酒")
DOCUMENTS = (
    "身份证", "营业执照正本", "营业执照副本", "公章", "财务专用章", "发票专用章", "出生医学证明",
    "道路运输证", "驾驶证", "不动产权证书", "残疾人证", "退伍证", "教师资格证", "食品经营许可证",
)  # fmt: skip
NOTICES = ("注销公告", "减资公告", "清算公告", "敬告", "公告")
MOBILE_PREFIXES = (
    "131", "132", "133", "134", "135", "136", "137", "139", "147", "150", "151", "152", "153",
    "155", "157", "158", "159", "177", "178", "180", "181", "182", "183", "184", "187", "188",
    "189", "130", "138", "156", "176", "185", "186", "173",
)  # fmt: skip
# Category, share of ads, average ads per advertiser (businesses repeat, people rarely do).
CATEGORIES = (
    ("公告", 0.03, 3.0),
    ("房屋出售", 0.17, 1.4),
    ("房屋出租", 0.12, 1.6),
    ("招聘", 0.12, 8.0),
    ("养老服务", 0.06, 60.0),
    ("医疗体检", 0.05, 80.0),
    ("教育培训", 0.06, 30.0),
    ("家居服务", 0.15, 25.0),
    ("食品", 0.05, 20.0),
    ("酒类", 0.03, 40.0),
    ("遗失声明", 0.15, 1.1),
    ("其他", 0.01, 2.0),
)


@dataclass
class _Advertiser:
    id: int
    name: str
    address: str
    phones: list[tuple[str, str]]  # (e164, as printed)


class _Words:
    """Random desk vocabulary from one seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.pick = rng.choice
        self.rand = rng.random

    def num(self, lo: int, hi: int) -> int:
        return lo + int(self.rand() * (hi - lo + 1))

    def person(self) -> str:
        given = self.pick(GIVEN) + (self.pick(GIVEN) if self.rand() < 0.7 else "")
        return self.pick(SURNAMES) + given

    def address(self) -> str:
        return f"大同市{self.pick(DISTRICTS)}{self.pick(STREETS)}{self.num(1, 300)}号"

    def company(self, business: str) -> str:
        return f"{self.pick(PREFIXES)}{self.pick(BRANDS)}{business}"

    def mobile(self) -> tuple[str, str]:
        digits = self.pick(MOBILE_PREFIXES) + f"{self.num(0, 99_999_999):08d}"
        shown = digits if self.rand() < 0.9 else f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        return "+86" + digits, shown

    def landline(self) -> tuple[str, str]:
        sub = f"{self.num(2, 8)}{self.num(0, 999_999):06d}"
        area = DEFAULT_PROFILE.area_code
        shown = f"{area}-{sub}" if self.rand() < 0.6 else sub
        return f"+86{area[1:]}{sub}", shown

    def phone(self, landline_share: float) -> tuple[str, str]:
        return self.landline() if self.rand() < landline_share else self.mobile()

    def credit_code(self) -> str:
        tail = "".join(self.pick("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
        return f"91140200{tail}{self.num(0, 9)}X"[:18]


def _advertiser_for(w: _Words, category: str, adv_id: int) -> _Advertiser:
    """A made-up advertiser who places ads in ``category``."""
    person = category in ("房屋出售", "房屋出租", "遗失声明", "其他") and w.rand() < 0.8
    if person:
        name = w.person()
    elif category == "养老服务":
        name = w.company(w.pick(ELDER_KINDS))
    elif category == "医疗体检":
        name = f"{w.pick(('大同', '大同市', '平城'))}{w.pick(HOSPITALS)}"
        if w.rand() < 0.5:
            name = f"{w.pick(('大同', '大同市'))}{w.pick(BRANDS)}{w.pick(HOSPITALS)[-2:]}"
    elif category == "教育培训":
        name = w.company(w.pick(SCHOOL_KINDS))
    elif category == "家居服务":
        name = f"{w.pick(BRANDS)}{w.pick(SERVICES)[:2]}服务部"
    elif category == "食品":
        name = f"{w.pick(BRANDS)}{w.pick(FOODS)}坊"
    elif category == "酒类":
        name = f"{w.pick(BRANDS)}酒业"
    else:
        name = w.company(w.pick(("商贸有限公司", "建筑工程有限公司", "物业公司", "餐饮有限公司")))
    address = "" if person else w.address()
    landline_share = 0.0 if person else 0.4
    phones = [w.phone(landline_share) for _ in range(1 if person else w.num(1, 3))]
    return _Advertiser(adv_id, name, address, phones)


def _ad_text(w: _Words, category: str, adv: _Advertiser, phones: str) -> tuple[str, str]:
    """(title, body) of one ad; ``phones`` is how its numbers are printed."""
    tel = w.pick(("联系电话:", "电话:", "电话 ", "联系电话", "热线:", ""))
    if category == "房屋出售":
        title = w.pick(("房屋出售", "特价售房", "售房", "出售", "急售", "", adv.name))
        extra = w.pick(
            (
                "家具齐全,拎包入住",
                "大红本",
                "南北通透",
                "带车库",
                "即买即住",
                "满五唯一",
                "简装可议",
            )
        )
        school = f",{w.pick(SCHOOLS)}学区" if w.rand() < 0.15 else ""
        body = (
            f"{w.pick(COMPOUNDS)}{w.num(1, 30)}号楼{w.num(40, 180)}.{w.num(0, 99):02d}平米,"
            f"{w.num(1, 33)}层,{w.pick(('简装', '精装', '毛坯', '豪装'))},{extra}{school},"
            f"价格面议。{tel}{phones}"
        )
    elif category == "房屋出租":
        title = w.pick(("房屋出租", "出租", "门面出租", "写字楼出租", "求租"))
        body = (
            f"{w.pick(COMPOUNDS)}{w.num(1, 4)}室{w.num(1, 2)}厅,{w.num(30, 160)}平米,"
            f"{w.pick(('简装', '精装', '家电齐全', '可做办公'))},月租{w.num(5, 40)}00元,"
            f"{w.pick(('押一付三', '半年起租', '年付优惠', '随时看房'))}。{tel}{phones}"
        )
    elif category == "招聘":
        title = w.pick(("招聘", f"{adv.name}招聘", "诚聘"))
        body = (
            f"{adv.name}因业务发展需要,诚聘{w.pick(JOBS)}{w.num(1, 10)}名,"
            f"{w.pick(JOBS)}{w.num(1, 5)}名,{w.pick(JOB_TERMS)},{w.pick(JOB_TERMS)},"
            f"月薪{w.num(25, 90)}00元。{tel}{phones} {w.pick(SURNAMES)}{w.pick(('女士', '先生', '经理'))}"
        )
    elif category == "养老服务":
        title = adv.name
        body = (
            f"{w.pick(ELDER_LINES)},{w.pick(ELDER_LINES)},{w.pick(ELDER_LINES)},"
            f"床位{w.num(30, 300)}张。地址:{adv.address} {tel}{phones}"
        )
    elif category == "医疗体检":
        title = w.pick((adv.name, "", f"{adv.name}体检中心"))
        body = (
            f"{adv.name}体检中心开展职业健康、入职、从业人员体检。承接个人、单位团体、厂矿、食品、"
            f"药品等健康证。提供预约外出上门体检服务。地址:{adv.address} {phones} "
            f"(晋)医广【{w.num(2016, 2025)}】第{w.num(1, 12):02d}-{w.num(1, 30):02d}-{w.num(1, 99):02d}号"
        )
    elif category == "教育培训":
        title = adv.name
        body = f"{w.pick(COURSES)},{w.pick(COURSES)}!{w.pick(COURSES)}。{tel}{phones}" + (
            " 微信同号" if w.rand() < 0.3 else ""
        )
    elif category == "家居服务":
        title = w.pick(SERVICES)
        body = f"{w.pick(SERVICE_LINES)}\n{w.pick(SERVICE_LINES)}\n{tel}{phones}"
    elif category == "食品":
        title = w.pick(FOODS)
        body = (
            f"{w.pick(FOOD_LINES)} {w.pick(FOOD_LINES)}\n{adv.name} {w.pick(FOOD_LINES)}\n"
            f"许可证: SXZF {w.num(10**12, 10**13 - 1)}(p) 电话: {phones}"
        )
    elif category == "酒类":
        title = w.pick(LIQUORS)
        body = f"经销地址:{adv.address}\n订酒热线:{phones}\n{adv.name}诚招各区县代理"
    elif category == "遗失声明":
        title = w.pick(("遗失声明", "", "声明"))
        holder = adv.name if w.rand() < 0.6 else w.company("商贸有限公司")
        doc = w.pick(DOCUMENTS)
        number = (
            w.credit_code() if "章" in doc or "执照" in doc else f"1402{w.num(10**13, 10**14 - 1)}"
        )
        body = f"{holder}遗失{doc},证号:{number},声明作废。"
    elif category == "公告":
        title = w.pick(NOTICES)
        body = (
            f"{adv.name}经股东会决议,拟向登记机关申请{w.pick(('注销', '减资'))}登记,"
            f"请债权人自本公告之日起45日内向本公司清算组申报债权。联系人:{w.person()} 电话:{phones}"
        )
    else:
        title = w.pick(("寻人启事", "转让", "收购", ""))
        body = f"{w.pick(('旧家具', '二手车', '废旧物资', '门市'))}{title or '转让'},有意者请联系。{tel}{phones}"
    return title, body


# --------------------------------------------------------------------------- generation


@dataclass(frozen=True)
class SynthRows:
    """One chunk of rows ready for executemany."""

    ads: list[tuple[object, ...]]
    phones: list[tuple[object, ...]]
    insertions: list[tuple[object, ...]]


class SynthCorpus:
    """Deterministic advertisers and ads for a corpus of ``n_ads``."""

    def __init__(self, n_ads: int, category_ids: dict[str, int], seed: int = SEED) -> None:
        self.n_ads = n_ads
        self.words = _Words(random.Random(seed))
        self.category_ids = category_ids
        self.pools: dict[str, list[_Advertiser]] = {}
        self.advertisers: list[_Advertiser] = []
        for name, share, per_advertiser in CATEGORIES:
            size = max(2, round(n_ads * share / per_advertiser))
            pool = []
            for _ in range(size):
                adv = _advertiser_for(self.words, name, len(self.advertisers) + 1)
                self.advertisers.append(adv)
                pool.append(adv)
            self.pools[name] = pool
        self._cum: list[tuple[float, str]] = []
        acc = 0.0
        for name, share, _ in CATEGORIES:
            acc += share
            self._cum.append((acc, name))

    def _category(self) -> str:
        x = self.words.rand() * self._cum[-1][0]
        for edge, name in self._cum:
            if x < edge:
                return name
        return self._cum[-1][1]

    def chunks(self, size: int = CHUNK) -> Iterator[SynthRows]:
        """Ads in id order (1 … n), oldest first, with their phones and insertion dates."""
        w = self.words
        span = DAYS - 8
        ins_id = phone_id = 0
        for start in range(0, self.n_ads, size):
            ads: list[tuple[object, ...]] = []
            phones: list[tuple[object, ...]] = []
            insertions: list[tuple[object, ...]] = []
            for ad_id in range(start + 1, min(start + size, self.n_ads) + 1):
                category = self._category()
                pool = self.pools[category]
                adv = pool[int(len(pool) * w.rand() ** 2)]  # a few advertisers place most ads
                used = adv.phones if len(adv.phones) < 3 or w.rand() < 0.5 else adv.phones[:1]
                printed = ",".join(shown for _, shown in used)
                title, body = _ad_text(w, category, adv, printed)
                day = FIRST_DAY + dt.timedelta(days=(ad_id - 1) * span // self.n_ads)
                stamp = f"{day.isoformat()} {w.num(8, 17):02d}:{w.num(0, 59):02d}:00"
                ads.append(
                    (ad_id, self.category_ids[category], adv.id, title, body, "", stamp, stamp)
                )
                for pos, (e164, shown) in enumerate(used):
                    phone_id += 1
                    phones.append((phone_id, ad_id, e164, shown, pos))
                runs = w.pick((1, 1, 1, 2, 2, 3, 3, 5, 7))
                step = w.pick((1, 1, 2, 7))
                for k in range(runs):
                    ins_id += 1
                    when = (day + dt.timedelta(days=1 + k * step)).isoformat()
                    insertions.append((ins_id, ad_id, when, stamp))
            yield SynthRows(ads, phones, insertions)


# --------------------------------------------------------------------------- building


@dataclass(frozen=True)
class SynthInfo:
    path: Path
    ads: int
    build_s: float  # seconds the build took (when reused: the original build)
    data_s: float
    index_s: float
    reused: bool


def synth_db_path(n_ads: int) -> Path:
    from adsdesk.store.database import SCHEMA_VERSION
    from adsdesk.store.search_schema import INDEX_VERSION

    version = f"g{GENERATOR_VERSION}-s{SCHEMA_VERSION}-i{INDEX_VERSION}"
    name = f"synth-{n_ads}-{version}.sqlite3"
    return paths.cache_dir() / "bench" / name


def ensure_synth_db(n_ads: int) -> SynthInfo:
    """The cached synthetic database of ``n_ads`` ads, built first if missing."""
    path = synth_db_path(n_ads)
    sidecar = path.with_suffix(".json")
    if path.exists() and sidecar.exists():
        facts = json.loads(sidecar.read_text(encoding="utf-8"))
        return SynthInfo(
            path, n_ads, facts["build_s"], facts["data_s"], facts["index_s"], reused=True
        )
    return build_synth_db(path, n_ads)


def _load(con: sqlite3.Connection, corpus: SynthCorpus) -> None:
    """Insert the corpus into bare tables (secondary indexes dropped, then built once)."""
    tables = ("advertiser", "advertiser_phone", "ad", "ad_phone", "insertion")
    indexes = con.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(tables))})",
        tables,
    ).fetchall()
    con.execute("BEGIN")
    for name, _ in indexes:
        con.execute(f'DROP INDEX "{name}"')
    now = "2016-01-01 08:00:00"
    con.executemany(
        "INSERT INTO advertiser (id, name, address, note, created_at) VALUES (?, ?, ?, '', ?)",
        ((a.id, a.name, a.address, now) for a in corpus.advertisers),
    )
    con.executemany(
        "INSERT INTO advertiser_phone (advertiser_id, e164, display) VALUES (?, ?, ?)",
        ((a.id, e164, shown) for a in corpus.advertisers for e164, shown in dict(a.phones).items()),
    )
    for rows in corpus.chunks():
        con.executemany(
            "INSERT INTO ad (id, category_id, advertiser_id, title, body, override_reason, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows.ads,
        )
        con.executemany(
            "INSERT INTO ad_phone (id, ad_id, e164, display, position) VALUES (?, ?, ?, ?, ?)",
            rows.phones,
        )
        con.executemany(
            "INSERT INTO insertion (id, ad_id, date, created_at) VALUES (?, ?, ?, ?)",
            rows.insertions,
        )
    for _, sql in indexes:
        con.execute(sql)
    con.execute("COMMIT")


def build_synth_db(path: Path, n_ads: int, seed: int = SEED) -> SynthInfo:
    """Build the database at ``path`` (replacing it): bulk load, then the search index."""
    from adsdesk.store.database import close_db, init_db
    from adsdesk.store.models import db
    from adsdesk.store.search_bulk import bulk_load
    from adsdesk.store.settings import ensure_default_categories

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for old in (partial, path, path.with_suffix(".json")):
        old.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    t0 = time.perf_counter()
    init_db(partial)
    ensure_default_categories()
    ids = dict(db.connection().execute("SELECT name, id FROM category").fetchall())
    close_db()

    con = sqlite3.connect(partial, isolation_level=None)
    for pragma in (
        "journal_mode=OFF",
        "synchronous=OFF",
        "cache_size=-262144",
        "temp_store=MEMORY",
    ):
        con.execute(f"PRAGMA {pragma}")
    with bulk_load(con, workers=2):  # no per-row index upkeep; one index build at the end
        _load(con, SynthCorpus(n_ads, ids, seed))
        data_s = time.perf_counter() - t0
    index_s = time.perf_counter() - t0 - data_s
    con.execute("ANALYZE")
    con.execute("PRAGMA journal_mode=WAL")
    con.close()
    os.replace(partial, path)
    build_s = time.perf_counter() - t0
    facts = {"ads": n_ads, "build_s": build_s, "data_s": data_s, "index_s": index_s}
    path.with_suffix(".json").write_text(json.dumps(facts), encoding="utf-8")
    return SynthInfo(path, n_ads, build_s, data_s, index_s, reused=False)


if __name__ == "__main__":  # python -m adsdesk.bench.synth N
    info = ensure_synth_db(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
    print(json.dumps({k: str(v) for k, v in info.__dict__.items()}, ensure_ascii=False))
