"""Bytes to text: accepted encodings, clear refusals, and escape stripping."""

from __future__ import annotations

import codecs
import os

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui import textio
from tui.model import ReadError
from tui.textio import decode, read_text, strip_controls

CONTROLS = {chr(c) for c in [*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)]}


# --- strip_controls --------------------------------------------------------


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[2J\x1b[Hcleared", "cleared"),  # clear screen, cursor home
        ("\x1b[?1049hscreen", "screen"),  # alternate screen
        ("copy\x1b]52;c;aGVsbG8=\x07me", "copyme"),  # OSC 52 clipboard, BEL
        ("copy\x1b]52;c;aGVsbG8=\x1b\\me", "copyme"),  # OSC 52 clipboard, ST
        ("\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("\x1b]0;title\x07text", "text"),  # window title
        ("a\x1bPq#0;2;0;0;0\x1b\\b", "ab"),  # DCS (sixel)
        ("a\x1b7b\x1b8c", "abc"),  # save and restore cursor
        ("\x1bcreset \x1b(Bascii", "reset ascii"),  # full reset, charset designation
        ("bell\x07 back\x08space nul\x00", "bell backspace nul"),
        ("c1 \x9b31m csi", "c1 31m csi"),  # 8-bit CSI: its control goes, its text is harmless
        ("cr\rlf", "crlf"),
        ("unterminated \x1b]52;c;aGVsbG8=", "unterminated "),
        ("lone escape \x1b", "lone escape "),
    ],
)
def test_strip_controls_removes_what_a_terminal_would_act_on(raw, clean):
    assert strip_controls(raw) == clean


def test_strip_controls_keeps_text_tabs_newlines_and_markup():
    text = "Tabs\there\nand [bold red]markup[/] [link=http://x]stays[/link] — Привіт 你好 🎉"
    assert strip_controls(text) == text


@given(st.text())
def test_strip_controls_leaves_no_control_and_is_idempotent(text):
    out = strip_controls(text)
    assert not CONTROLS & set(out)
    assert strip_controls(out) == out


# --- decode ------------------------------------------------------------------

SAMPLE = "1\n00:00:01,000 --> 00:00:02,000\nCafé, Привіт, 你好 🎉\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.encode("utf-16"),  # Python writes a BOM
        codecs.BOM_UTF16_LE + SAMPLE.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16-le-bom", "utf16-be-bom"],
)
def test_decode_accepts_utf8_and_utf16_with_bom(data):
    assert decode(data) == SAMPLE


def test_decode_normalises_line_ends_and_strips_escapes():
    assert decode(b"a\r\nb\rc\n\x1b[31md\x1b[0m") == "a\nb\nc\nd"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_decode_names_utf16_without_bom(encoding):
    with pytest.raises(ReadError, match="UTF-16 text without a byte-order mark") as exc:
        decode(SAMPLE.encode(encoding), "talk.srt")
    assert "talk.srt" in str(exc.value)


def test_decode_refuses_binary():
    with pytest.raises(ReadError, match="binary"):
        decode(b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)), "a.out.txt")


def test_decode_refuses_invalid_utf8_and_says_where():
    with pytest.raises(ReadError, match=r"not valid UTF-8 text \(byte 5\)"):
        decode(b"caf\xc3\xa9\xff rest", "x.txt")
    with pytest.raises(ReadError, match="Latin-1|UTF-8"):
        decode("déjà vu".encode("latin-1"), "x.txt")


def test_decode_refuses_broken_utf16():
    with pytest.raises(ReadError, match="not valid UTF-16"):
        decode(codecs.BOM_UTF16_LE + "hello".encode("utf-16-le") + b"\x00\xd8", "x.txt")  # lone surrogate


@given(st.text().filter(lambda t: "\x00" not in t))
def test_decode_of_utf8_and_utf16_agree(text):
    # A leading U+FEFF cannot be told from a byte-order mark: it is never text.
    expected = strip_controls(text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    encoded = text.encode("utf-8", "surrogatepass")
    try:
        assert decode(encoded) == expected
    except ReadError:
        assert any(0xD800 <= ord(c) <= 0xDFFF for c in text)  # lone surrogates are not UTF-8
        return
    assert decode(codecs.BOM_UTF16_LE + text.encode("utf-16-le")) == expected
    assert decode(codecs.BOM_UTF8 + encoded) == expected


# --- read_text ---------------------------------------------------------------


def test_read_text_reads_a_file(tmp_path):
    path = tmp_path / "t.srt"
    path.write_bytes(codecs.BOM_UTF8 + SAMPLE.encode())
    assert read_text(path) == SAMPLE


@pytest.mark.parametrize("data", [b"", b"   \n\t\r\n"])
def test_read_text_refuses_empty_files(tmp_path, data):
    path = tmp_path / "e.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError, match="e.txt is empty"):
        read_text(path)


def test_read_text_missing_file_and_folder(tmp_path):
    with pytest.raises(ReadError, match="cannot read gone.txt"):
        read_text(tmp_path / "gone.txt")
    with pytest.raises(ReadError, match="not a regular file"):
        read_text(tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_read_text_never_waits_on_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "p.txt")
    with pytest.raises(ReadError, match="not a regular file"):
        read_text(tmp_path / "p.txt")


def test_read_text_refuses_files_over_the_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(textio, "MAX_BYTES", 1024)
    ok = tmp_path / "ok.txt"
    ok.write_bytes(b"a" * 1024)
    assert read_text(ok) == "a" * 1024
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * 1025)
    with pytest.raises(ReadError, match="big.txt"):
        read_text(big)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_read_text_refuses_an_endless_device():
    with pytest.raises(ReadError, match="not a regular file"):
        read_text("/dev/zero")


def test_a_stray_nul_in_text_is_stripped_not_a_binary_file():
    cue = b"1\n00:00:01,000 --> 00:00:02,000\nHello there\n\n"
    text = decode(cue * 10 + cue.replace(b"Hello", b"Hello\x00") + cue * 10, "talk.srt")
    assert "\x00" not in text and "Hello there" in text
    with pytest.raises(ReadError, match="binary"):
        decode(b"\x00\x01\x02binary", "x.srt")
