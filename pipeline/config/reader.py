"""Typed access to one table of the TOML document: every problem is a ConfigError naming the full key."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pipeline.errors import ConfigError


class Reader:
    """Typed access to one table of the TOML document, raising ConfigError with the full key."""

    def __init__(self, path: Path, table: dict[str, Any], prefix: str):
        self.path, self.table, self.prefix = path, table, prefix

    def key(self, name: str) -> str:
        return ".".join(p for p in (self.prefix, name) if p)

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.path, self.key(name), problem)

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if name not in self.table:
            if default is ...:
                raise self.fail(name, "is required but missing.")
            return default
        value = self.table[name]
        if isinstance(value, bool) and kind in (int, float):
            raise self.fail(name, f"must be a number, not {value!r}.")
        if kind is float and isinstance(value, int):
            value = float(value)
        if not isinstance(value, kind):
            raise self.fail(name, f"must be {kind_name(kind)}, not {value!r}.")
        return value

    def text(self, name: str, default: Any = ...) -> str:
        value = self.get(name, str, default)
        if isinstance(value, str) and not value.strip() and default is ...:
            raise self.fail(name, "must not be empty.")
        return value

    def texts(self, name: str, default: Any = ...) -> tuple[str, ...]:
        value = self.get(name, list, default)
        if not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(name, "must be a list of non-empty strings.")
        return tuple(value)

    def refuse_unknown(self, known: set[str], what: str = "key") -> None:
        """A key (or table) this table does not know is an error, with the closest known one as a
        suggestion: a misspelt setting must never be silently ignored."""
        for key in sorted(set(self.table) - known):
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f" Did you mean '{close[0]}'?" if close else ""
            raise self.fail(key, f"unknown {what}.{hint} Known: {', '.join(sorted(known))}.")

    def table_of(self, name: str, required: bool = True) -> Reader:
        return Reader(self.path, self.get(name, dict, ... if required else {}), self.key(name))


def kind_name(kind: type | tuple[type, ...]) -> str:
    names = {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        list: "a list",
        dict: "a table",
    }
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)
