"""The column line count that follows edits always equals setting the ad afresh."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adsdesk.layout.geometry import ColumnSettings
from adsdesk.layout.linecount import ColumnLineCounter, column_lines
from adsdesk.ui.app import application

BASE = (
    "东信广场两室一厅，南北通透，精装修，拎包入住，价格面议。电话13903528495（微信同号），"
    "另有车库出售。0352-5393120。看房请提前预约，周末亦可。"
) * 3
PIECES = [
    "房",
    "屋",
    "，",
    "。",
    "（",
    "）",
    "《",
    "」",
    " ",
    "1",
    "3",
    "13912345678",
    "ab",
    "\n",
    "WiFi",
]

edits = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.booleans(),
        st.sampled_from(PIECES),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(edits=edits, narrow=st.booleans())
def test_incremental_count_equals_a_fresh_layout(edits, narrow) -> None:
    application()
    geometry = ColumnSettings(columns=6) if narrow else ColumnSettings()
    counter = ColumnLineCounter(geometry, "0352")
    text = BASE
    counter.lines("房屋出售", text)
    for where, delete, piece in edits:
        at = int(where * len(text))
        text = text[:at] + text[at + 1 :] if delete and text else text[:at] + piece + text[at:]
        assert counter.lines("房屋出售", text) == column_lines("房屋出售", text, geometry, "0352")


def test_typing_an_ad_counts_like_the_layout_engine() -> None:
    from adsdesk.layout.blocks import ad_shape

    application()
    geometry = ColumnSettings()
    counter = ColumnLineCounter(geometry, "0352")
    for i in range(1, len(BASE) + 1):
        body = BASE[:i]
        lines = counter.lines("房屋出售", body)
        if i % 25 == 0:
            shape = ad_shape("房屋出售", body, geometry, "0352")
            assert lines == len(shape.lines)
