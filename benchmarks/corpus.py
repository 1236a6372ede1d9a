"""A deterministic synthetic news corpus for scale benchmarks, with its project file.

``write_corpus(folder, n_articles, seed=0)`` writes ``folder/bordermap.toml``
and ``n_articles`` articles of about 5 KB under ``folder/articles/`` (a
sub-folder per thousand), in bordermap's article format: front matter with
``id``, ``title``, ``outlet``, ``date`` and ``url``, then a lead paragraph and
bullet paragraphs like the seed digests'.

Each article is a recombination of sentences: those of the project's own seed
digests (``seeds/*.md``) and template sentences that name places drawn from the
shipped gazetteer, so that the corpus names thousands of distinct places, most
of them in the border region (every gazetteer place inside the focus box:
towns, counties, rivers, bridges of North Korea, north-eastern China and the
north of South Korea), with many articles per place
(places are drawn with Zipf-like weights, so a few are named very often).

Article ``i`` depends only on ``seed`` and ``i``: the corpus of ``n + 10``
articles is the corpus of ``n`` plus ten new files (what an incremental build
sees when an archive grows). The same arguments give byte-identical files for
a given gazetteer (its data version is in the index fingerprint).

Run: .venv/bin/python benchmarks/corpus.py DIR --articles N [--seed S]
"""

from __future__ import annotations

import argparse
import hashlib
import random
import re
import sys
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The project's focus box (west, south, east, north): the geoparser's default focus.
FOCUS = (119.0, 37.5, 131.5, 46.0)
#: Characters of body text each article gets at least.
ARTICLE_CHARS = 5000
#: Share of template sentences whose places are in the border region.
BORDER_SHARE = 0.7
#: Zipf exponent of the place weights: some places are in many articles.
ZIPF = 0.9
#: Articles per sub-folder.
PER_FOLDER = 1000

OUTLETS = (
    ("Daily NK", "dailynk"),
    ("Radio Free Asia", "rfa"),
    ("NK News", "nknews"),
    ("Asia Press", "asiapress"),
    ("Yonhap", "yonhap"),
    ("The Diplomat", "thediplomat"),
    ("38 North", "38north"),
    ("South China Morning Post", "scmp"),
)

LABELS = (
    "Trade", "Security", "Smuggling", "Markets", "Telecoms", "Checkpoints", "Customs",
    "Transport", "Arrests", "Background", "Context", "Sources", "Local view", "Prices",
    "Construction", "Patrols", "Weather", "Officials",
)  # fmt: skip

TOPICS = (
    "border checkpoints tightened",
    "smugglers detained near the river",
    "market prices climb as trade slows",
    "new surveillance cameras reported",
    "customs checks stepped up",
    "mobile phone crackdown widens",
    "bridge traffic resumes",
    "traders wait for the border to reopen",
)

# Template sentences: {a} and {b} are places, {n} a number, {m} a month.
TEMPLATES = (
    "Traders in {a} said customs checks at the crossing to {b} had tightened since {m}.",
    "A source in {a} told reporters that border guards had detained {n} people for smuggling.",
    "Police in {a} arrested two men accused of smuggling copper wire to {b}.",
    "The market in {a} has seen rice prices rise by {n} percent in a month.",
    "New surveillance cameras were reported along the road between {a} and {b}.",
    "Residents of {a} said the checkpoint on the road to {b} now checks every phone.",
    "Officials from {a} visited {b} to inspect the new customs building.",
    "Freight trucks queued for hours at the checkpoint outside {a}.",
    "A merchant who trades between {a} and {b} said business had fallen sharply.",
    "Security forces in {a} were told to watch the riverbank around the clock.",
    "Construction of a fence near {a} was said to be nearly finished by {m}.",
    "Several smugglers from {a} were caught at night near {b}.",
    "In {a}, the authorities opened a new market hall for state-approved traders.",
    "Mobile phone signals from across the river can still be picked up in {a}.",
    "A defector who grew up in {a} described frequent patrols along the border.",
    "The railway line from {a} to {b} was closed for repairs in {m}.",
    "Customs officers in {a} seized {n} boxes of mobile phones bound for {b}.",
    "Local officials in {a} denied that any arrests had taken place.",
    "Prices for corn in {a} and {b} moved in opposite directions during {m}.",
    "The 5G base station near {a} is said to cover the checkpoint and the riverbank.",
    "Fishermen from {a} were told to stay in port while patrol boats searched the coast.",
    "Chinese buyers in {a} reportedly paid cash for seafood landed in {b}.",
    "A bus service between {a} and {b} resumed after a pause of {n} months.",
    "Workers from {a} were sent to build a road towards {b}.",
)

MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip

_NAME = re.compile(r"[A-Z][a-z]+(?:[ -][A-Z][a-z]+)?")


def _seed_sentences() -> list[str]:
    """The sentences of the seed digests' bodies, without their Markdown labels."""
    out: list[str] = []
    for path in sorted((ROOT / "seeds").glob("*.md")):
        body = path.read_text("utf-8").split("\n---\n", 1)[-1]
        for para in body.split("\n\n"):
            para = re.sub(r"^- (\*\*[^*]+\*\*\s*)?", "", para.strip())
            for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", para):
                if len(sentence) > 40 and "*" not in sentence:
                    out.append(" ".join(sentence.split()))
    return out


def _usable(name: str, gaz: object) -> bool:
    common: frozenset[str] = getattr(gaz, "common_words", frozenset())
    given: frozenset[str] = getattr(gaz, "given_names", frozenset())
    stop: frozenset[str] = getattr(gaz, "stopwords", frozenset())
    low = name.lower()
    return (
        _NAME.fullmatch(name) is not None
        and len(name) >= 4
        and low not in common
        and low not in given
        and low not in stop
    )


@lru_cache(maxsize=1)
def _places() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Place names from the shipped gazetteer: (border region, elsewhere), sorted."""
    from bordermap.gazetteer import load_gazetteer

    gaz = load_gazetteer()
    w, s, e, n = FOCUS
    border: set[str] = set()
    world: set[str] = set()
    for row in gaz.rows:
        _ref, name, kind, _country, lat, lon, population, _admin1, _curated = row
        if not _usable(name, gaz):
            continue
        if w <= lon <= e and s <= lat <= n:
            border.add(name)  # every named place of the border region
        elif kind == "city" and population >= 150_000:
            world.add(name)
    return tuple(sorted(border)), tuple(sorted(world - border))


def _weights(names: tuple[str, ...], rng: random.Random) -> list[float]:
    order = list(range(len(names)))
    rng.shuffle(order)
    weights = [0.0] * len(names)
    for rank, i in enumerate(order):
        weights[i] = 1.0 / (rank + 1) ** ZIPF
    return weights


@lru_cache(maxsize=4)
def _tables(seed: int) -> tuple[tuple[str, ...], list[float], tuple[str, ...], list[float]]:
    border, world = _places()
    rng = random.Random(f"bordermap-corpus-places:{seed}")
    return border, _weights(border, rng), world, _weights(world, rng)


def _article(i: int, seed: int, sentences: list[str]) -> str:
    border, bw, world, ww = _tables(seed)
    rng = random.Random(f"bordermap-corpus:{seed}:{i}")

    def place() -> str:
        if rng.random() < BORDER_SHARE:
            return rng.choices(border, bw)[0]
        return rng.choices(world, ww)[0]

    def template() -> str:
        a, b = place(), place()
        while b == a:
            b = place()
        return rng.choice(TEMPLATES).format(a=a, b=b, n=rng.randint(2, 90), m=rng.choice(MONTHS))

    def sentence() -> str:
        return template() if rng.random() < 0.6 else rng.choice(sentences)

    aid = f"c{i:06d}"
    outlet, slug = OUTLETS[rng.randrange(len(OUTLETS))]
    lead = place() if rng.random() < BORDER_SHARE else rng.choices(border, bw)[0]
    title = f"{lead}: {rng.choice(TOPICS)}"
    date = f"{rng.randint(2015, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    paras = [f"{outlet} reports from {lead}. " + " ".join(sentence() for _ in range(2))]
    size = len(paras[0])
    while size < ARTICLE_CHARS:
        label = rng.choice(LABELS)
        para = f"- **{label}.** " + " ".join(sentence() for _ in range(rng.randint(2, 4)))
        paras.append(para)
        size += len(para) + 2
    body = "\n\n".join(paras)
    digest = hashlib.sha256(f"{seed}:{i}".encode()).hexdigest()[:12]
    front = (
        f'---\nid: "{aid}"\ntitle: "{title}"\noutlet: "{outlet}"\ndate: "{date}"\n'
        f'url: "https://example.org/{slug}/{date[:4]}/{digest}"\n---\n'
    )
    return front + "\n" + body + "\n"


def article_path(folder: Path, i: int) -> Path:
    """Where article ``i`` of a corpus in ``folder`` is written."""
    return folder / "articles" / f"{i // PER_FOLDER:03d}" / f"c{i:06d}.md"


PROJECT = """\
# A synthetic corpus for bordermap's scale benchmarks (benchmarks/corpus.py).
[project]
title = "Synthetic border corpus ({n:,} articles)"
corpus = ["articles"]
output = "output"

[focus]
bbox = [{w}, {s}, {e}, {n_}]

[basemap]
tiles = "none"

[[layers]]
id = "border"
title = "China–North Korea border"
color = "#3b3b3b"
source = "border"
claim = "The boundary follows the Yalu and Tumen rivers."

[[layers]]
id = "checkpoints"
title = "Checkpoints and customs"
color = "#d62728"
kinds = ["city"]
keywords = ["checkpoint", "customs"]
claim = "Checkpoints and customs posts are said to have been tightened."

[[layers]]
id = "smuggling"
title = "Smuggling and arrests"
color = "#ff7f0e"
kinds = ["city"]
keywords = ["smuggl", "arrest", "detain"]
claim = "Smugglers were reportedly detained or arrested here."

[[layers]]
id = "markets"
title = "Markets and prices"
color = "#1f77b4"
kinds = ["city"]
countries = ["KP"]
keywords = ["market", "price"]
claim = "Market prices and trade are reported on here."

[[layers]]
id = "context"
title = "Other places the articles name"
color = "#7f7f7f"
rest = true
within_focus = true
kinds = ["city", "county", "province", "river", "landmark", "bridge", "island", "mountain", "zone"]
claim = "Named in the articles."

[[annotations]]
id = "cameras"
title = "Claimed cameras every {spacing} m along the Yalu"
color = "#9467bd"
line = "yalu"
spacing_m = {spacing}
offset_m = 150
side = "KP"
articles = ["c000000"]
claim = "Surveillance cameras are said to stand every {spacing} m near the Yalu."

[[maps]]
id = "index"
title = "Synthetic border corpus"
# The overview opens on the border region: the articles also name far cities.
bbox = [{w}, {s}, {e}, {n_}]
layers = ["border", "cameras", "checkpoints", "smuggling", "markets", "context"]
"""


def write_project(folder: Path, n_articles: int, spacing_m: float = 100) -> Path:
    """Write ``folder/bordermap.toml`` for a corpus of ``n_articles``; return its path.

    ``spacing_m`` is the camera annotation's claimed spacing (``bench_page.py``
    draws 100,000 cameras with it).
    """
    w, s, e, n = FOCUS
    path = folder / "bordermap.toml"
    text = PROJECT.format(n=n_articles, w=w, s=s, e=e, n_=n, spacing=f"{spacing_m:g}")
    path.write_text(text, "utf-8")
    return path


def write_corpus(folder: str | Path, n_articles: int, seed: int = 0) -> Path:
    """Write ``n_articles`` articles and their project file into ``folder``.

    Returns the project file's path. Files already there with the right
    content are left untouched, so growing a corpus only writes the new ones.
    """
    folder = Path(folder)
    sentences = _seed_sentences()
    for i in range(n_articles):
        path = article_path(folder, i)
        text = _article(i, seed, sentences)
        data = text.encode("utf-8")
        if path.exists() and path.read_bytes() == data:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return write_project(folder, n_articles)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.articles < 1:
        ap.error("--articles must be at least 1")
    project = write_corpus(args.folder, args.articles, args.seed)
    border, world = _places()
    print(
        f"wrote {args.articles:,} articles and {project} "
        f"(drawing on {len(border):,} border-region and {len(world):,} other place names)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
