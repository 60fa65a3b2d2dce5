"""The command line's parser, in Chinese: its help headings and its messages about bad options.

argparse writes English ("usage:", "the following arguments are required: …"); a clerk who
mistypes a command reads one Chinese sentence instead. Messages argparse may word differently
in a later Python fall through unchanged, inside the same sentence.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import Any
from unicodedata import east_asian_width

from adsdesk.errors import UserError

_VALUE = r"(?P<value>'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\S+)"
_TYPE_NAMES = {"int": "整数", "float": "数字"}


def _shown(value: str) -> str:
    """A value as argparse quoted it ('abc'), in Chinese quotes (“abc”)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        value = value[1:-1]
    return f"“{value}”"


def _choices(text: str) -> str:
    return "、".join(c.strip().strip("'\"") for c in text.split(","))


def _required(m: re.Match[str]) -> str:
    return f"少写了 {m['names']}"


def _invalid_value(m: re.Match[str]) -> str:
    kind = _TYPE_NAMES.get(m["type"], m["type"])
    return f"{m['arg']} 要写{kind}，{_shown(m['value'])} 不是"


def _invalid_choice(m: re.Match[str]) -> str:
    if m["arg"] in ("COMMAND", "ACTION"):  # the metavars of the command lists
        return f"没有 {_shown(m['value'])} 这个命令，可用的有：{_choices(m['choices'])}"
    return f"{m['arg']} 不能是 {_shown(m['value'])}，可选：{_choices(m['choices'])}"


# argparse's messages (Python 3.11-3.13) and their Chinese: a template or a function of the match.
_MESSAGES: tuple[tuple[re.Pattern[str], Any], ...] = tuple(
    (re.compile(pattern + "$"), said)
    for pattern, said in (
        (r"the following arguments are required: (?P<names>.+)", _required),
        (r"argument (?P<arg>\S+): expected one argument", "{arg} 后面要写一个值"),
        (r"argument (?P<arg>\S+): expected at most one argument", "{arg} 后面最多写一个值"),
        (r"argument (?P<arg>\S+): expected at least one argument", "{arg} 后面至少要写一个值"),
        (r"argument (?P<arg>\S+): expected (?P<n>\d+) arguments?", "{arg} 后面要写 {n} 个值"),
        (r"argument (?P<arg>\S+): invalid (?P<type>\w+) value: " + _VALUE, _invalid_value),
        (
            r"argument (?P<arg>\S+): invalid choice: "
            + _VALUE
            + r" \(choose from (?P<choices>.+)\)",
            _invalid_choice,
        ),
        (
            r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)",
            "{arg} 和 {other} 不能一起用",
        ),
        (r"argument (?P<arg>\S+): ignored explicit argument " + _VALUE, "{arg} 后面不能写值"),
        (r"one of the arguments (?P<names>.+) is required", "{names} 要写其中一个"),
        (
            r"ambiguous option: (?P<arg>\S+) could match (?P<names>.+)",
            "{arg} 不明确，可能是 {names}",
        ),
        (r"unrecognized arguments: (?P<args>.+)", "不认识的参数：{args}"),
        # The desk's own checks of a value (dates, amounts) already say it in Chinese.
        (r"argument (?P<arg>\S+): (?P<said>.+)", "{arg}：{said}"),
    )
)


def chinese(message: str) -> str:
    """argparse's message about a bad command line, in Chinese (unchanged when unknown)."""
    for pattern, said in _MESSAGES:
        m = pattern.match(message)
        if m is not None:
            return said(m) if callable(said) else said.format(**m.groupdict())
    return message


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: a Chinese character (or a full-width form) two."""
    return sum(2 if east_asian_width(ch) in "WF" else 1 for ch in text)


# Closing punctuation never opens a line (it hangs past the width instead), as in print.
_NO_LINE_START = frozenset("，。、；：！？）」』”’》〉】")
# … nor does an ASCII word glued to the character before it by one of these (主管/supervisor):
# that character goes down with it.
_GLUED = tuple("/,.;:)]}!?%")


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns: broken between Chinese characters (they
    need no space) or at spaces, an ASCII word kept whole (textwrap, which argparse uses,
    counts characters, not columns, and breaks only at spaces)."""
    lines: list[str] = []
    line, used = "", 0
    for piece in re.findall(r"[ -~]+?(?= |$|[^ -~])| |[^ -~]", " ".join(text.split())):
        w = display_width(piece)
        glued = piece.startswith(_GLUED) and line[-1:] > "~"
        # (a glued word after its character alone overflows: it has nothing to break before)
        breaks = line.strip() and not (glued and len(line.strip()) == 1)
        if used + w > width and breaks and piece not in _NO_LINE_START:
            carry = ""
            if glued:
                line, carry = line[:-1], line[-1]
            lines.append(line.rstrip())
            piece = carry + piece.lstrip()
            line, used = "", 0
            w = display_width(piece)
        line += piece
        used += w
    if line.strip():
        lines.append(line.rstrip())
    return lines


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help, laid out by terminal columns: Chinese metavars (--map 表头=字段) and
    Chinese help texts are twice as wide as their length, which argparse takes for their width."""

    def add_argument(self, action: argparse.Action) -> None:
        if action.help is argparse.SUPPRESS:
            return
        invocations = [self._format_action_invocation(action)]
        invocations += map(self._format_action_invocation, self._iter_indented_subactions(action))
        length = max(map(display_width, invocations)) + self._current_indent
        self._action_max_length = max(self._action_max_length, length)
        self._add_item(self._format_action, [action])

    def _format_action(self, action: argparse.Action) -> str:
        help_position = min(self._action_max_length + 2, self._max_help_position)
        help_width = max(self._width - help_position, 11)
        action_width = help_position - self._current_indent - 2
        header = self._format_action_invocation(action)
        indent = " " * self._current_indent
        help_text = self._expand_help(action) if action.help and action.help.strip() else ""
        lines = wrap(help_text, help_width) if help_text else []
        if not lines:
            parts = [f"{indent}{header}\n"]
        elif display_width(header) <= action_width:  # the help starts on the same line
            pad = " " * (action_width - display_width(header) + 2)
            parts = [f"{indent}{header}{pad}{lines[0]}\n"]
            lines = lines[1:]
        else:
            parts = [f"{indent}{header}\n"]
        parts += [f"{' ' * help_position}{line}\n" for line in lines]
        parts += [self._format_action(sub) for sub in self._iter_indented_subactions(action)]
        return self._join_parts(parts)

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese and raises :class:`UserError` instead of exiting."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # the help option is added below, explained in Chinese
        super().__init__(*args, **kwargs)
        # The two default groups' headings ("positional arguments", "options").
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示这段说明")

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UserError(f"参数有误：{chinese(message)}。用 adsdesk --help 查看用法。")
