"""The 历史 tab: every recorded change to the open ad and its order — who, when, where, what."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from adsdesk.store.audit import AuditEntry, entries
from adsdesk.ui.dbexec import DbExecutor

ACTIONS = {
    "ad.create": "新建",
    "ad.update": "修改",
    "ad.import": "导入",
    "ad.cancel": "撤销",
    "ad.delete": "删除",
    "order.create": "开单",
    "order.reprice": "改价",
    "order.cancel": "退订",
    "order.receipt": "打印收据",
    "order.reprint": "补打收据",
    "payment.add": "收款",
    "payment.payment": "收款",
    "payment.refund": "退款",
    "layout.pin": "置顶",
    "layout.column": "改栏",
    "layout.order": "调整顺序",
    "issue.send": "签发",
    "issue.reopen": "重开",
    "layout.clear": "清除版面调整",
    "settings.update": "修改设置",
    "settings.categories": "修改分类",
    "settings.column": "修改栏目设置",
    "settings.refused": "修改拒登号码",
    "ratecard.create": "新建价目表",
    "ratecard.update": "修改价目表",
    "ratecard.active": "启用/停用价目表",
    "credit.limit": "挂账额度",
    "cashup.close": "日结",
    "cashup.reopen": "重开日结",
    "press.check": "核对付印稿",
    "run.extend": "续排刊期",
    "user.add": "新建账号",
    "user.disable": "停用账号",
    "user.enable": "启用账号",
    "user.locked": "账号锁定",
    "user.password": "改密码",
    "user.roles": "改角色",
    "user.sign_in": "登录",
}
FIELDS = {
    "category": "分类",
    "advertiser": "客户",
    "title": "标题",
    "body": "正文",
    "phones": "电话",
    "dates": "刊登日期",
    "override_reason": "特批理由",
    "rush": "加急",
    "cancelled": "撤销",
    "withdrawn_dates": "撤下的日期",
    "total_fen": "金额（分）",
    "serial": "订单号",
    "breakdown": "计价明细",
    "amount_fen": "金额（分）",
    "method": "付款方式",
    "refund_fen": "退款（分）",
    "fee_fen": "手续费（分）",
    "order": "订单",
    "day": "日期",
}
COLUMNS = ("时间", "人员", "电脑", "操作", "内容", "理由", "批准")


def _value(value: object) -> str:
    if value is None:
        return "（无）"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "（无）"
    return str(value)


def describe(entry: AuditEntry) -> str:
    """The change in words: each field's old and new value."""
    parts = []
    for key, change in entry.changes.items():
        name = FIELDS.get(key, key)
        if isinstance(change, list) and len(change) == 2:
            old, new = change
            if old is None:
                parts.append(f"{name}：{_value(new)}")
            else:
                parts.append(f"{name}：{_value(old)} → {_value(new)}")
        else:
            parts.append(f"{name}：{_value(change)}")
    return "；".join(parts)


class HistoryView(QWidget):
    """The open ad's history from the audit, oldest first; refreshed on every open and save."""

    def __init__(self, executor: DbExecutor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historyView")
        self.executor = executor
        self.ad_id: int | None = None
        self.heading = QLabel(self.tr("新广告还没有记录。"))
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("historyTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        box = QVBoxLayout(self)
        box.addWidget(self.heading)
        box.addWidget(self.table, 1)

    def show_ad(self, ad_id: int | None) -> None:
        self.ad_id = ad_id
        if ad_id is None:
            self.heading.setText(self.tr("新广告还没有记录。"))
            self.table.setRowCount(0)
            return
        self.executor.submit(lambda: (ad_id, entries(ad_id=ad_id)), self._loaded)

    def _loaded(self, result: tuple[int, list[AuditEntry]]) -> None:
        ad_id, found = result
        if ad_id != self.ad_id:
            return  # another ad was opened meanwhile
        self.heading.setText(self.tr("广告 #{0} 的修改记录（{1} 条）").format(ad_id, len(found)))
        self.table.setRowCount(len(found))
        for row, e in enumerate(found):
            cells = (
                f"{e.at:%Y-%m-%d %H:%M:%S}",
                e.user or self.tr("（未登录）"),
                e.computer,
                self.tr(ACTIONS.get(e.action, e.action)),
                describe(e),
                e.reason,
                e.approver,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if e.action == "ad.cancel":
                    font = QFont(item.font())
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, col, item)
        self.table.resizeRowsToContents()
        self.table.scrollToBottom()

    def texts(self) -> list[list[str]]:
        """What the table shows, row by row (tests read it)."""
        return [
            [
                (item.text() if (item := self.table.item(r, c)) is not None else "")
                for c in range(self.table.columnCount())
            ]
            for r in range(self.table.rowCount())
        ]
