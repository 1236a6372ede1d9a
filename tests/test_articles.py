from __future__ import annotations

from pathlib import Path

import pytest

from bordermap.articles import (
    Article,
    article_paths,
    iter_articles,
    meant_key,
    parse_article,
    read_article,
)
from bordermap.errors import ArticleError


def test_front_matter_gives_id_and_metadata(tmp_path: Path) -> None:
    p = tmp_path / "story.md"
    p.write_text('---\nid: "x1"\ntitle: "Hyesan \\"today\\""\noutlet: Daily NK\n---\nBody text.\n')
    a = read_article(p)
    assert a.id == "x1"
    assert a.title == 'Hyesan "today"'
    assert a.outlet == "Daily NK"
    assert a.text == "Body text.\n"


def test_without_front_matter_the_stem_is_the_id(tmp_path: Path) -> None:
    p = tmp_path / "plain-story.txt"
    p.write_text("Dandong\r\nSinuiju")
    a = read_article(p)
    assert a == Article(id="plain-story", text="Dandong\nSinuiju", meta={}, path=str(p))


def test_text_is_nfc() -> None:
    a = parse_article("Sinu\u0306iju", "x", "x")
    assert a.text == "Sinŭiju"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the article is empty"),
        (b"  \n\t", "the article is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "looks like a binary file, not a text article"),
        (b"Sinuiju \xff\xfe", "is not valid UTF-8 (byte 8); re-save the article as UTF-8"),
        (b"---\nid: 1\nno end", "front matter opened with '---' is never closed"),
        (b"---\nid\n---\nbody", "line 2: front matter needs 'key: value'"),
        (b"---\nid: 7\n---\n\n", "the article is empty"),
        (
            b"---\nid: 7\n  - a\n---\nbody",
            "line 3: a list item ('- ...') needs a 'key:' line with no value above it",
        ),
    ],
)
def test_bad_files_name_the_file(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.md"
    p.write_bytes(content)
    with pytest.raises(ArticleError) as err:
        read_article(p)
    assert str(err.value) == f"{p}: {message}"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="no such file"):
        read_article(tmp_path / "nope.md")


def test_directories_are_searched_recursively(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.md").write_text("x")
    (tmp_path / "two.txt").write_text("y")
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "three.md").write_text("z")
    assert [p.name for p in article_paths(tmp_path)] == ["one.md", "two.txt"]


def test_empty_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArticleError) as err:
        article_paths(tmp_path)
    assert str(err.value) == f"{tmp_path}: no articles (*.md, *.txt) in this directory"


def test_iter_articles_yields_errors_and_goes_on(tmp_path: Path) -> None:
    good = tmp_path / "good.md"
    good.write_text("Hyesan")
    items = list(iter_articles([tmp_path / "missing.md", good]))
    assert isinstance(items[0], ArticleError)
    assert isinstance(items[1], Article) and items[1].id == "good"


ARTICLE = "---\ntitle: Dandong\n---\nA 5G checkpoint in Dandong.\n"


@pytest.mark.parametrize(
    "codec, bom",
    [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"),
     ("utf-32-le", b"\xff\xfe\x00\x00")],
)  # fmt: skip
def test_unicode_with_a_byte_order_mark_is_read(tmp_path: Path, codec: str, bom: bytes) -> None:
    p = tmp_path / "story.md"
    p.write_bytes(bom + ARTICLE.encode(codec))
    a = read_article(p)
    assert (a.title, a.text) == ("Dandong", "A 5G checkpoint in Dandong.\n")


def test_utf16_without_a_byte_order_mark_is_named(tmp_path: Path) -> None:
    p = tmp_path / "story.md"
    p.write_bytes(ARTICLE.encode("utf-16-le"))
    with pytest.raises(ArticleError) as info:
        read_article(p)
    assert str(info.value) == (
        f"{p}: looks like UTF-16LE text without a byte-order mark; re-save the article as UTF-8"
    )


def test_symlink_loop_is_named_as_such(tmp_path: Path) -> None:
    loop = tmp_path / "loop.md"
    loop.symlink_to(loop)
    message = (
        f"{loop}: is a symbolic link that loops back on itself; point it at an article or remove it"
    )
    with pytest.raises(ArticleError) as info:
        article_paths(loop)
    assert str(info.value) == message
    with pytest.raises(ArticleError) as info:
        read_article(loop)
    assert str(info.value) == message


def test_dangling_symlink_names_its_target(tmp_path: Path) -> None:
    link = tmp_path / "gone.md"
    link.symlink_to(tmp_path / "nowhere.md")
    with pytest.raises(ArticleError) as info:
        article_paths(link)
    assert (
        str(info.value)
        == f"{link}: is a symbolic link to {tmp_path / 'nowhere.md'}, which does not exist"
    )


def test_a_file_reached_twice_is_read_once(tmp_path: Path) -> None:
    p = tmp_path / "a.md"
    p.write_text(ARTICLE)
    (tmp_path / "same.md").symlink_to(p)
    got = list(iter_articles([tmp_path, p]))
    assert [a.id for a in got if isinstance(a, Article)] == ["a"]


@pytest.mark.parametrize("written", ['"a06, a01"', "a06; a01", "[a06, a01]", "[ \"a06\", 'a01' ]"])
def test_derived_from_reads_a_list_however_written(written: str) -> None:
    article = Article("x", "Text.", {"derived_from": written})
    assert article.derived_from == ("a06", "a01")


def test_a_yaml_block_list_in_the_front_matter(tmp_path: Path) -> None:
    p = tmp_path / "x.md"
    p.write_text('---\nderived_from:\n  - a06\n  - "a01"\n# a comment\n-\ntitle: T\n---\nText.\n')
    article = read_article(p)
    assert article.derived_from == ("a06", "a01")
    assert article.meta == {"derived_from": "a06, a01", "title": "T"}


@pytest.mark.parametrize(
    ("key", "meant"),
    [("Date", "date"), ("derived-from", "derived_from"), ("derivedFrom", "derived_from"),
     ("auther", "author"), ("source", "outlet"), ("URL", "url"), ("date", ""), ("tags", ""),
     ("colour", "")],
)  # fmt: skip
def test_a_front_matter_key_bordermap_does_not_read_is_matched_to_one_it_does(
    key: str, meant: str
) -> None:
    assert meant_key(key) == meant


HUGO = """+++
title = "Smuggling on the Yalu"
date = 2023-10-05
outlet = 'Daily NK'
id = 17
draft = true
derived_from = ["003", 7]
updated = 2023-10-06T08:30:00Z
+++

Traders in Hyesan say smuggling across the Yalu has slowed.
"""


def test_toml_front_matter_between_plus_lines(tmp_path: Path) -> None:
    p = tmp_path / "hugo.md"
    p.write_text(HUGO)
    a = read_article(p)
    assert (a.id, a.title, a.outlet, a.date) == ("17", "Smuggling on the Yalu", "Daily NK",
                                                 "2023-10-05")  # fmt: skip
    assert a.meta["draft"] == "true"
    assert a.meta["updated"] == "2023-10-06T08:30:00+00:00"
    assert a.derived_from == ("003", "7")
    assert a.period.precision == "day"
    assert a.text == "\nTraders in Hyesan say smuggling across the Yalu has slowed.\n"


def test_a_plus_line_inside_a_toml_multiline_string_closes_nothing(tmp_path: Path) -> None:
    p = tmp_path / "hugo.md"
    p.write_text('+++\nid = 4\nnote = """\nan aside\n+++\nmore aside"""\noutlet = "NK News"\n'
                 "+++\nGuards in Hyesan.\n")  # fmt: skip
    a = read_article(p)
    assert (a.id, a.outlet, a.meta["note"]) == ("4", "NK News", "an aside\n+++\nmore aside")
    assert a.text == "Guards in Hyesan.\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('+++\ntitle = "x"\nno end', "front matter opened with '+++' is never closed"),
        (
            '+++\ntitle = "x"\ndate =\n+++\nbody',
            "line 3, column 7: front matter between '+++' lines is not valid TOML: Invalid value",
        ),
        (
            '+++\ntitle = "x\n+++\nbody',
            "line 2, column 11: front matter between '+++' lines is not valid TOML: "
            "Illegal character '\\n'",
        ),
        (
            '+++\ntitle = "x"\n\n[params]\nmood = "grim"\n+++\nbody',
            "line 4: front matter key 'params' is a table; bordermap reads strings, numbers, "
            "dates and lists of them: give it one of these",
        ),
        (
            "+++\n[[resources]]\nsrc = 'a.jpg'\n+++\nbody",
            "line 2: front matter key 'resources' is a list holding tables or lists; bordermap "
            "reads strings, numbers, dates and lists of them: give it one of these",
        ),
        (
            "+++\nwhere = {lat = 41.4}\n+++\nbody",
            "line 2: front matter key 'where' is a table; bordermap reads strings, numbers, "
            "dates and lists of them: give it one of these",
        ),
    ],
)
def test_bad_toml_front_matter_names_the_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    p = tmp_path / "bad.md"
    p.write_text(content)
    with pytest.raises(ArticleError) as err:
        read_article(p)
    assert str(err.value) == f"{p}: {message}"


def test_a_toml_front_matter_date_is_checked(tmp_path: Path) -> None:
    p = tmp_path / "bad.md"
    p.write_text('+++\ndate = "2021-02-30"\n+++\nbody')
    with pytest.raises(ArticleError, match="bad.md: front matter date: '2021-02-30'"):
        read_article(p)


def test_toml_front_matter_nested_too_deep_is_one_error(tmp_path: Path) -> None:
    p = tmp_path / "deep.md"
    p.write_text("+++\nx = " + "{a=" * 500 + "1" + "}" * 500 + "\n+++\nHyesan.\n")
    with pytest.raises(ArticleError) as err:
        read_article(p)
    assert str(err.value).startswith(f"{p}: front matter between '+++' lines nests too deep")
