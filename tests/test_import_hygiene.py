"""The core knows nothing of Textual: guarded by importing it, not by saying so.

Each check runs in a fresh interpreter and looks at `sys.modules`: the only way
to see what an import really drags in (a test process has long loaded Textual).
Every module under tui/ but the app is core and is found by walking the package,
so a new core module is guarded from the day it is added.
"""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import tui

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tui" / "sample"

# The Textual layer under tui/: the app module (it starts the screens in widgets/).
APP_MODULES = {"tui.app"}
# Command-line output may print through Rich (progress bars, highlighted hits): these
# modules are that output. Nothing else in the core renders.
CLI_OUTPUT = {"tui.index_cli"}


def core_modules() -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(tui.__path__, "tui.")]
    return sorted(n for n in names if n not in APP_MODULES)


def loaded_after(code: str) -> set[str]:
    """Top-level packages among textual and rich that `code` leaves in sys.modules."""
    probe = code + "\nimport sys\nprint(' '.join(m for m in ('textual', 'rich') if m in sys.modules))\n"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.split())


def test_the_walk_finds_the_core():
    names = core_modules()
    # The walk itself must work, or every check below passes on nothing.
    for expected in ("tui.model", "tui.dedup", "tui.paragraphs", "tui.library", "tui.index", "tui.store",
                     "tui.export", "tui.cli", "tui.readers", "tui.readers.srt", "tui.readers.markdown_page"):
        assert expected in names
    assert "tui.app" not in names


@pytest.mark.parametrize("module", core_modules())
def test_a_core_module_loads_neither_textual_nor_rich(module):
    loaded = loaded_after(f"import {module}")
    assert "textual" not in loaded, f"import {module} loaded Textual"
    if module not in CLI_OUTPUT:
        assert "rich" not in loaded, f"import {module} loaded Rich"


@pytest.mark.parametrize(
    "argv",
    [
        ["list", str(SAMPLE)],
        ["cat", str(SAMPLE / "ByteSized__What Your Compiler Does Before Breakfast [cMp1lrBrkF5].en.srt")],
        ["cat", "--json", str(SAMPLE / "How a Bicycle Stays Upright.md")],
    ],
)
def test_the_non_app_commands_run_without_textual(argv, tmp_path):
    code = (
        "import contextlib, io, os\n"
        f"os.environ['TALKSHELF_DATA_DIR'] = {str(tmp_path / 'data')!r}\n"
        f"os.environ['TALKSHELF_CACHE_DIR'] = {str(tmp_path / 'cache')!r}\n"
        f"os.environ['TALKSHELF_CONFIG_DIR'] = {str(tmp_path / 'config')!r}\n"
        "from tui.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main({argv!r})\n"
        "assert code in (0, None), code\n"
        "assert out.getvalue().strip()\n"
    )
    assert "textual" not in loaded_after(code)


def test_the_app_module_does_load_textual():
    # The probe itself can see Textual: without this, a broken probe would pass every check above.
    assert "textual" in loaded_after("import tui.app")


def test_the_widgets_do_not_reach_up_to_the_app():
    # The layers of the README: screens and widgets talk to the app through
    # messages and actions, so none of them imports the app module.
    import widgets

    names = sorted(m.name for m in pkgutil.walk_packages(widgets.__path__, "widgets."))
    assert "widgets.talk_screen" in names and "widgets.talk_list_screen" in names
    probe = "".join(f"import {n}\n" for n in names) + "import sys\nprint('tui.app' in sys.modules)\n"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False"]
