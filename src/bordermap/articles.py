"""Reading articles: plain text or Markdown with optional front matter.

An article's ``text`` is its body (everything after the front matter), in
Unicode NFC; mention offsets refer to it. Front matter is a block of simple
``key: value`` lines between ``---`` fences at the top of the file, or TOML
between ``+++`` fences (as Hugo writes it); either gives ``meta`` strings.
"""

from __future__ import annotations

import codecs
import datetime
import difflib
import errno
import hashlib
import os
import re
import sys
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from bordermap.dates import Period, parse_period
from bordermap.errors import ArticleError, DateError

__all__ = [
    "KEYS",
    "Article",
    "meant_key",
    "read_article",
    "parse_article",
    "article_paths",
    "iter_articles",
]

ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".text")


@dataclass(frozen=True)
class Article:
    """One article: its id, metadata from front matter, and body text."""

    id: str
    text: str
    meta: dict[str, str] = field(default_factory=dict)
    path: str = ""
    #: SHA-256 of the file's bytes as read (the manifest records it); "" for a text.
    sha256: str = field(default="", compare=False)

    @cached_property
    def text_sha256(self) -> bytes:
        """SHA-256 of the text's UTF-8 (what keys of its mentions hash)."""
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).digest()

    @property
    def title(self) -> str:
        return self.meta.get("title", "")

    @property
    def outlet(self) -> str:
        return self.meta.get("outlet", "")

    @property
    def date(self) -> str:
        return self.meta.get("date", "")

    @cached_property
    def period(self) -> Period:
        """The front matter's ``date`` as a :class:`~bordermap.dates.Period` (checked on
        read), parsed once per article (a build asks for it per mention)."""
        return parse_period(self.date)

    @property
    def derived_from(self) -> tuple[str, ...]:
        """The article ids this one retells (front matter ``derived_from: "003, 007"``, or a
        YAML list: ``[003, "007"]``)."""
        raw = self.meta.get("derived_from", "").strip()
        if raw.startswith("[") and raw.endswith("]"):
            raw = raw[1:-1]
        ids = (x.strip().strip("\"'").strip() for x in raw.replace(";", ",").split(","))
        return tuple(x for x in ids if x)


#: The front matter keys bordermap reads; others are kept in ``meta`` and left unused.
KEYS = ("id", "title", "outlet", "author", "date", "url", "derived_from")
# Keys other tools write for what bordermap reads under another name.
_SYNONYMS = {
    "source": "outlet", "publication": "outlet", "publisher": "outlet", "newspaper": "outlet",
    "site": "outlet", "published": "date", "pubdate": "date", "date_published": "date",
    "published_at": "date", "datetime": "date", "link": "url", "authors": "author",
    "byline": "author", "derived": "derived_from", "retells": "derived_from",
}  # fmt: skip


def meant_key(key: str) -> str:
    """The key bordermap reads that a front matter ``key`` it does not read seems to mean
    ("Date", "derived-from", "source"), or "" for one of its own or one unlike any."""
    if key in KEYS:
        return ""
    norm = re.sub(r"[\s-]+", "_", re.sub(r"(?<=[a-z])(?=[A-Z])", "_", key.strip())).casefold()
    if norm in KEYS:
        return norm
    if norm in _SYNONYMS:
        return _SYNONYMS[norm]
    if len(norm) < 4:
        return ""  # "uid", "dat": too short to be taken for a misspelling
    close = difflib.get_close_matches(norm, KEYS, n=1, cutoff=0.8)
    return close[0] if close else ""


def _unquote(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        inner = value[1:-1]
        if value[0] == '"':
            inner = inner.replace('\\"', '"').replace("\\\\", "\\")
        else:
            inner = inner.replace("''", "'")
        return inner
    return value


def _split_front_matter(raw: str, name: str) -> tuple[dict[str, str], str]:
    """The front matter of ``raw`` as ``meta`` strings, and the body after it."""
    fence = raw[:3]
    if fence not in ("---", "+++"):
        return {}, raw
    end = raw.find("\n")
    if (raw if end < 0 else raw[:end]).strip() != fence:
        return {}, raw
    closing = ("---", "...") if fence == "---" else ("+++",)
    # Line by line up to the closing fence only: the body is not split into lines.
    lines: list[str] = []
    first: ArticleError | None = None  # a TOML error at the first '+++' that closes
    while end >= 0:
        start = end + 1
        end = raw.find("\n", start)
        line = raw[start:] if end < 0 else raw[start:end]
        if line.strip() in closing:
            try:
                meta = _meta(lines, name) if fence == "---" else _toml_meta(lines, name)
            except ArticleError as exc:
                # A '+++' line inside a TOML multi-line string closes nothing: the
                # front matter may end at a later one (its first error stands if none).
                if fence == "---" or len(lines) > _TOML_LINES:
                    raise (first or exc) from None
                first = first or exc
            else:
                return meta, "" if end < 0 else raw[end + 1 :]
        lines.append(line)
    if first is not None:
        raise first from None
    raise ArticleError(f"{name}: front matter opened with '{fence}' is never closed")


#: How far a ``+++`` front matter is looked for past a '+++' line its TOML does not end at.
_TOML_LINES = 500


#: Where tomllib's message says its error is: "(at line 2, column 5)", "(at end of document)".
_TOML_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)$")


def _toml_meta(lines: list[str], name: str) -> dict[str, str]:
    """The TOML of a ``+++`` front matter (its file lines 2, 3, ...) as ``meta`` strings:
    see :func:`_toml_text` for what each value becomes."""
    try:
        table = tomllib.loads("".join(line + "\n" for line in lines))
    except tomllib.TOMLDecodeError as exc:
        raise ArticleError(f"{name}: {_toml_error(str(exc), len(lines))}") from None
    except RecursionError:  # tables nested hundreds deep
        raise ArticleError(
            f"{name}: front matter between '+++' lines nests too deep; "
            "bordermap reads strings, numbers, dates and lists"
        ) from None
    meta: dict[str, str] = {}
    for key, value in table.items():
        text = _toml_text(value)
        if text is None:
            line = _toml_line(lines, key)
            where = f"line {line}: " if line else ""
            raise ArticleError(
                f"{name}: {where}front matter key {key!r} is {_toml_kind(value)}; bordermap "
                "reads strings, numbers, dates and lists of them: give it one of these"
            )
        meta[key] = text
    return meta


def _toml_error(message: str, count: int) -> str:
    """tomllib's ``message`` about a front matter of ``count`` lines, with its line
    counted in the file (the ``+++`` is line 1)."""
    at = _TOML_AT.search(message)
    if at is None:
        where, reason = "", message
    elif at[1] is None:
        where, reason = f"line {count + 1}, at the end of the front matter: ", message[: at.start()]
    else:
        where, reason = f"line {int(at[1]) + 1}, column {at[2]}: ", message[: at.start()]
    return f"{where}front matter between '+++' lines is not valid TOML: {reason}"


def _toml_text(value: object) -> str | None:
    """A TOML value as the ``meta`` string a ``---`` front matter would give: a string as
    it is, a date, time or date-time as its ISO text, a number or boolean as its TOML
    text, a list of these joined by ", "; None for a table or a list holding one."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: a bool is an int
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, list):
        items = [_toml_text(x) if not isinstance(x, list) else None for x in value]
        if any(x is None for x in items):
            return None
        return ", ".join(x for x in items if x)
    return None


def _toml_kind(value: object) -> str:
    """What a value :func:`_toml_text` refuses is, for the error that names it."""
    return "a table" if isinstance(value, dict) else "a list holding tables or lists"


def _toml_line(lines: list[str], key: str) -> int:
    """The file line (2, 3, ...) of the front matter that sets ``key`` at the top level
    (``key = ``, ``key.sub = ``, ``[key]``, ``[[key.sub]]``; bare or quoted), or 0."""
    quoted = "|".join(re.escape(q + key + q) for q in ("", '"', "'"))
    start = re.compile(rf"\s*(?:\[\[?\s*)?(?:{quoted})\s*[=.\]]")
    for n, line in enumerate(lines, start=2):
        if start.match(line):
            return n
    return 0


_ITEM = re.compile(r"\s*-(?:\s+(.*))?$")


def _meta(lines: list[str], name: str) -> dict[str, str]:
    """The ``key: value`` lines of a front matter (its file lines 2, 3, ...); a key with no
    value followed by YAML list items (``- 003`` lines) holds them joined by ", "."""
    meta: dict[str, str] = {}
    listed, items = "", list[str]()  # the last key while it has no value, and its items
    for n, line in enumerate(lines, start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        item = _ITEM.match(line)
        if item is not None:
            if not listed:
                raise ArticleError(f"{name}: line {n}: a list item ('- ...') needs a 'key:' "
                                   "line with no value above it")  # fmt: skip
            items.append(_unquote(item.group(1) or ""))
            meta[listed] = ", ".join(x for x in items if x)
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip():
            raise ArticleError(f"{name}: line {n}: front matter needs 'key: value'")
        key = key.strip()
        meta[key] = _unquote(value)
        listed, items = ("", []) if value.strip() else (key, [])
    return meta


def parse_article(raw: str, name: str, default_id: str, sha256: str = "") -> Article:
    """Build an :class:`Article` from decoded file content (``sha256``: of the file's bytes).

    Raises
    ------
    ArticleError
        If the front matter is malformed or the body is empty.
    """
    raw = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    meta, body = _split_front_matter(raw, name)
    if not body.strip():
        raise ArticleError(f"{name}: the article is empty")
    article_id = meta.get("id", "").strip() or default_id
    try:
        parse_period(meta.get("date", ""))
    except DateError as exc:
        raise ArticleError(f"{name}: front matter date: {exc}") from None
    return Article(id=article_id, text=body, meta=meta, path=name, sha256=sha256)


def read_article(path: str | Path) -> Article:
    """Read one article file (``-`` reads standard input).

    Raises
    ------
    ArticleError
        If the file is missing, unreadable, binary, not UTF-8 or empty.
    """
    if str(path) == "-":
        data = sys.stdin.buffer.read()
        sha = hashlib.sha256(data).hexdigest()
        return parse_article(_decode(data, "<stdin>"), "<stdin>", "stdin", sha)
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise ArticleError(f"{p}: no such file") from None
    except IsADirectoryError:
        raise ArticleError(f"{p}: is a directory") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ArticleError(_LOOP.format(p)) from None
        raise ArticleError(f"{p}: cannot be read ({exc.strerror or exc})") from None
    sha = hashlib.sha256(data).hexdigest()
    return parse_article(_decode(data, str(p)), str(p), p.stem, sha)


#: Byte-order marks of the Unicode encodings an article may be saved in, longest first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _unmarked_utf16(head: bytes) -> str | None:
    """``"UTF-16LE"``/``"UTF-16BE"`` when ``head`` looks like BOM-less UTF-16 text."""
    if len(head) < 4:
        return None
    even, odd = head[0::2], head[1::2]
    for zeros, name in ((odd, "UTF-16LE"), (even, "UTF-16BE")):
        if zeros.count(0) >= 0.9 * len(zeros):
            return name
    return None


def _decode(data: bytes, name: str) -> str:
    """Article bytes as text: UTF-8, or UTF-16/32 with a byte-order mark."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise ArticleError(
                    f"{name}: starts with a {codec.upper()} byte-order mark but is not valid "
                    f"{codec.upper()} (byte {exc.start}); re-save the article as UTF-8"
                ) from None
            if not text.strip("\ufeff \t\r\n"):
                raise ArticleError(f"{name}: the article is empty")
            return text
    if not data.strip():
        raise ArticleError(f"{name}: the article is empty")
    if b"\x00" in data[:8192]:
        utf16 = _unmarked_utf16(data[:8192])
        if utf16 is not None:
            raise ArticleError(
                f"{name}: looks like {utf16} text without a byte-order mark; "
                "re-save the article as UTF-8"
            )
        raise ArticleError(f"{name}: looks like a binary file, not a text article")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(
            f"{name}: is not valid UTF-8 (byte {exc.start}); re-save the article as UTF-8"
        ) from None


_LOOP = "{}: is a symbolic link that loops back on itself; point it at an article or remove it"


def _check_link(p: Path) -> None:
    """A symbolic link that loops or dangles gets its own message, not "no such file"."""
    if not p.is_symlink():
        return
    try:
        p.resolve(strict=True)
    except RuntimeError:  # Python < 3.13 reports a loop this way
        raise ArticleError(_LOOP.format(p)) from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise ArticleError(_LOOP.format(p)) from None
        raise ArticleError(
            f"{p}: is a symbolic link to {os.readlink(p)}, which does not exist"
        ) from None


def article_paths(path: str | Path) -> list[Path]:
    """The article files under ``path``: the file itself, or a directory's
    ``.md``/``.markdown``/``.txt``/``.text`` files, recursively, sorted.

    Raises
    ------
    ArticleError
        If ``path`` does not exist or a directory holds no article.
    """
    return [Path(f) for f, _ in _article_files(path)]


def _article_files(path: str | Path) -> list[tuple[str, str | None]]:
    """:func:`article_paths` as strings, each with its resolved path when it was found
    cheaply (a directory's files that are no links: its folder's resolved path and
    name), else None. The folders are read with ``os.scandir``, whose entries know
    their kind, instead of a ``stat`` per file (a large corpus has 100,000)."""
    p = Path(path)
    _check_link(p)
    if p.is_dir():
        found: list[tuple[list[str], str, str | None]] = []
        _scan(str(p), os.path.realpath(p), [], found)
        if not found:
            raise ArticleError(f"{p}: no articles (*.md, *.txt) in this directory")
        found.sort(key=lambda f: f[0])  # as Path objects sort: part by part
        return [(f, real) for _, f, real in found]
    if not p.exists():
        raise ArticleError(f"{p}: no such file or directory")
    return [(str(p), None)]


def _scan(
    folder: str, real: str, parts: list[str], found: list[tuple[list[str], str, str | None]]
) -> None:
    """The articles under ``folder`` (resolved: ``real``), ``parts`` below the corpus
    folder, into ``found``: what ``Path.rglob("*")`` finds (symbolic links to folders
    are not followed, to files they are), hidden files and folders and READMEs aside."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except PermissionError:
        return
    for entry in entries:
        name = entry.name
        if name.startswith("."):
            continue
        link = entry.is_symlink()
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir and not link:
            _scan(entry.path, os.path.join(real, name), [*parts, name], found)
        elif (
            os.path.splitext(name)[1].lower() in ARTICLE_SUFFIXES
            and name.upper() != "README.MD"
            and not is_dir
            and entry.is_file()
        ):
            found.append(([*parts, name], entry.path, None if link else os.path.join(real, name)))


def iter_articles(paths: Iterable[str | Path]) -> Iterator[Article | ArticleError]:
    """Yield each article under ``paths``, or the error that stopped it.

    Errors are yielded, not raised, so one bad file never stops the others.
    A file reached twice (a folder and a file in it, two links to one file)
    is read once.
    """
    # Resolved paths as strings: a Path object costs several times more, and a
    # corpus of 100,000 files keeps one each until the end.
    seen: set[str] = set()
    for path in paths:
        if str(path) == "-":
            targets: list[tuple[str, str | None]] = [("-", None)]
        else:
            try:
                targets = _article_files(path)
            except ArticleError as exc:
                yield exc
                continue
        for target, real in targets:
            if target != "-":
                real = real or str(Path(target).resolve())
                if real in seen:
                    continue
                seen.add(real)
            try:
                yield read_article(target)
            except ArticleError as exc:
                yield exc
