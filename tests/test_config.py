"""config.toml is read, never rewritten; the app's own state goes to state.toml atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui import paths
from tui.config import configured_library, load_config, save_theme


def write(name: str, text: str) -> Path:
    path = paths.config_dir() / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_files_give_defaults():
    config = load_config()
    assert configured_library() is None and config.theme is None and config.keys == {} and config.problems == []


def test_every_setting_is_read():
    write(
        "config.toml",
        '# my settings\nlibrary = "~/talks"\ntheme = "nord"\nquote_template = "{text} ({url})"\n'
        '[keys]\n"talk.quote" = "c,y"\nquit = ["x", "ctrl+q"]\n',
    )
    config = load_config()
    assert configured_library() == Path("~/talks").expanduser()
    assert config.theme == "nord"
    assert config.quote_template == "{text} ({url})"
    assert config.keys == {"talk.quote": "c,y", "quit": "x,ctrl+q"}


def test_saving_the_theme_leaves_config_toml_alone_and_wins_next_time():
    original = '# my comments stay\ntheme = "nord"\n[keys]\nquit = "x"\n'
    config_file = write("config.toml", original)
    save_theme("gruvbox")
    assert config_file.read_text(encoding="utf-8") == original
    config = load_config()
    assert config.theme == "gruvbox" and config.keys == {"quit": "x"}
    save_theme("dracula")
    assert load_config().theme == "dracula"
    # Nothing half-written is left behind.
    assert sorted(p.name for p in paths.config_dir().iterdir()) == ["config.toml", "state.toml"]


def test_state_keeps_other_values_and_odd_characters():
    write("state.toml", 'other = "kept"\n')
    save_theme('a "quoted" \\ theme\n')
    config = load_config()
    assert config.theme == 'a "quoted" \\ theme\n'
    assert 'other = "kept"' in (paths.config_dir() / "state.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("library = [", "could not be read"),
        ("library = 3", "`library` should be a string"),
        ("theme = 3", "`theme` should be a string"),
        ("keys = 5", "[keys] should be a table"),
        ("[keys]\nquit = 5", "keys.quit should be a string"),
    ],
)
def test_broken_settings_are_reported_not_raised(text, fragment):
    write("config.toml", text)
    config = load_config()
    assert any(fragment in p for p in config.problems)


def test_config_folder_is_created_for_state(tmp_path):
    folder = tmp_path / "new" / "folder"
    save_theme("nord", folder)
    assert load_config(folder).theme == "nord"


def test_dotted_key_ids_read_quoted_or_not():
    from tui import paths
    from tui.config import load_config

    (paths.config_dir() / "config.toml").write_text('[keys]\ntalk.search = "f"\n"talk.quote" = "c,y"\n')
    assert load_config().keys == {"talk.search": "f", "talk.quote": "c,y"}
