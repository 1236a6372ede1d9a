"""Google Earth renders a placemark's description as HTML (and runs its scripts): the
KML's balloons hold an article's markup as the characters it is, never as tags."""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from bordermap.build import build
from bordermap.config import load_config
from bordermap.pipeline import load
from support import many_sources_project

KML = {"k": "http://www.opengis.net/kml/2.2"}
HOSTILE = "<img src=x onerror=alert(1)> & <b>bold</b> </description>"


class _Tags(HTMLParser):
    """The elements an HTML renderer would make of a text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)


def test_markup_in_an_article_is_text_in_the_balloon(tmp_path: Path) -> None:
    project = many_sources_project(tmp_path, 3, hostile_title=HOSTILE)
    build(load(load_config(project)), tmp_path / "out", tiles="none")
    doc = ET.parse(tmp_path / "out" / "bordermap.kml").getroot()
    balloons = [d.text or "" for d in doc.iterfind(".//k:description", KML)]
    quoting = [text for text in balloons if "onerror" in text]
    assert len(quoting) == 2  # Dandong's and Sinuiju's placemarks quote the article
    parser = _Tags()
    for text in balloons:
        parser.feed(text)  # what Google Earth parses
    assert set(parser.tags) == {"br"}  # lines, and nothing the article wrote
    for text in quoting:  # shown as written, line by line
        shown = html.unescape(text.replace("<br>", "\n"))
        assert HOSTILE in shown and "Traders crossed the Yalu" in shown.splitlines()[-1]
