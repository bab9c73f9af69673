"""Write ``docs/cli.md``, the command-line reference, from the command definitions themselves.

The reference is read off the Typer application through its click command tree, so it cannot
drift from what ``myomap`` accepts: ``tests/docs/test_cli_reference.py`` fails when the file is
stale. Run ``python tools/gen_cli_docs.py`` after changing a command; ``--check`` only compares.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "cli.md"
PROG = "myomap"

# Plain names, by lower-case name of the Python annotation Typer keeps on each parameter or of
# click's parameter type (Typer before 0.29).
_TYPE_NAMES = {
    "str": "TEXT",
    "text": "TEXT",
    "string": "TEXT",
    "int": "INTEGER",
    "integer": "INTEGER",
    "float": "NUMBER",
    "bool": "BOOLEAN",
    "boolean": "BOOLEAN",
    "path": "PATH",
    "posixpath": "PATH",
    "file": "PATH",
    "datetime": "DATETIME",
    "date": "DATE",
}


@dataclass(frozen=True)
class CommandInfo:
    """One command or group, with the words that reach it from ``myomap``."""

    path: tuple[str, ...]
    command: Any

    @property
    def name(self) -> str:
        return " ".join((PROG, *self.path))

    @property
    def is_group(self) -> bool:
        return bool(getattr(self.command, "commands", None))


def root_command() -> Any:
    """The click command tree behind ``myomap`` (Typer builds it on demand)."""
    import typer.main

    from myomap.cli import app

    return typer.main.get_command(app)


def walk(command: Any | None = None, path: tuple[str, ...] = ()) -> Iterator[CommandInfo]:
    """Every visible command and group, depth first, subcommands in name order."""
    command = root_command() if command is None else command
    yield CommandInfo(path, command)
    children: dict[str, Any] = getattr(command, "commands", None) or {}
    for name in sorted(children):
        child = children[name]
        if not getattr(child, "hidden", False):
            yield from walk(child, (*path, name))


def is_argument(param: Any) -> bool:
    return getattr(param, "param_type_name", "") == "argument"


def option_names(param: Any) -> list[str]:
    """All spellings of an option, long names first (``--output``, ``-o``)."""
    names = [*param.opts, *getattr(param, "secondary_opts", [])]
    return sorted(names, key=lambda n: (not n.startswith("--"), names.index(n)))


def visible_params(command: Any) -> list[Any]:
    return [p for p in command.params if not getattr(p, "hidden", False)]


def _annotation_name(annotation: Any) -> tuple[str, bool]:
    """Name of a parameter's value type and whether it is a list (repeatable)."""
    origin = typing.get_origin(annotation)
    if origin in (list, tuple, set):
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        inner = _annotation_name(args[0])[0] if args else "TEXT"
        return inner, True
    if origin is typing.Union or type(annotation).__name__ == "UnionType":
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _annotation_name(args[0]) if args else ("TEXT", False)
    name = getattr(annotation, "__name__", str(annotation))
    return _TYPE_NAMES.get(name.lower(), name.upper()), False


def value_type(param: Any) -> str:
    """What the option or argument takes, e.g. ``INTEGER (1 to 200)`` or ``PATH``."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return "flag"
    descriptor = getattr(param, "type_descriptor", None)
    if descriptor is not None:
        name, _ = _annotation_name(descriptor.annotation)
    else:  # Typer before 0.29 keeps click's parameter types
        ptype = getattr(param, "type", None)
        raw = str(getattr(ptype, "name", "text")).lower().removesuffix(" range")
        name = _TYPE_NAMES.get(raw, raw.upper())
        choices = getattr(ptype, "choices", None)
        if choices:
            name = "|".join(str(c) for c in choices)
    low = getattr(param, "min", None)
    high = getattr(param, "max", None)
    if low is None and high is None:  # click's IntRange and FloatRange keep them on the type
        low = getattr(getattr(param, "type", None), "min", None)
        high = getattr(getattr(param, "type", None), "max", None)
    if low is not None and high is not None:
        name += f" ({low} to {high})"
    elif low is not None:
        name += f" (at least {low})"
    elif high is not None:
        name += f" (at most {high})"
    return name


def repeatable(param: Any) -> bool:
    if getattr(param, "multiple", False):
        return True
    descriptor = getattr(param, "type_descriptor", None)
    return (
        descriptor is not None
        and _annotation_name(descriptor.annotation)[1]
        and not is_argument(param)
    )


def default_text(param: Any) -> str:
    if not getattr(param, "show_default", True) or getattr(param, "required", False):
        return ""
    default = getattr(param, "default", None)
    if default is None or default == () or default == []:
        return ""
    if getattr(param, "is_flag", False):
        return "" if default is False else "on"
    if callable(default):
        return ""
    return str(getattr(default, "value", default))


def argument_label(param: Any) -> str:
    label = str(param.metavar or param.name.upper())
    label = label.rstrip(".")
    if getattr(param, "nargs", 1) == -1:
        label += "..."
    return label


def usage(info: CommandInfo) -> str:
    parts = [info.name, "[OPTIONS]"]
    for param in visible_params(info.command):
        if is_argument(param):
            label = argument_label(param)
            parts.append(label if param.required else f"[{label}]")
    if info.is_group:
        runs_alone = getattr(info.command, "invoke_without_command", False)
        parts.append("[COMMAND [ARGS]...]" if runs_alone else "COMMAND [ARGS]...")
    return " ".join(parts)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return re.sub(r"\s+", " ", text).strip().replace("|", "\\|")


def help_text(command: Any) -> str:
    text = inspect.cleandoc(getattr(command, "help", None) or "")
    # click's "\b" marks a paragraph that must not be rewrapped; Markdown needs no marker.
    return "\n".join(line for line in text.splitlines() if line.strip() != "\b").strip()


def short_help(command: Any) -> str:
    text = getattr(command, "short_help", None) or help_text(command).split("\n\n")[0]
    return _cell(text)


def anchor(info: CommandInfo) -> str:
    """The heading anchor GitHub and most Markdown renderers give ``## `myomap a b` ``."""
    return "-".join(info.name.split())


def render_command(info: CommandInfo) -> list[str]:
    command = info.command
    lines = [f"## `{info.name}`", ""]
    text = help_text(command)
    if text:
        lines += [text, ""]
    lines += ["```", usage(info), "```", ""]
    params = visible_params(command)
    arguments = [p for p in params if is_argument(p)]
    options = [p for p in params if not is_argument(p)]
    if arguments:
        lines += ["| Argument | Takes | Required | Description |", "|---|---|---|---|"]
        for p in arguments:
            takes = value_type(p) + (", one or more" if getattr(p, "nargs", 1) == -1 else "")
            lines.append(
                f"| `{argument_label(p)}` | {_cell(takes)} | {'yes' if p.required else 'no'} "
                f"| {_cell(getattr(p, 'help', None) or '')} |"
            )
        lines.append("")
    lines += ["| Option | Takes | Default | Description |", "|---|---|---|---|"]
    for p in options:
        names = ", ".join(f"`{n}`" for n in option_names(p))
        takes = value_type(p) + (", repeatable" if repeatable(p) else "")
        desc = getattr(p, "help", None) or ""
        if getattr(p, "required", False):
            desc = "Required. " + desc
        default = default_text(p)
        lines.append(
            f"| {names} | {_cell(takes)} | {_cell(f'`{default}`' if default else '')} "
            f"| {_cell(desc)} |"
        )
    lines.append("| `--help` | flag |  | Show the help and exit. |")
    lines.append("")
    if info.is_group and info.path:  # the root's commands are the table at the top
        lines += ["| Command | What it does |", "|---|---|"]
        for name in sorted(command.commands):
            child = command.commands[name]
            if getattr(child, "hidden", False):
                continue
            target = CommandInfo((*info.path, name), child)
            lines.append(f"| [`{target.name}`](#{anchor(target)}) | {short_help(child)} |")
        lines.append("")
    return lines


def exit_codes() -> list[tuple[int, str, str]]:
    """(exit code, error class, what it means) for every error a command turns into a message."""
    from myomap.domain import errors

    rows: dict[int, tuple[int, str, str]] = {0: (0, "", "Success.")}
    for name, cls in vars(errors).items():
        # The class that sets a code names its kind; subclasses that inherit it are examples.
        if (
            isinstance(cls, type)
            and issubclass(cls, errors.MyomapError)
            and "exit_code" in vars(cls)
        ):
            doc = inspect.cleandoc(cls.__doc__ or "").split("\n\n")[0]
            rows[int(cls.exit_code)] = (int(cls.exit_code), name, _cell(doc))
    return [rows[code] for code in sorted(rows)]


def render() -> str:
    """The whole reference as Markdown (deterministic: same commands, same text)."""
    infos = list(walk())
    lines = [
        "# Command-line reference",
        "",
        "<!-- Generated by tools/gen_cli_docs.py from the command definitions. Do not edit by",
        "     hand: run `python tools/gen_cli_docs.py` after changing a command. -->",
        "",
        "Every `myomap` command, argument and option. Read commands take `--json` for output that",
        "other programs can parse. `myomap COMMAND --help` prints the same information in the",
        "terminal. Settings come from `MYOMAP_*` environment variables: see",
        "[settings](settings.md).",
        "",
        "## Exit codes",
        "",
        "An error prints one line starting with `Error:` on stderr, never a traceback, and exits",
        "with the code of its kind. Messages never contain health data.",
        "",
        "| Code | Kind | Meaning |",
        "|---|---|---|",
    ]
    for code, name, meaning in exit_codes():
        lines.append(f"| {code} | {f'`{name}`' if name else ''} | {meaning} |")
    lines += [
        "",
        "## Commands",
        "",
        "| Command | What it does |",
        "|---|---|",
    ]
    for info in infos[1:]:
        lines.append(f"| [`{info.name}`](#{anchor(info)}) | {short_help(info.command)} |")
    lines.append("")
    for info in infos:
        lines += render_command(info)
    return "\n".join(lines).rstrip("\n") + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUT, help="where to write (docs/cli.md)")
    parser.add_argument("--check", action="store_true", help="only report whether it is current")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output} is {'current' if current else 'stale: run tools/gen_cli_docs.py'}")
        return 0 if current else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
