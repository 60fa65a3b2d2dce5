"""The command line: ``adsdesk`` opens the desk; subcommands script every capability.

Every command is a module in ``adsdesk.commands`` with ``NAME``, ``HELP``, ``configure(parser)``
and ``run(args) -> exit code``; this module finds them, parses, and turns errors into one
sentence (a :class:`DeskError`'s own, or the bug sentence naming the log file).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType

from adsdesk.cli_parser import Parser
from adsdesk.errors import EXIT_BLOCKED, EXIT_BUG, DeskError

DEFAULT_COMMAND = "gui"


def _db_option(parser: argparse.ArgumentParser, default: object = None) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH_OR_URL",
        default=default,
        help="数据库文件或 URL（默认在用户数据目录）",
    )


def command_modules() -> list[ModuleType]:
    """Every command module in ``adsdesk.commands``, by name."""
    import adsdesk.commands as package

    found = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        if hasattr(module, "NAME") and hasattr(module, "run"):
            found.append(module)
    return found


# A command whose module is not named after it (``import`` is a keyword).
_MODULE_OF = {"import": "importer"}


def _named_command(args: Sequence[str]) -> str | None:
    """The command named on the line, skipping the global ``--db``; None for ``-h`` etc."""
    rest = iter(args)
    for token in rest:
        if token == "--db":
            next(rest, None)
        elif token.startswith("--db="):
            continue
        elif token.startswith("-"):
            return None
        else:
            return token
    return DEFAULT_COMMAND


def modules_for(args: Sequence[str]) -> list[ModuleType]:
    """Only the named command's module when it is one (a quick start for ``adsdesk phone``),
    else every command, so that help and a mistyped name list them all."""
    name = _named_command(args)
    if name is not None and name.isidentifier():
        try:
            module = importlib.import_module(f"adsdesk.commands.{_MODULE_OF.get(name, name)}")
        except ModuleNotFoundError:
            module = None
        if module is not None and getattr(module, "NAME", None) == name and hasattr(module, "run"):
            return [module]
    return command_modules()


def build_parser(modules: Sequence[ModuleType] | None = None) -> argparse.ArgumentParser:
    parser = Parser(prog="adsdesk", description="便民信息广告受理台")
    _db_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    for module in command_modules() if modules is None else modules:
        p = sub.add_parser(module.NAME, help=module.HELP)
        # Not set after the command: --db before it stands (a command's default would
        # overwrite it, and `adsdesk --db URL search …` searched the desk on this PC).
        _db_option(p, argparse.SUPPRESS)
        module.configure(p)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    try:
        modules = modules_for(args_list)
        args = build_parser(modules).parse_args(args_list)
        command = args.command or DEFAULT_COMMAND  # the default command takes no options
        if command not in ("gui", "demo"):
            from adsdesk.store.actor import cli_actor, set_actor

            set_actor(cli_actor())  # the record names this computer and its login
        module = next(m for m in modules if m.NAME == command)
        return int(module.run(args))
    except DeskError as exc:
        print(f"adsdesk: {exc}", file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and closed early: not an error
        sys.stdout = open(os.devnull, "w")  # silence the flush at exit
        return 0
    except Exception as exc:  # a bug: the traceback to the log file, one sentence to the clerk
        from adsdesk.buglog import report_bug
        from adsdesk.store.database import describe_fault

        sentence = describe_fault(exc)  # disk full, locked, read-only, damaged: not a bug
        if sentence is not None:
            print(f"adsdesk: {sentence}", file=sys.stderr)
            return EXIT_BLOCKED

        print(f"adsdesk: {report_bug(exc, 'adsdesk ' + ' '.join(args_list))}", file=sys.stderr)
        return EXIT_BUG


def desk() -> int:
    """The ``adsdesk-desk`` launcher: open the desk (options as for ``adsdesk gui``).

    Installed as a GUI script: on Windows it has no console, so there is no stderr to print to;
    errors then reach the log file and the desk's own message boxes only.
    """
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w"))
    return main([DEFAULT_COMMAND, *sys.argv[1:]])
