"""yt-dlp's `Title [ID].description` (`--write-description`): the video's description alone.

Read as the description inside an info.json or a dump is: paragraphs,
bullets, headings and chapter lines (`12:34 Q&A`, origin "chapter"); the
title and id come from the file name.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Document, Role, Skipped
from ..naming import channel_from_name, title_and_id
from ..textio import strip_controls
from .dump import description_segments
from .plain_transcript import sidecar_info


def read(text: str, path: str) -> list[Document]:
    """A `.description` file: the description alone, named by its file.

    Beside an `.info.json` of the same name it is skipped: the info holds the
    same description, with the chapters, and the talk would show it twice.
    """
    if sidecar_info(path) is not None:
        raise Skipped(f"{strip_controls(Path(path).name)}: the .info.json beside it holds this description")
    title, video_id = title_and_id(path)
    segments, outline = description_segments(strip_controls(text), 1)
    if not segments:
        raise Skipped(f"{strip_controls(Path(path).name)} is an empty description")
    return [
        Document(
            path=path,
            role=Role.SUMMARY,
            format="description",
            title=title,
            channel=channel_from_name(path),
            video_id=video_id,
            segments=segments,
            outline=outline,
        )
    ]
