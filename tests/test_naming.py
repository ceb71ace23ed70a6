"""What file names and URLs say about a talk: title, video id, language, channel."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.naming import channel_from_name, language_from_name, title_and_id, video_id_from_url

ID = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    "name, title, video_id",
    [
        # yt-dlp's default `%(title)s [%(id)s].%(ext)s`, with and without a language
        (f"Never Gonna Give You Up [{ID}].en.vtt", "Never Gonna Give You Up", ID),
        (f"Never Gonna Give You Up [{ID}].en-US.vtt", "Never Gonna Give You Up", ID),
        (f"Never Gonna Give You Up [{ID}].pt-BR.srt", "Never Gonna Give You Up", ID),
        (f"Never Gonna Give You Up [{ID}].vtt", "Never Gonna Give You Up", ID),
        (f"Never Gonna Give You Up [{ID}].json", "Never Gonna Give You Up", ID),
        (f"/library/sub/folder/Talk [{ID}].en.vtt", "Talk", ID),
        # ids use letters, digits, - and _
        ("Edge [-_aZ09-_aZ0].sbv", "Edge", "-_aZ09-_aZ0"),
        # brackets that are not ids stay in the title; the last id wins
        (f"Talk [Part 1] [{ID}].en.vtt", "Talk [Part 1]", ID),
        (f"Reply to [abcdefghijk] [{ID}].vtt", "Reply to [abcdefghijk]", ID),
        ("Short [abcdefghij].vtt", "Short [abcdefghij]", None),  # 10 characters
        ("Long [abcdefghijkl].vtt", "Long [abcdefghijkl]", None),  # 12 characters
        # a transcript JSON named by its id belongs to that video; other files do not
        (f"{ID}.json", ID, ID),
        (f"{ID}.en.json", ID, ID),
        (f"{ID}.txt", ID, None),
        # underscores read as spaces, runs of spaces collapse
        ("Building_single_purpose_agents.md", "Building single purpose agents", None),
        ("  odd   spacing  .srt", "odd spacing", None),
        # a `channel__title__lang` library name
        ("sy-subtitles__1988-06-18_Seminar-Day-1__en.srt", "1988-06-18 Seminar Day 1", None),
        ("3blue1brown__Analytic_vs_geometric_reasoning.md", "Analytic vs geometric reasoning", None),
        # an unknown extension is part of the name
        ("notes.docx", "notes.docx", None),
    ],
)
def test_title_and_id(name, title, video_id):
    assert title_and_id(name) == (title, video_id)


def test_title_never_holds_escape_sequences():
    title, video_id = title_and_id(f"Red \x1b[31mAlert\x1b[0m \x1b]52;c;aGk=\x07[{ID}].en.vtt")
    assert title == "Red Alert" and video_id == ID


@pytest.mark.parametrize(
    "name, language",
    [
        (f"Talk [{ID}].en.vtt", "en"),
        (f"Talk [{ID}].en-US.vtt", "en-US"),
        ("x__uk.srt", "uk"),
        (f"Talk [{ID}].vtt", None),
        ("Talk.srt", None),
        # yt-dlp's hashed auto-translation suffix is not a language tag
        ("jlm__2016-11-09.melenchon.fr.jn0jNY.vtt", "fr"),
    ],
)
def test_language_from_name(name, language):
    assert language_from_name(name) == language


@pytest.mark.parametrize(
    "name, channel",
    [
        ("sy-subtitles__1977-01-27_Attention__en.srt", "sy-subtitles"),
        ("lexfridman__Importance_of_data.md", "lexfridman"),
        ("Plain title.md", None),
        ("__init__.md", None),
        ("a__.md", None),
    ],
)
def test_channel_from_name(name, channel):
    assert channel_from_name(name) == channel


@given(st.text())
def test_title_and_id_never_fail(name):
    title, video_id = title_and_id(name)
    assert isinstance(title, str)
    assert video_id is None or len(video_id) == 11


@pytest.mark.parametrize(
    "url",
    [
        f"https://youtu.be/{ID}",
        f"https://youtu.be/{ID}?t=42",
        f"https://youtu.be/{ID}?si=AbCdEf",
        f"youtu.be/{ID}",
        f"https://www.youtube.com/watch?v={ID}",
        f"https://www.youtube.com/watch?v={ID}&t=1m2s",
        f"https://www.youtube.com/watch?feature=share&v={ID}",
        f"https://m.youtube.com/watch?v={ID}",
        f"https://music.youtube.com/watch?v={ID}&list=RD",
        f"http://youtube.com/watch?v={ID}#comments",
        f"www.youtube.com/watch?v={ID}",
        f"https://www.youtube.com/shorts/{ID}",
        f"https://youtube.com/shorts/{ID}?feature=share",
        f"https://www.youtube.com/embed/{ID}?start=10",
        f"https://www.youtube-nocookie.com/embed/{ID}",
        f"https://www.youtube.com/live/{ID}",
        f"  HTTPS://WWW.YOUTUBE.COM/watch?v={ID}  ",
    ],
)
def test_video_id_from_url(url):
    assert video_id_from_url(url) == ID


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "not a url",
        f"https://example.com/watch?v={ID}",
        f"https://notyoutube.com/watch?v={ID}",
        f"https://evilyoutu.be/{ID}",
        f"https://youtube.com.evil.net/watch?v={ID}",
        "https://www.youtube.com/watch?v=short",
        "https://www.youtube.com/watch?v=",
        "https://www.youtube.com/@channel",
        "https://www.youtube.com/playlist?list=PL123",
        "https://[broken/watch?v=x",
        f"https://www.youtube.com/watch?v={ID}%0A",  # an id never carries a newline
    ],
)
def test_video_id_from_url_refuses_other_links(url):
    assert video_id_from_url(url) is None


@given(st.text())
def test_video_id_from_url_never_fails(url):
    found = video_id_from_url(url)
    assert found is None or len(found) == 11


@pytest.mark.parametrize(
    "name, title",
    [
        ("jlm__2016-11-09.melenchon-elections-americaines-victoire-de-trump.fr.jn0jNY.vtt", "2016-11-09 melenchon elections americaines victoire de trump"),
        ("Self-Driving Cars - a Talk [AbCdEfGhIjK].en.vtt", "Self-Driving Cars - a Talk"),
    ],
)
def test_slugged_names_read_as_words(name, title):
    assert title_and_id(name)[0] == title
