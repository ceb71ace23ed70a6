"""Chapter lines in a description: shown once, their own time the link, chosen from the outline."""

from __future__ import annotations

import json
from pathlib import Path

from tests.gen.ytdlp import info_json, make_video, safe_name
from tui.app import TalkshelfApp
from tui.library import scan
from tui.summary_layout import summary_blocks
from tui.config import Config


def _archive(tmp_path: Path):
    video = make_video(7)
    data = json.loads(info_json(video))
    # The creator's chapter lines in the description, as YouTube users write them.
    lines = [f"{int(s) // 60}:{int(s) % 60:02d} {t}" for s, t in video.chapters]
    data["description"] = "What this talk is about.\n\n" + "\n".join(lines)
    (tmp_path / f"{safe_name(video.stem)}.info.json").write_text(json.dumps(data))
    return video, scan(tmp_path).talks[0]


def test_a_chapter_line_is_shown_once_and_its_own_time_is_the_link(tmp_path: Path):
    video, talk = _archive(tmp_path)
    blocks = summary_blocks(talk)
    texts = [b.text for b in blocks]
    for start, title in video.chapters:
        clock = f"{int(start) // 60}:{int(start) % 60:02d}"
        line = f"{clock} {title}"
        assert texts.count(line) == 1, texts  # written as the description has it, no stamp added before
        assert title not in [b.text for b in blocks if b.kind == "heading"]  # no heading repeating it
        block = blocks[texts.index(line)]
        assert [(block.text[l.start:l.end], l.seconds) for l in block.links] == [(clock, start)]
        assert block.entry >= 0  # it stands for its outline entry


async def test_choosing_a_chapter_in_the_outline_moves_the_summary_to_its_line(tmp_path: Path):
    video, talk = _archive(tmp_path)
    lib = scan(tmp_path)
    app = TalkshelfApp(lib, talk_id=talk.id, config=Config())
    start, title = video.chapters[-1]
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        outline = app.screen.query_one("#outline")
        node = next(n for n in outline._tree_nodes.values() if str(n.label).endswith(title))
        outline.focus()
        await pilot.pause()
        outline.select_node(node)
        await pilot.pause()
        summary = app.screen.query_one("#summary")
        assert summary.block is not None and summary.block.text.endswith(title)
        assert summary.block.seconds == start

