"""Wording rules: both 广告法 tiers, each category rule, exceptions, spans, the sample column."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adsdesk.assets import resource_path
from adsdesk.domain.wording import (
    _TERMS,
    RULE_TITLES,
    Finding,
    _compiled,
    _fold,
    check_wording,
    domains_for,
)


def rules(text: str, category: str | None = None) -> list[tuple[str, str]]:
    """(rule, term) of every finding."""
    return [(f.rule, f.term) for f in check_wording(text, category)]


def only(text: str, category: str | None = None) -> Finding:
    found = check_wording(text, category)
    assert len(found) == 1, found
    return found[0]


def assert_spans(text: str, findings: list[Finding]) -> None:
    for f in findings:
        assert 0 <= f.start <= f.end <= len(text)
        if f.term:
            assert text[f.start : f.end] == f.term


def sample_ads() -> list[dict[str, Any]]:
    data = json.loads(resource_path("samples", "bianmin-2023-02-24.json").read_text("utf-8"))
    ads: list[dict[str, Any]] = data["ads"]
    return ads


# ----------------------------------------------------------------- 广告法第九条 tiers

BLOCKED = [
    "国家级",
    "最高级",
    "最佳",
    "顶级",
    "极品",
    "第一品牌",
    "世界级",
    "全国第一",
    "独一无二",
    "史无前例",
    "万能",
    "绝对",
    "全球第一",
    "全网第一",
    "世界第一",
    "最高档",
]


@pytest.mark.parametrize("word", BLOCKED)
def test_blocked_terms_block_with_exact_span(word: str) -> None:
    text = f"本店{word}服务，电话13903528495"
    f = only(text)
    assert (f.rule, f.level, f.term) == ("adlaw.superlative.banned", "block", word)
    assert (f.start, f.end) == (2, 2 + len(word))
    assert "广告法第九条第三项" in f.message
    assert RULE_TITLES[f.rule] in f.message


WARNED = [
    ("全市最好", "最好"),
    ("最低价", "最低价"),
    ("最便宜", "最便宜"),
    ("大同最大", "最大"),
    ("质量最优", "最优"),
    ("最新款", "最新"),
    ("最为实惠", "最为实惠"),
    ("最受欢迎", "最受欢迎"),
    ("全省第一", "第一"),
    ("排名第一名", "第一"),
    ("全市唯一", "唯一"),
    ("大同首家", "首家"),
    ("装修首选", "首选"),
    ("独家代理", "独家"),
    ("技术领先", "领先"),
    ("销量冠军", "销量冠军"),
    ("NO.1", "NO.1"),
    ("No.1", "No.1"),
    ("no1", "no1"),
    ("No. 1", "No. 1"),
    ("TOP1", "TOP1"),
    ("top 1", "top 1"),
]


@pytest.mark.parametrize(("phrase", "term"), WARNED)
def test_warned_terms_warn_with_exact_span(phrase: str, term: str) -> None:
    text = f"本店{phrase}，欢迎来电"
    f = only(text)
    assert (f.rule, f.level, f.term) == ("adlaw.superlative.warn", "warn", term)
    assert text[f.start : f.end] == term
    assert f.start == 2 + phrase.index(term)


def test_city_best_warns_and_national_level_blocks() -> None:
    assert rules("全市最好") == [("adlaw.superlative.warn", "最好")]
    assert [f.level for f in check_wording("国家级")] == ["block"]


@pytest.mark.parametrize(
    "text",
    [
        "第一次来大同",
        "开业第一天半价",
        "第一期已售罄",
        "第一届车展",
        "第一百期",
        "首付三成",
        "首期款",
        "首次购房",
        "最后一天",
        "最近有空",
        "最终解释权",
        "最初的价格",
        "最少租一年",
        "最晚晚上九点",
        "联系人：王唯一先生",
        "王唯一，电话13903528495",
        "本公司唯一联系电话",
        "产品唯一性编码",
        "大同市第一中学旁",
        "第一人民医院对面",
        "第一时间上门",
        "万能胶批发",
        "国家级经济技术开发区内",
        "不低于最低工资标准",
        "增值税发票",
        "大同一中",
        "房号NO.12",
        "Phone1",
        "",
    ],
)
def test_no_false_hits(text: str) -> None:
    assert check_wording(text) == []


def test_first_time_matches_nothing_even_after_national() -> None:
    assert check_wording("全国第一次") == []
    assert check_wording("第一次", "招聘") == []


def test_blocked_term_wins_over_warn_at_same_place() -> None:
    for word in ("最佳", "最高级", "第一品牌"):
        f = only(word)
        assert f.rule == "adlaw.superlative.banned"
        assert f.term == word


@pytest.mark.parametrize("text", ["ＮＯ．１", "Ｎｏ.１", "ｎｏ１", "ＴＯＰ１", "ｔｏｐ　１"])
def test_full_width_latin_matches_with_original_span(text: str) -> None:
    padded = f"大同{text}装修"
    f = only(padded)
    assert f.rule == "adlaw.superlative.warn"
    assert (f.start, f.end) == (2, 2 + len(text))
    assert f.term == text


def test_fold_keeps_length_and_offsets() -> None:
    text = "ＮＯ．１　大同（晋）１２３ａｂｃ"
    folded = _fold(text)
    assert len(folded) == len(text)
    assert folded == "NO.1 大同(晋)123abc"
    assert _fold("没有全角") == "没有全角"


def test_several_findings_sorted_by_start() -> None:
    text = "顶级装修，全市最好，独家工艺，NO.1"
    found = check_wording(text)
    assert [f.term for f in found] == ["顶级", "最好", "独家", "NO.1"]
    assert [f.start for f in found] == sorted(f.start for f in found)
    assert_spans(text, found)


def test_as_dict_is_json_ready() -> None:
    f = only("国家级")
    d = f.as_dict()
    assert d == {
        "rule": "adlaw.superlative.banned",
        "level": "block",
        "start": 0,
        "end": 3,
        "message": f.message,
        "term": "国家级",
    }
    assert json.loads(json.dumps(d, ensure_ascii=False)) == d


# ----------------------------------------------------------------------- medical

MEDICAL_AD = "大同和平医院体检中心开展入职体检。电话0352-5393120"


def test_medical_without_approval_number_warns_at_trigger_word() -> None:
    f = only(MEDICAL_AD, "医疗体检")
    assert (f.rule, f.level, f.term) == ("medical.approval_missing", "warn", "")
    assert MEDICAL_AD[f.start : f.end] == "医院"
    assert "医疗广告审查证明" in f.message
    assert "广告法第四十六条" in f.message


@pytest.mark.parametrize(
    "number",
    [
        "(晋)医广【2023】第01-30-10号",
        "（晋）医广［2023］第01-30-10号",
        "鲁医广字【2013】第0902-001-3711号",
        "京医广[2022]第12345号",
        "医广〔2021〕第0101-2号",
    ],
)
def test_medical_with_approval_number_passes(number: str) -> None:
    assert check_wording(f"{MEDICAL_AD} {number}", "医疗体检") == []


def test_medical_without_trigger_word_points_at_start() -> None:
    f = only("口腔洁牙", "医疗体检")
    assert (f.rule, f.start, f.end) == ("medical.approval_missing", 0, 0)


@pytest.mark.parametrize(
    "word", ["根治", "治愈率", "有效率", "无效退款", "无毒副作用", "药到病除", "包治百病"]
)
def test_medical_efficacy_blocks(word: str) -> None:
    text = f"{MEDICAL_AD} (晋)医广【2023】第01-30-10号 {word}"
    f = only(text, "医疗体检")
    assert (f.rule, f.level, f.term) == ("medical.efficacy", "block", word)
    assert text[f.start : f.end] == word
    assert "广告法第十六条" in f.message


def test_medical_rules_inferred_from_text_without_category() -> None:
    assert rules("城东诊所，专业洁牙") == [("medical.approval_missing", "")]
    assert rules("城东门诊 根治口臭") == [
        ("medical.approval_missing", ""),
        ("medical.efficacy", "根治"),
    ]
    # a hospital named as a landmark does not make a medical ad
    assert "medical" not in domains_for("出租门面，第一人民医院对面")


def test_medical_rules_not_applied_to_other_categories() -> None:
    assert check_wording("专业防水，根治漏水", "家居服务") == []
    assert check_wording("某医院招聘护士，待遇优厚", "招聘") == []
    assert "medical" not in domains_for("某医院招聘护士", "招聘")


# ------------------------------------------------------------------- health food


def test_health_food_disclaimer_missing_warns() -> None:
    f = only("某某牌保健品，增强免疫力", "保健食品")
    assert (f.rule, f.level) == ("healthfood.disclaimer_missing", "warn")
    assert "本品不能代替药物" in f.message


def test_health_food_with_disclaimer_passes() -> None:
    assert check_wording("某某牌保健品，增强免疫力。本品不能代替药物", "保健食品") == []


@pytest.mark.parametrize("word", ["治疗", "预防疾病", "降血压", "降血糖", "抗癌"])
def test_health_food_disease_claims_block(word: str) -> None:
    text = f"某某牌胶囊可{word}。本品不能代替药物"
    f = only(text, "保健食品")
    assert (f.rule, f.level, f.term) == ("healthfood.disease_claim", "block", word)
    assert text[f.start : f.end] == word
    assert "广告法第十八条" in f.message


def test_disease_words_allowed_outside_health_food() -> None:
    assert check_wording("上门治疗颈椎", "家居服务") == []


# -------------------------------------------------------------------------- food


def test_food_without_licence_warns() -> None:
    f = only("手工月饼，电话13912345678", "食品")
    assert (f.rule, f.level, f.start, f.end) == ("food.licence_missing", "warn", 0, 0)
    assert "食品安全法第三十五条" in f.message


@pytest.mark.parametrize(
    "licence",
    [
        "许可证: SXZF 1251402130017(p)",
        "食品经营许可证：JY11402020012345",
        "生产许可证号 SC10614020000123",
        "SC10614020000123",
    ],
)
def test_food_with_licence_passes(licence: str) -> None:
    assert check_wording(f"手工月饼 {licence} 电话13912345678", "食品") == []


def test_food_licence_needs_a_number() -> None:
    assert rules("手工月饼，许可证齐全", "食品") == [("food.licence_missing", "")]


def test_health_food_is_not_plain_food() -> None:
    assert "food" not in domains_for("", "保健食品")


# ----------------------------------------------------------------------- housing


@pytest.mark.parametrize(
    ("text", "rule", "term"),
    [
        ("三中十四校学区，即买即住", "housing.school_district", "学区"),
        ("正规学区房", "housing.school_district", "学区房"),
        ("带学位房", "housing.school_district", "学位房"),
        ("十三中校区", "housing.school_district", "校区"),
        ("对口小学", "housing.school_district", "对口小学"),
        ("购房可落户", "housing.hukou", "可落户"),
        ("买房送户口", "housing.hukou", "送户口"),
        ("升值空间大", "housing.appreciation", "升值"),
        ("投资回报高", "housing.appreciation", "投资回报"),
        ("步行5分钟到地铁站", "housing.travel_time", "步行5分钟到"),
        ("十分钟直达火车站", "housing.travel_time", "十分钟直达"),
    ],
)
def test_housing_rules_warn(text: str, rule: str, term: str) -> None:
    f = only(text, "房屋出售")
    # Promised appreciation or returns is a prohibition (广告法 Art. 26), not a warning.
    level = "block" if rule == "housing.appreciation" else "warn"
    assert (f.rule, f.level, f.term) == (rule, level, term)
    assert text[f.start : f.end] == term


@pytest.mark.parametrize(
    "text",
    [
        "户口已迁出，价格面议",
        "可开增值税发票",
        "迎泽街86平米，家具齐全，拎包入住",
        "三室两厅，15分钟内看房请提前预约",
    ],
)
def test_housing_no_false_hits(text: str) -> None:
    assert check_wording(text, "房屋出售") == []


def test_housing_rules_only_for_housing() -> None:
    assert check_wording("新校区招生", "教育培训") == []


def test_housing_inferred_from_sale_text() -> None:
    assert rules("出售E家公寓50平，三中十四校学区") == [("housing.school_district", "学区")]
    assert rules("出售二手车，三中校区附近") == []


def test_developer_ad_needs_permit_number() -> None:
    text = "新楼盘盛大开盘，均价8000"
    f = only(text, "房屋出售")
    assert f.rule == "housing.permit_missing"
    assert text[f.start : f.end] == "楼盘"
    assert check_wording(text + "。预售许可证号：同房预字2023第012号", "房屋出售") == []


def test_private_sale_needs_no_permit() -> None:
    assert check_wording("本人有复地紫城多层楼房一套，大红本，价格面议", "房屋出售") == []


# --------------------------------------------------------------------- education


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("会计证保过", "保过"),
        ("驾校包过", "包过"),
        ("一次性通过", "一次性通过"),
        ("百分百通过", "百分百通过"),
        ("100%通过", "100%通过"),
        ("１００％通过", "１００％通过"),
        ("考前押题", "押题"),
        ("内部名额有限", "内部名额"),
        ("包录取", "包录取"),
    ],
)
def test_education_guarantees_block(text: str, term: str) -> None:
    f = only(text, "教育培训")
    assert (f.rule, f.level, f.term) == ("education.guarantee", "block", term)
    assert text[f.start : f.end] == term
    assert "广告法第二十四条" in f.message


@pytest.mark.parametrize(
    "text", ["成人学历常年招生，专业齐全！", "确保过程规范", "报名费200元", "通过率高"]
)
def test_education_no_false_hits(text: str) -> None:
    assert check_wording(text, "教育培训") == []


# -------------------------------------------------------------------- recruitment


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("招保安，限男性", "限男性"),
        ("限女", "限女"),
        ("男性优先", "男性优先"),
        ("女士优先", "女士优先"),
        ("女性优先", "女性优先"),
        ("要求未婚", "未婚"),
        ("已婚已育", "已婚已育"),
        ("已育优先", "已育优先"),
        ("本地人优先", "本地人优先"),
        ("限本地户口", "限本地户口"),
    ],
)
def test_recruitment_discrimination_blocks(text: str, term: str) -> None:
    f = only(text, "招聘")
    assert (f.rule, f.level, f.term) == ("recruit.discrimination", "block", term)
    assert text[f.start : f.end] == term


def test_recruitment_discrimination_cites_the_right_law() -> None:
    assert "妇女权益保障法第四十三条" in only("男性优先", "招聘").message
    local = only("本地人优先", "招聘").message
    assert "就业促进法第三条" in local
    assert "妇女权益保障法" not in local


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("入职收取押金500元", "收取押金"),
        ("押金300", "押金"),
        ("报名费50元", "报名费"),
        ("培训费自理", "培训费"),
        ("未交押金者不予录用", "押金"),
    ],
)
def test_recruitment_fees_block(text: str, term: str) -> None:
    f = only(text, "招聘")
    assert (f.rule, f.level, f.term) == ("recruit.fee", "block", term)
    assert "劳动合同法第九条" in f.message


@pytest.mark.parametrize(
    "text",
    [
        "不限男女",
        "性别不限",
        "婚否不限",
        "已婚未婚均可",
        "不收取任何押金",
        "免报名费",
        "报名费全免",
        "培训费由公司承担",
        "包吃住，第一个月工资日结",
    ],
)
def test_recruitment_no_false_hits(text: str) -> None:
    assert check_wording(text, "招聘") == []


def test_deposit_in_rental_ad_is_fine() -> None:
    assert check_wording("押一付三，押金一个月", "房屋出租") == []


def test_recruitment_inferred_from_text() -> None:
    assert rules("诚聘服务员，限女") == [("recruit.discrimination", "限女")]


# ------------------------------------------------------------------------ liquor


@pytest.mark.parametrize("word", ["干杯", "畅饮", "不醉不归", "一醉方休"])
def test_liquor_drinking_warns(word: str) -> None:
    text = f"好酒好友，{word}！"
    f = only(text, "酒类")
    assert (f.rule, f.level, f.term) == ("liquor.drinking", "warn", word)
    assert text[f.start : f.end] == word
    assert "广告法第二十三条" in f.message


def test_drinking_words_outside_liquor_ads() -> None:
    assert check_wording("为胜利干杯", "公告") == []
    assert check_wording("经销地址：铂蓝郡商辅A122号", "酒类") == []


# ---------------------------------------------------------------------- 遗失声明

LOST = "大同市某某商贸有限公司遗失营业执照副本，统一社会信用代码91140200MA0L123456，声明作废。"


def test_lost_notice_with_void_passes() -> None:
    assert check_wording(LOST, "遗失声明") == []


def test_lost_notice_without_void_warns() -> None:
    text = LOST.replace("声明作废", "特此公告")
    f = only(text, "遗失声明")
    assert (f.rule, f.level, f.term) == ("lost.void_missing", "warn", "")
    assert text[f.start : f.end] == "遗失"
    assert "声明作废" in f.message


def test_lost_seal_needs_police_report_once() -> None:
    text = "大同市某某商贸有限公司遗失公章一枚，公章编号1402000001234，声明作废。"
    f = only(text, "遗失声明")
    assert (f.rule, f.level, f.term) == ("lost.seal_police_report", "warn", "公章")
    assert text[f.start : f.end] == "公章"
    assert f.start == text.index("公章")
    assert "报案" in f.message


def test_lost_notice_reproduces_names_without_superlative_findings() -> None:
    text = "大同市顶级装饰有限公司、大同市第一建筑工程公司遗失营业执照正本，声明作废。"
    assert check_wording(text, "遗失声明") == []
    assert check_wording("王唯一遗失身份证，号码140202199001011234，声明作废") == []


# ------------------------------------------------------------------ sample column


def sample_findings() -> list[tuple[dict[str, Any], str, list[Finding]]]:
    out = []
    for ad in sample_ads():
        text = ad["title"] + "\n" + ad["body"]
        out.append((ad, text, check_wording(text, ad["category"])))
    return out


def test_sample_housing_ads_warn_on_school_district() -> None:
    hits = {
        ad["body"][:6]: [f.term for f in found if f.rule == "housing.school_district"]
        for ad, _, found in sample_findings()
        if ad["category"] == "房屋出售"
    }
    assert hits["迎泽街,23"] == ["校区"]
    assert hits["E家公寓精装"] == ["学区"]
    assert sum(bool(terms) for terms in hits.values()) == 2


def test_sample_liquor_ad_warns_on_toast() -> None:
    ((_ad, text, found),) = [s for s in sample_findings() if s[0]["category"] == "酒类"]
    assert [(f.rule, f.level, f.term) for f in found] == [("liquor.drinking", "warn", "干杯")]
    assert text[found[0].start : found[0].end] == "干杯"


def test_sample_medical_ads_warn_on_missing_approval() -> None:
    medical = [s for s in sample_findings() if "和平医院" in s[0]["body"]]
    assert len(medical) == 2
    for _, text, found in medical:
        assert [(f.rule, f.level) for f in found] == [("medical.approval_missing", "warn")]
        assert text[found[0].start : found[0].end] == "医院"


def test_sample_column_has_no_block_and_exact_spans() -> None:
    for _, text, found in sample_findings():
        assert all(f.level == "warn" for f in found), found
        assert_spans(text, found)


def test_sample_food_ad_has_licence_and_other_ads_are_clean() -> None:
    clean = {"公告", "家居服务", "养老服务", "教育培训", "食品"}
    for ad, _, found in sample_findings():
        if ad["category"] in clean:
            assert found == [], (ad["title"], found)


def test_sample_column_without_categories_infers_the_same_warnings() -> None:
    for ad, text, found in sample_findings():
        if ad["category"] in {"房屋出售", "酒类", "医疗体检"}:
            assert [f.rule for f in check_wording(text)] == [f.rule for f in found]


# ------------------------------------------------------- engine: prefilter, spans

ALPHABET = (
    "第一次天名品牌全国球网世界最好佳高级档低价新后近唯王先生联系电话首家选付独领先销量冠军"
    "顶极万能胶绝对值限男女性优先不本地人押金报名费培训收免保包过程学区校落户升值分钟到步行"
    "干杯畅饮治疗根愈率医院诊所公章遗失声明作废noNOtTpP1２.．　 ,，。5"
)


def test_prefilter_is_active_for_every_domain_set() -> None:
    every = frozenset(t.domain for t in _TERMS)
    for domains in (frozenset({"adlaw"}), every, frozenset({"lost"})):
        pattern, _ = _compiled(domains)
        assert pattern.pattern.startswith("(?=[")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_prefilter_changes_no_match(text: str) -> None:
    folded = _fold(text)
    every = frozenset(t.domain for t in _TERMS)
    for domains in (frozenset({"adlaw"}), every):
        fast, _ = _compiled(domains)
        slow, _ = _compiled(domains, prefilter=False)
        assert [(m.span(), m.lastgroup) for m in fast.finditer(folded)] == [
            (m.span(), m.lastgroup) for m in slow.finditer(folded)
        ]


CATEGORIES = [
    None,
    "房屋出售",
    "招聘",
    "医疗体检",
    "教育培训",
    "食品",
    "酒类",
    "遗失声明",
    "保健食品",
]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=80), st.sampled_from(CATEGORIES))
def test_spans_always_point_into_the_text(text: str, category: str | None) -> None:
    found = check_wording(text, category)
    assert_spans(text, found)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for f in found:
        assert f.level in ("block", "warn")
        assert f.rule in RULE_TITLES
        assert f.message.startswith(f"【{RULE_TITLES[f.rule]}】")
