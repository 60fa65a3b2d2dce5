"""``adsdesk user add|list|disable|enable|passwd``: the desk's accounts and their roles."""

from __future__ import annotations

import argparse
import getpass
import sys

from adsdesk.commands.common import open_db, print_json
from adsdesk.errors import EXIT_OK, UserError

NAME = "user"
HELP = "账户：添加、列出、停用（角色：受理员 主管 排版 财务 管理员）"


def configure(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(
        dest="action", metavar="ACTION", required=True, parser_class=type(parser)
    )
    add = sub.add_parser("add", help="添加账户；密码从终端或标准输入读取")
    add.add_argument("name", metavar="NAME", help="登录名")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        metavar="R",
        help="角色（可多次给出或用逗号分隔）：受理员/clerk 主管/supervisor 排版/layout 财务/cashier 管理员/admin",
    )
    add.add_argument("--full-name", default="", help="姓名（显示用）")
    for action, text in (("disable", "停用账户（记录保留）"), ("enable", "重新启用账户")):
        p = sub.add_parser(action, help=text)
        p.add_argument("name", metavar="NAME", help="登录名")
    p = sub.add_parser("passwd", help="重设密码（并解除锁定）")
    p.add_argument("name", metavar="NAME", help="登录名")
    p = sub.add_parser("list", help="列出账户")
    p.add_argument("--json", action="store_true", help="以 JSON 打印")
    for p in sub.choices.values():
        p.add_argument(
            "--db", metavar="PATH_OR_URL", default=argparse.SUPPRESS, help="数据库文件或 URL"
        )


def _read_password(confirm: bool = True) -> str:
    """From the terminal (asked twice), else the first line of stdin."""
    if sys.stdin.isatty():
        first = getpass.getpass("密码：")
        if confirm and getpass.getpass("再输一次：") != first:
            raise UserError("两次输入的密码不一样。")
        return first
    line = sys.stdin.readline()
    if not line:
        raise UserError("没有读到密码：请在终端输入，或从标准输入给一行密码。")
    return line.rstrip("\r\n")


def run(args: argparse.Namespace) -> int:
    from adsdesk.store import users

    open_db(args, existing=args.action != "add")  # the first account may start a desk
    if args.action == "add":
        roles = users.parse_roles(args.role)  # a wrong role is told before the password
        users.add_user(args.name, _read_password(), roles, args.full_name)
        names = "、".join(users.ROLE_NAMES[r] for r in roles)
        print(f"已添加账户 {args.name.strip()}（{names}）。")
    elif args.action == "list":
        rows = users.list_users()
        if args.json:
            print_json({"users": [u.as_dict() for u in rows]})
        else:
            for u in rows:
                role_names = "、".join(users.ROLE_NAMES.get(r, r) for r in u.roles)
                state = "" if u.active else "  已停用"
                if u.locked_until is not None:
                    state += f"  锁定到 {u.locked_until:%H:%M}"
                print(f"{u.name}  {u.full_name}  {role_names}{state}".replace("    ", "  "))
            if not rows:
                print("还没有账户。用 adsdesk user add NAME --role 管理员 添加第一个。")
    elif args.action in ("disable", "enable"):
        users.set_active(args.name, args.action == "enable")
        print(f"账户 {args.name} 已{'启用' if args.action == 'enable' else '停用'}。")
    elif args.action == "passwd":
        users.set_password(args.name, _read_password())
        print(f"账户 {args.name} 的密码已重设。")
    return EXIT_OK
