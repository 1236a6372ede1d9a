"""Typed access to a TOML table of the project file, reporting the key path on error.

A :class:`Reader` wraps one table (the file's root, ``[project]``, one of
``[[layers]]``, …) and hands out its values checked by type and range; every
problem is a :class:`~bordermap.errors.ConfigError` naming the file, the key
path and what was expected (``bordermap.toml: layers[2].color: expected a
colour like "#d62728", got 12``); :meth:`Reader.done` refuses keys no one
asked for, and :meth:`Reader.only` keys not in a list, before anything is read.
:mod:`bordermap.config` reads the project file with it.

>>> r = Reader("p.toml", {"spacing_m": 0}, "annotations[0]")
>>> r.number("spacing_m")
Traceback (most recent call last):
...
bordermap.errors.ConfigError: p.toml: annotations[0].spacing_m: expected a positive number, got 0
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Sequence
from typing import Any

from bordermap.errors import ConfigError
from bordermap.region import Bbox, bbox_problem

__all__ = ["Reader"]


class Reader:
    """Typed access to a TOML table that reports the key path on error."""

    def __init__(self, file: str, table: dict[str, Any], path: str) -> None:
        self.file, self.table, self.path = file, table, path
        self.used: set[str] = set()

    def fail(self, key: str, expected: str, value: Any = None, show: bool = True) -> ConfigError:
        where = f"{self.path}.{key}" if self.path else key
        got = f", got {value!r}" if show else ""
        return ConfigError(f"{self.file}: {where}: expected {expected}{got}")

    def get(self, key: str, default: Any = ...) -> Any:
        self.used.add(key)
        if key not in self.table:
            if default is ...:
                raise self.fail(key, "a value (the key is required)", show=False)
            return default
        return self.table[key]

    def text(self, key: str, default: Any = ..., pattern: re.Pattern[str] | None = None,
            expected: str = "a string") -> str:  # fmt: skip
        value = self.get(key, default)
        if not isinstance(value, str) or (pattern is not None and not pattern.match(value)):
            raise self.fail(key, expected, value)
        return value

    def strs(self, key: str) -> tuple[str, ...]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "a list of strings", value)
        return tuple(value)

    def flag(self, key: str, default: bool = False) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self.fail(key, "true or false", value)
        return value

    def degrees(self, key: str, limit: float) -> float:
        """A latitude (``limit`` 90) or longitude (180) in degrees."""
        value = self.get(key)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or abs(value) > limit
        ):
            raise self.fail(key, f"degrees from -{limit:g} to {limit:g}", value)
        return float(value)

    def number(
        self,
        key: str,
        default: Any = ...,
        zero_ok: bool = False,
        bounds: tuple[float, float] | None = None,
        unit: str = "",
    ) -> float:
        """A finite number, positive (or 0 with ``zero_ok``), within ``bounds`` if given."""
        value = self.get(key, default)
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
            or (value == 0 and not zero_ok)
        ):
            raise self.fail(
                key, "a number of at least 0" if zero_ok else "a positive number", value
            )
        if bounds is not None and not bounds[0] <= value <= bounds[1]:
            lo, hi = (f"{int(b):,}" if b == int(b) else f"{b:,}" for b in bounds)
            raise self.fail(key, f"a number from {lo} to {hi}{unit}", value)
        return float(value)

    def bbox(self, key: str, default: Any = ...) -> Bbox:
        value = self.get(key, default)
        if not isinstance(value, list) or bbox_problem(value) is not None:
            raise self.fail(key, "[west, south, east, north] in degrees", value)
        return (float(value[0]), float(value[1]), float(value[2]), float(value[3]))

    def table_at(self, key: str) -> Reader:
        value = self.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(key, "a table", value)
        return Reader(self.file, value, f"{self.path}.{key}" if self.path else key)

    def tables(self, key: str) -> list[Reader]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(key, f"an array of tables ([[{key}]])", value)
        return [Reader(self.file, v, f"{key}[{i}]") for i, v in enumerate(value)]

    def only(self, known: Sequence[str]) -> None:
        """Refuse, before anything is read, the first key (in file order) not in ``known``,
        naming the known key it is nearest to: ``annotation: unknown key; did you mean
        'annotations'?``."""
        for key in self.table:
            if key not in known:
                where = f"{self.path}.{key}" if self.path else key
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f"did you mean {close[0]!r}?" if close else f"known: {', '.join(known)}"
                raise ConfigError(f"{self.file}: {where}: unknown key; {hint}")

    def done(self) -> None:
        """Refuse the first key (sorted) nothing read, naming the key read (or looked for)
        that it is nearest to: ``layers[2].colour: unknown key; did you mean 'color'?``."""
        for key in sorted(set(self.table) - self.used):
            where = f"{self.path}.{key}" if self.path else key
            close = difflib.get_close_matches(key, sorted(self.used), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"{self.file}: {where}: unknown key{hint}")
