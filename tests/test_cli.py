"""The ``bordermap`` group: every command registered, documented and light to start."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from bordermap.cli import cli

COMMANDS = {"init", "extract", "geocode", "places", "origins", "build", "snapshot", "compare"}
HEAVY = ("folium", "geopandas", "pandas", "shapely")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_every_command_is_registered() -> None:
    assert set(cli.commands) == COMMANDS


def test_every_command_has_help_with_an_example() -> None:
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0
        assert "Example:" in result.stdout, name
        assert command.help


def test_every_command_is_in_the_readme() -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    for name in cli.commands:
        assert f"bordermap {name}" in readme, name


def _imported_by(argv: list[str]) -> list[str]:
    """Top-level packages of HEAVY that running ``bordermap ARGV`` imports (fresh process)."""
    code = (
        "import sys\n"
        "from bordermap.cli import main\n"
        f"sys.argv = ['bordermap', *{argv!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "import json\n"
        f"heavy = {HEAVY!r}\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(heavy))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_help_imports_no_heavy_library() -> None:
    assert _imported_by(["--help"]) == []
    for name in sorted(COMMANDS):
        assert _imported_by([name, "--help"]) == [], name


def test_an_output_that_cannot_be_written_is_one_line() -> None:
    with open("/dev/full", "w") as full:  # every write fails: "No space left on device"
        proc = subprocess.run([sys.executable, "-m", "bordermap", "--help"], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 1
    assert proc.stderr == "Error: cannot write the output (No space left on device)\n"
