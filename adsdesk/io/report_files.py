"""A takings report as .xlsx (with a native Excel bar chart) and as table rows for PDF."""

from __future__ import annotations

from pathlib import Path

from adsdesk.domain.money import format_fen
from adsdesk.store.reports import GROUP_NAMES, Report

HEADERS = ("项目", "订单数", "应收（元）", "实收（元）")


def report_title(r: Report) -> str:
    return f"广告收入报表 {r.start} 至 {r.end}（{GROUP_NAMES[r.by]}）"


def report_rows(r: Report) -> list[list[str]]:
    """Table rows as shown and printed, the total last."""
    rows = [[x.key, str(x.orders), format_fen(x.total_fen), format_fen(x.paid_fen)] for x in r.rows]
    rows.append(["合计", str(r.orders), format_fen(r.total_fen), format_fen(r.paid_fen)])
    return rows


def write_report_xlsx(r: Report, path: Path) -> None:
    """Amounts as numbers in yuan (two decimals) so Excel can add them; a bar chart beside."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.worksheet import Worksheet

    wb = Workbook()
    ws: Worksheet = wb.create_sheet("报表", 0)
    wb.remove(wb.worksheets[1])  # the empty sheet a new workbook starts with
    ws.append([report_title(r)])
    ws.append(list(HEADERS))
    for x in r.rows:
        ws.append([x.key, x.orders, x.total_fen / 100, x.paid_fen / 100])
    last = ws.max_row
    ws.append(["合计", f"=SUM(B3:B{last})", f"=SUM(C3:C{last})", f"=SUM(D3:D{last})"])
    for row in ws.iter_rows(min_row=3, min_col=3, max_col=4):
        for cell in row:
            cell.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 24
    for col in "BCD":
        ws.column_dimensions[col].width = 14
    if r.rows:
        chart = BarChart()
        chart.type = "col"
        chart.title = report_title(r)
        chart.y_axis.title = "元"
        data = Reference(ws, min_col=3, max_col=4, min_row=2, max_row=last)
        cats = Reference(ws, min_col=1, min_row=3, max_row=last)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.width, chart.height = 24, 12
        ws.add_chart(chart, "F2")
    from adsdesk.io.atomic import save_workbook

    save_workbook(wb, path)
