"""Wording rules: 广告法 superlatives and the per-category rules, found with their spans."""

from __future__ import annotations

import importlib
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

__all__ = ["RULE_TITLES", "Finding", "Level", "check_wording", "domains_for"]

Level = Literal["block", "warn"]


@dataclass(frozen=True)
class Finding:
    """One problem in an ad's text; ``text[start:end] == term`` for word rules."""

    rule: str
    level: Level
    start: int
    end: int
    message: str
    term: str

    def as_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "rule": self.rule,
            "level": self.level,
            "start": self.start,
            "end": self.end,
            "message": self.message,
            "term": self.term,
        }


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class _Rule:
    level: Level
    title: str
    law: str
    what: str  # may contain {term}
    todo: str


_RULES: dict[str, _Rule] = {
    "adlaw.superlative.banned": _Rule(
        "block",
        "绝对化用语·禁用",
        "广告法第九条第三项",
        "「{term}」属绝对化用语，广告中禁止使用",
        "请删除或改写；确需保留须由主管审批放行。",
    ),
    "adlaw.superlative.warn": _Rule(
        "warn",
        "绝对化用语·须证实",
        "广告法第九条第三项、第四条",
        "「{term}」属最高级或排他性表述，只有能证明属实时才可使用",
        "请向客户索取证明材料，否则请改写。",
    ),
    "medical.approval_missing": _Rule(
        "warn",
        "医疗广告审查证明",
        "广告法第四十六条、《医疗广告管理办法》",
        "医疗广告未见《医疗广告审查证明》文号",
        "请查验证明原件，并在广告中注明文号，如「(晋)医广【2023】第01-30-10号」。",
    ),
    "medical.efficacy": _Rule(
        "block",
        "医疗广告·功效承诺",
        "广告法第十六条第一项、第二项",
        "「{term}」属对疗效、安全性的断言或保证，或宣传治愈率、有效率，医疗广告禁止使用",
        "请删除。",
    ),
    "healthfood.disclaimer_missing": _Rule(
        "warn",
        "保健食品·提示语",
        "广告法第十八条第二款",
        "保健食品广告未见「本品不能代替药物」字样",
        "请在广告中显著标明「本品不能代替药物」。",
    ),
    "healthfood.disease_claim": _Rule(
        "block",
        "保健食品·疾病宣传",
        "广告法第十八条第一款第二项",
        "「{term}」涉及疾病预防、治疗功能，保健食品广告禁止宣传",
        "请删除。",
    ),
    "food.licence_missing": _Rule(
        "warn",
        "食品生产经营许可",
        "食品安全法第三十五条",
        "食品广告未见食品生产或经营许可证编号",
        "请查验许可证（或小作坊登记证）并在广告中注明编号，如「许可证: SXZF 1251402130017(p)」。",
    ),
    "housing.school_district": _Rule(
        "warn",
        "房产广告·学区宣传",
        "广告法第二十六条第四项",
        "「{term}」属学区、学位类宣传，可能对文化教育设施作误导宣传",
        "请核实，不得承诺入学；建议删除或改为客观的位置描述。",
    ),
    "housing.hukou": _Rule(
        "warn",
        "房产广告·户口承诺",
        "《房地产广告发布规定》",
        "「{term}」属为购房人办理户口的承诺",
        "房产广告不得承诺落户，请删除。",
    ),
    "housing.appreciation": _Rule(
        "block",
        "房产广告·升值承诺",
        "广告法第二十六条第一项",
        "「{term}」属升值或投资回报的承诺，房地产广告中禁止",
        "请删除；确需保留须由主管审批放行。",
    ),
    "housing.travel_time": _Rule(
        "warn",
        "房产广告·以时间表示位置",
        "广告法第二十六条第二项",
        "「{term}」以到达某处所需时间表示房屋位置",
        "请改为地址或距离描述。",
    ),
    "housing.permit_missing": _Rule(
        "warn",
        "房产广告·预售许可",
        "《房地产广告发布规定》",
        "开发商售房广告未见预售或销售许可证号",
        "请查验许可证并注明证号；居民个人售房不适用此条。",
    ),
    "education.guarantee": _Rule(
        "block",
        "教育培训·保证性承诺",
        "广告法第二十四条第一项、第二项",
        "「{term}」属对通过考试、升学或取得证书的保证性承诺，或暗示命题人员参与",
        "请删除。",
    ),
    "recruit.discrimination": _Rule(
        "block",
        "招聘·就业歧视",
        "就业促进法第三条、妇女权益保障法第四十三条",
        "「{term}」属以性别、婚育状况或地域设限的歧视性招聘条件",
        "请删除该条件。",
    ),
    "recruit.age_height": _Rule(
        "warn",
        "招聘·年龄身高限制",
        "就业促进法第三条（公平就业）、本报招聘广告刊登规范",
        "「{term}」是与岗位未必相关的年龄或身高条件",
        "请与客户核实是否确属岗位需要，否则请删除。",
    ),
    "recruit.fee": _Rule(
        "block",
        "招聘·向求职者收费",
        "劳动合同法第九条",
        "「{term}」：用人单位不得要求求职者提供担保或以任何名义收取财物",
        "请删除收费内容。",
    ),
    "liquor.drinking": _Rule(
        "warn",
        "酒类广告·诱导饮酒",
        "广告法第二十三条第一项、第二项",
        "「{term}」属诱导饮酒或表现饮酒动作的表述",
        "请改写。",
    ),
    "lost.void_missing": _Rule(
        "warn",
        "遗失声明·声明作废",
        "",
        "遗失声明未见「声明作废」字样",
        "请在末尾加上「声明作废」。",
    ),
    "lost.seal_police_report": _Rule(
        "warn",
        "遗失声明·公章",
        "",
        "遗失公章须先向公安机关报案",
        "请查验报案证明（回执）后再刊登。",
    ),
}

#: Chinese title of every rule id, for lists and filters in the UI.
RULE_TITLES: dict[str, str] = {rule_id: rule.title for rule_id, rule in _RULES.items()}

# The recruitment rule cites a different law for the regional terms.
_LAW_LOCAL = "就业促进法第三条、人力资源市场暂行条例第二十四条"


def _message(rule_id: str, term: str, law: str | None = None) -> str:
    rule = _RULES[rule_id]
    cite = law if law is not None else rule.law
    what = rule.what.format(term=term)
    return f"【{rule.title}】{what}" + (f"（{cite}）" if cite else "") + f"。{rule.todo}"


# --------------------------------------------------------------------------- terms
# Patterns run on the half-width fold of the text (see _fold), case-insensitively.


@dataclass(frozen=True)
class _Term:
    rule: str
    domain: str
    pattern: str
    law: str | None = None  # overrides the rule's law for this term
    negatable: bool = False  # "不收押金" is no finding
    once: bool = False  # report only the first hit


# After 第一, these make an ordinal or sequence, not a ranking: 第一次、第一天、第一百…
_SEQ = r"(?![次天期届季批轮步年月周章节课排层段场个手0-9零〇一二三四五六七八九十百千])"
_NAME_TAIL = (
    r"(?:人民医院|中医医院|中医院|医院|中学|小学|高中|初中|职中|幼儿园|实验|附属|附中|附小|"
    r"师范|百货|中|小)"
)
# Common surnames that rarely stand before 唯一 in a claim (市、司、国… are left out).
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范廖贾夏韦付傅方白邹孟熊秦邱尹薛闫阎段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤温康施牛樊葛邢齐乔伍庞颜倪庄聂鲁岳翟殷詹欧耿焦俞左柳祝"
    "舒阮柯纪梅童凌毕裴霍涂苗盛翁冉骆靳柴鲍喻祁蒲滕饶艾尤穆卓缪娄窦戚岑费卜冷晏席卫米柏"
)
# A count of minutes, not starting inside a longer number (a phone number is no time).
_MINUTES = r"(?<![0-9零一二两三四五六七八九十半])[0-9零一二两三四五六七八九十半]+分钟"
_NAME_END = r"(?=先生|女士|同志|同学|老师|遗失|[,，、。.;；:：\s0-9]|$)"
_ADJ = "|".join(
    sorted(
        (
            "受欢迎 低价 便宜 实惠 划算 优惠 专业 先进 权威 正宗 安全 舒适 满意 放心 "
            "畅销 流行 时尚 齐全 适合 合适 省心 "
            "好 优 大 高 低 强 新 全 快 省 美 火 热 靓 值 贵 棒 牛 精 专 纯"
        ).split(),
        key=len,
        reverse=True,
    )
)

# Exceptions are matched first and produce nothing; they consume the words they cover.
_EXCEPTIONS: tuple[str, ...] = (
    rf"第一{_NAME_TAIL}",  # 第一中学、第一人民医院…
    r"第一时间",
    r"唯一(?:联系|咨询|订购|报名|指定)?(?:电话|方式|热线|联系人|号码)",
    r"唯一(?:性|码|标识|识别)",
    rf"(?<=[{_SURNAMES}])唯一{_NAME_END}",  # a person called 王唯一
    r"最(?:后|近|初|终|少|多|晚|迟|起码)",  # time, order, at least/most; 最新、最早 stay warned
    r"最低(?:工资|消费|温度|气温)",
    r"最高(?:人民法院|人民检察院|温度|气温)",
    r"万能(?:胶|表|轮)",
    r"绝对值",
    r"国家级(?:经济技术开发区|高新技术产业开发区|高新区|开发区|新区|自然保护区|"
    r"风景名胜区|森林公园|湿地公园)",
    r"不限(?:男女|性别|男|女|本地|户籍|户口)",
    r"男女不限|性别不限|婚否不限",
    r"(?:未婚|已婚)[、/和或与及]?(?:未婚|已婚)(?:均可|皆可|都可|不限)",
    r"增值(?:税|服务)",
    r"(?:确|担)保过|[保包]过(?:程|期|年|夜)",
)

_BLOCKED = (
    r"全(?:国|球|网)第一" + _SEQ,
    r"世界第一" + _SEQ,
    r"第一品牌",
    r"国家级",
    r"世界级",
    r"最高级",
    r"最高档",
    r"最佳",
    r"顶级",
    r"极品",
    r"独一无二",
    r"史无前例",
    r"万能",
    r"绝对",
)
_WARNED = (
    r"销量冠军",
    rf"最为?(?:{_ADJ})",
    r"最[\u4e00-\u9fff]",  # any other 最 + word
    r"第一" + _SEQ,
    r"唯一",
    r"首家",
    r"首选",
    r"独家",
    r"领先",
    r"(?<![a-z0-9])no\s*\.?\s*1(?![0-9])",
    r"(?<![a-z0-9])top\s*1(?![0-9])",
)

_TERMS: tuple[_Term, ...] = (
    *(_Term("adlaw.superlative.banned", "adlaw", p) for p in _BLOCKED),
    # medical
    *(
        _Term("medical.efficacy", "medical", p)
        for p in (
            r"治愈率",
            r"有效率",
            r"根治",
            r"治愈",
            r"痊愈",
            r"无效退款",
            r"无毒副作用",
            r"无副作用",
            r"药到病除",
            r"包治(?:百病)?",
        )
    ),
    # health food
    *(
        _Term("healthfood.disease_claim", "healthfood", p)
        for p in (
            r"预防疾病",
            r"治疗",
            r"治愈",
            r"根治",
            r"降血压",
            r"降血糖",
            r"降血脂",
            r"降压",
            r"降糖",
            r"抗癌",
            r"防癌",
            r"抗肿瘤",
        )
    ),
    # education
    *(
        _Term("education.guarantee", "education", p)
        for p in (
            r"保过",
            r"包过",
            r"一次性通过",
            r"(?:100\s*%|百分之?百)\s*(?:通过|过关|录取|拿证)",
            r"押题",
            r"内部名额",
            r"[包保]录取",
            r"[包保]拿证",
            r"包毕业",
        )
    ),
    # recruitment
    *(
        _Term("recruit.discrimination", "recruit", p)
        for p in (
            r"(?:仅)?限(?:男|女)(?:性|士|生)?",
            r"(?:男|女)(?:性|士|生)?优先",
            r"已婚已育(?:优先)?",
            r"(?:未婚|已婚|已育)(?:优先)?",
        )
    ),
    *(
        _Term("recruit.discrimination", "recruit", p, law=_LAW_LOCAL)
        for p in (r"本地(?:人|户口|户籍)优先", r"(?:仅)?限本地(?:人|户口|户籍)?")
    ),
    *(
        _Term("recruit.age_height", "recruit", p)
        for p in (
            r"限\s*\d{2}\s*(?:[-~至到]\s*\d{2}\s*)?周?岁(?:以下|以上|以内|之间)?",
            r"年龄\s*(?:要求|限制|限)?[:：\s]*(?:在\s*)?\d{2}\s*(?:[-~至到]\s*\d{2}\s*)?"
            r"周?岁?(?:以下|以上|以内|之间)?",
            r"(?<![0-9])[0-9]{2}\s*[-~至到]\s*\d{2}\s*周?岁(?:以下|以上|以内|之间)?",
            # "18岁以上" / "年满16周岁" is the legal working age, not a limit
            r"(?<![0-9满])(?!1[68]\s*周?岁以上)[0-9]{2}\s*周?岁(?:以下|以上|以内)",
            r"身高\s*(?:要求|限)?[:：\s]*(?:\d(?:\.\d+)?\s*米|\d{3}\s*(?:cm|厘米|公分)?)"
            r"\s*(?:以上|以下)?",
        )
    ),
    *(
        _Term("recruit.fee", "recruit", p, negatable=True)
        for p in (
            r"收取押金",
            r"押金",
            r"报名费",
            r"培训费",
            r"保证金",
            r"服装费",
            r"工装费",
        )
    ),
    # housing
    *(
        _Term("housing.school_district", "housing", p)
        for p in (r"学区房?", r"学位房?", r"校区", r"对口(?:小学|中学|初中|学校)")
    ),
    *(
        _Term("housing.hukou", "housing", p)
        for p in (
            r"(?:可|能|包|送|带|给|办)落户",
            r"落户",
            r"(?:送|带|给|办|上)户口",
            r"户口可迁入",
        )
    ),
    *(
        _Term("housing.appreciation", "housing", p)
        for p in (r"升值", r"增值", r"保值", r"投资回报", r"回报率", r"稳赚", r"只涨不跌")
    ),
    *(
        _Term("housing.travel_time", "housing", p)
        for p in (
            rf"(?:步行|驾车|开车|车程|坐车)?{_MINUTES}(?:车程|路程)?(?:即可|就能|可)?"
            r"(?:直达|到达|抵达|到)",
            rf"(?:步行|驾车|开车|车程){_MINUTES}",
        )
    ),
    # liquor
    *(
        _Term("liquor.drinking", "liquor", p)
        for p in (
            r"干杯",
            r"开怀畅饮",
            r"畅饮",
            r"痛饮",
            r"豪饮",
            r"不醉不归",
            r"一醉方休",
            r"举杯",
        )
    ),
    # lost notices
    _Term("lost.seal_police_report", "lost", r"公章", once=True),
    # plain superlative warnings last: block terms and category terms win ties
    *(_Term("adlaw.superlative.warn", "adlaw", p) for p in _WARNED),
)

# --------------------------------------------------------------------------- domains

_CATEGORY_DOMAINS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("保健食品", "保健品"), "healthfood"),
    (("医疗", "医院", "诊所", "门诊", "体检", "口腔", "牙科"), "medical"),
    (("食品", "副食", "熟食", "糕点"), "food"),
    (("房屋", "房产", "售房", "租房", "二手房", "楼盘"), "housing"),
    (("招聘", "招工", "诚聘", "用工"), "recruit"),
    (("教育", "培训", "招生", "家教", "辅导"), "education"),
    (("酒类", "酒水", "白酒", "酒业"), "liquor"),
    (("遗失", "挂失"), "lost"),
)

# Text clues for a missing or generic category: every pattern of a row must be found.
_TEXT_DOMAINS: tuple[tuple[tuple[re.Pattern[str], ...], str], ...] = (
    ((re.compile(r"保健食品|保健品"),), "healthfood"),
    # "第一人民医院对面" gives a location, not a medical ad
    (
        (
            re.compile(
                r"(?:医院|诊所|门诊|体检)(?!对面|斜对面|旁|附近|周边|隔壁|门口|[东西南北]侧)"
            ),
        ),
        "medical",
    ),
    (
        (
            re.compile(r"售房|出售|出租|租房|房屋|楼房|住房|公寓|小区"),
            re.compile(r"[0-9]\s*(?:平米|平方|㎡|m2|m²|平)", re.I),
        ),
        "housing",
    ),
    ((re.compile(r"招聘|诚聘|急聘|招工|聘用"),), "recruit"),
    ((re.compile(r"培训班|培训学校|培训机构|招生|辅导班|补习"),), "education"),
    ((re.compile(r"白酒|啤酒|红酒|葡萄酒|黄酒|酒业|订酒|酒厂|名酒"),), "liquor"),
    ((re.compile(r"遗失.{0,30}?(?:证|执照|章|正本|副本|发票|代码|声明)", re.S),), "lost"),
)

_MEDICAL_TRIGGER = re.compile(r"医院|诊所|门诊|体检|医疗")
_MEDICAL_APPROVAL = re.compile(
    r"医广字?\s*[【\[(〔]?\s*(?:19|20)[0-9]{2}\s*[】\])〕]?\s*第?\s*[0-9][0-9\-—–]*"
)
_HEALTHFOOD_TRIGGER = re.compile(r"保健食品|保健品")
_HEALTHFOOD_DISCLAIMER = re.compile(r"本品\s*不能\s*代替\s*药物")
_FOOD_LICENCE = re.compile(
    r"(?:许可证?|登记证|备案)\s*(?:编号|号码|号)?\s*[:：]?\s*[a-z]{0,8}\s*[0-9]{6,}"
    r"|(?<![a-z])(?:sc|jy)\s*[0-9]{10,}",
    re.I,
)
_DEVELOPER_TRIGGER = re.compile(r"开发商|售楼处|售楼部|楼盘|开盘|认筹|样板间|现房发售|期房")
_PERMIT = re.compile(r"(?:预售|销售|预)(?:许可)?证(?:号|编号)?\s*[:：]?\s*\S*[0-9]{2,}")
_LOST_TRIGGER = re.compile(r"遗失")
_LOST_VOID = re.compile(r"声明[^\n。]{0,10}?作废|作废声明")

# Fee words after a negation in the same clause ("不收取任何押金") are not a fee.
_CLAUSE_BREAK = re.compile(r"[,，。;；!！?？\n]")
_NEG_BEFORE = re.compile(r"免|无|不(?:收|交|缴|需|用|要|设)|没有|拒收|严禁|杜绝")
_NEG_AFTER = re.compile(r"^[\s:：]*(?:全免|免|无|一律免|由公司|由单位|公司承担|单位承担|公司出)")

_FOLD_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")


def _fold(text: str) -> str:
    """Full-width ASCII to half-width, ideographic space to space; same length, same offsets."""
    return text.translate(_FOLD_TABLE) if _FULL_WIDTH.search(text) else text


def domains_for(text: str, category: str | None = None) -> frozenset[str]:
    """The rule sets that apply: from the category, else (no or generic category) the text."""
    return _domains(_fold(text), category)


@lru_cache(maxsize=1024)
def _category_domains(category: str) -> frozenset[str]:
    found: set[str] = set()
    for keys, domain in _CATEGORY_DOMAINS:
        if any(key in category for key in keys):
            found.add(domain)
            if domain == "healthfood":
                break  # 保健食品 is not plain 食品
    return frozenset(found)


def _domains(folded: str, category: str | None) -> frozenset[str]:
    found: set[str] | frozenset[str] = _category_domains(category) if category else frozenset()
    if not found:
        found = {
            domain
            for patterns, domain in _TEXT_DOMAINS
            if all(pattern.search(folded) for pattern in patterns)
        }
    if "lost" not in found:
        # A lost notice must reproduce registered names verbatim; it is not an advertisement.
        found = found | {"adlaw"}
    return frozenset(found)


def _first_chars(items: Any) -> tuple[list[str], bool] | None:
    """Charset items a match of the parsed sequence can start with, and whether it can be empty.

    None when the sequence can start with anything (``.``, ``\\w``, a negated set…) or uses an
    op not handled here; the caller then simply goes without the prefilter.
    """
    leads: list[str] = []
    for op, av in items:
        name = op.name
        if name in ("ASSERT", "ASSERT_NOT", "AT"):
            continue  # zero-width: the first character comes later
        if name == "LITERAL":
            return [*leads, re.escape(chr(av))], False
        if name == "IN":
            for kind, value in av:
                if kind.name == "LITERAL":
                    leads.append(re.escape(chr(value)))
                elif kind.name == "RANGE":
                    leads.append(f"{re.escape(chr(value[0]))}-{re.escape(chr(value[1]))}")
                else:
                    return None
            return leads, False
        if name == "SUBPATTERN":
            inner = _first_chars(av[-1])
        elif name == "BRANCH":
            union: list[str] = []
            nullable = False
            for branch in av[1]:
                sub = _first_chars(branch)
                if sub is None:
                    return None
                union += sub[0]
                nullable = nullable or sub[1]
            inner = (union, nullable)
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            sub = _first_chars(av[2])
            inner = None if sub is None else (sub[0], sub[1] or av[0] == 0)
        else:
            return None
        if inner is None:
            return None
        leads += inner[0]
        if not inner[1]:
            return leads, False
    return leads, True


def _prefilter(pattern: str, flags: int) -> str:
    """A lookahead on the characters a match can start with, or "" when unknown.

    Python's ``re`` tries every alternative at every position; this lookahead lets it skip
    the positions no rule can start at, which makes a 300-character check ~40× faster.
    """
    try:
        parser = importlib.import_module("re._parser")
        found = _first_chars(parser.parse(pattern, flags))
    except Exception:  # a future Python without re._parser: run without the prefilter
        return ""
    if found is None or found[1] or not found[0]:
        return ""
    return "(?=[" + "".join(dict.fromkeys(found[0])) + "])"


@lru_cache(maxsize=64)
def _compiled(
    domains: frozenset[str], prefilter: bool = True
) -> tuple[re.Pattern[str], tuple[_Term, ...]]:
    """One alternation of the exceptions and every term of these domains, in priority order."""
    terms = tuple(t for t in _TERMS if t.domain in domains)
    parts = ["(?P<x>" + "|".join(_EXCEPTIONS) + ")"]
    parts += [f"(?P<t{i}>{t.pattern})" for i, t in enumerate(terms)]
    alternation = "|".join(parts)
    flags = re.IGNORECASE
    lead = _prefilter(alternation, flags) if prefilter else ""
    return re.compile(f"{lead}(?:{alternation})", flags), terms


def _negated(folded: str, start: int, end: int) -> bool:
    before = folded[max(0, start - 6) : start]
    breaks = list(_CLAUSE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end() :]
    return bool(_NEG_BEFORE.search(before) or _NEG_AFTER.match(folded[end : end + 8]))


def _missing(rule_id: str, text: str, trigger: re.Pattern[str] | None) -> Finding:
    hit = trigger.search(text) if trigger is not None else None
    start, end = (hit.start(), hit.end()) if hit else (0, 0)
    rule = _RULES[rule_id]
    return Finding(rule_id, rule.level, start, end, _message(rule_id, ""), "")


def check_wording(text: str, category: str | None = None) -> list[Finding]:
    """All wording findings for an ad's text under its category, sorted by position."""
    folded = _fold(text)
    domains = _domains(folded, category)
    pattern, terms = _compiled(domains)
    findings: list[Finding] = []
    seen_once: set[str] = set()
    for match in pattern.finditer(folded):
        group = match.lastgroup
        if group is None or group == "x":
            continue
        term = terms[int(group[1:])]
        start, end = match.span()
        if term.negatable and _negated(folded, start, end):
            continue
        if term.once:
            if term.rule in seen_once:
                continue
            seen_once.add(term.rule)
        word = text[start:end]
        rule = _RULES[term.rule]
        message = _message(term.rule, word, term.law)
        findings.append(Finding(term.rule, rule.level, start, end, message, word))

    if "medical" in domains and not _MEDICAL_APPROVAL.search(folded):
        findings.append(_missing("medical.approval_missing", folded, _MEDICAL_TRIGGER))
    if "healthfood" in domains and not _HEALTHFOOD_DISCLAIMER.search(folded):
        findings.append(_missing("healthfood.disclaimer_missing", folded, _HEALTHFOOD_TRIGGER))
    if "food" in domains and not _FOOD_LICENCE.search(folded):
        findings.append(_missing("food.licence_missing", folded, None))
    if "housing" in domains and _DEVELOPER_TRIGGER.search(folded) and not _PERMIT.search(folded):
        findings.append(_missing("housing.permit_missing", folded, _DEVELOPER_TRIGGER))
    if "lost" in domains and not _LOST_VOID.search(folded):
        findings.append(_missing("lost.void_missing", folded, _LOST_TRIGGER))

    findings.sort(key=lambda f: (f.start, f.end, f.rule))
    return findings
