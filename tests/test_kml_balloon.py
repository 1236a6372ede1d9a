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


def test_the_layers_claim_is_said_once_in_its_style_and_folder(tmp_path: Path) -> None:
    project = many_sources_project(tmp_path, 3)
    claim = "Crossings are said to have doubled <since 2019> & more."
    project.write_text(project.read_text("utf-8") + f'claim = "{claim}"\n', "utf-8")
    build(load(load_config(project)), tmp_path / "out", tiles="none")
    doc = ET.parse(tmp_path / "out" / "bordermap.kml").getroot()
    style = doc.find("k:Document/k:Style[@id='s-crossings']/k:BalloonStyle/k:text", KML)
    assert style is not None and style.text is not None
    parser = _Tags()
    parser.feed(style.text)
    assert set(parser.tags) == {"b", "br"}  # the template's own, not the claim's
    assert html.unescape(style.text) == f"<b>$[name]</b><br>{claim}<br>$[description]"
    folder = next(f for f in doc.iterfind(".//k:Folder", KML)
                  if f.findtext("k:name", namespaces=KML) == "Crossings")  # fmt: skip
    assert html.unescape(folder.findtext("k:description", namespaces=KML) or "") == claim
    places = [
        p.findtext("k:description", namespaces=KML) or ""
        for p in folder.iterfind("k:Placemark", KML)
    ]
    assert len(places) == 2 and all("3 mentions in 3 articles" in text for text in places)
    assert not any("doubled" in text for text in places)  # said once, by the style
