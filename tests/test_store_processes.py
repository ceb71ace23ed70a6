"""Several processes on one store: nothing lost, and a killed writer leaves a sound database."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tui.store import Store

ROOT = Path(__file__).resolve().parents[1]

# A writer process: waits for the go file, adds notes one transaction each,
# and prints the id of each note once its commit has returned.
WRITER = r"""
import os, sys, time
from pathlib import Path
from tui.model import Segment, Talk
from tui.store import Store

path, label, count, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
pause = float(sys.argv[5])
store = Store.open(path)
talk = Talk(id="vid", title="Shared talk", video_id="sharedtalk1")
segs = [Segment(float(i), float(i) + 1, f"paragraph {i} of the shared talk") for i in range(50)]
while not go.exists():
    time.sleep(0.005)
for n in range(count):
    if n % 5 == 4:
        on = store.toggle_bookmark(talk, segs[n % 50], segs)
        print(f"bookmark {n} {on}", flush=True)
        continue
    item = store.add_note(talk, [segs[n % 50]], f"{label}-{n}")
    print(f"note {item.id} {label}-{n}", flush=True)
    if pause:
        time.sleep(pause)
store.close()
"""

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def start_writer(path: Path, label: str, count: int, go: Path, pause: float = 0.0) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), label, str(count), str(go), str(pause)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT,
    )


def committed_notes(lines: list[str]) -> dict[int, str]:
    notes = {}
    for line in lines:
        parts = line.split()
        if len(parts) == 3 and parts[0] == "note":
            notes[int(parts[1])] = parts[2]
    return notes


@pytest.mark.parametrize("pause", [0.0, 0.002], ids=["flat-out", "typing-pace"])
def test_two_processes_writing_at_once_lose_nothing(tmp_path, pause):
    path = tmp_path / "store.sqlite3"
    Store.open(path).close()
    go = tmp_path / "go"
    writers = [start_writer(path, label, 300, go, pause) for label in ("left", "right")]
    time.sleep(0.5)  # both have opened the store and wait at the line
    go.touch()
    outputs = []
    for w in writers:
        out, err = w.communicate(timeout=120)
        assert w.returncode == 0, err
        outputs.append(out.splitlines())
    reported = {**committed_notes(outputs[0]), **committed_notes(outputs[1])}
    assert len(reported) == 2 * 240  # ids never collide across processes
    if pause:
        # With pauses between commits the lock is free at times: the writes interleave.
        owners = [reported[i].split("-")[0] for i in sorted(reported)]
        assert sum(a != b for a, b in zip(owners, owners[1:])) >= 10
    with Store.open(path) as store:
        stored = {i.id: i.note for i in store.all_items() if i.kind == "note"}
        assert stored == reported
        assert store.integrity() == "ok"


@pytest.mark.parametrize("kill_after", [7, 60, 150])
def test_sigkill_in_a_burst_keeps_every_committed_note(tmp_path, kill_after):
    path = tmp_path / "store.sqlite3"
    Store.open(path).close()
    go = tmp_path / "go"
    go.touch()
    writer = start_writer(path, "burst", 100_000, go)
    lines: list[str] = []
    assert writer.stdout is not None
    while len(lines) < kill_after:
        line = writer.stdout.readline()
        assert line, writer.stderr.read() if writer.stderr else "writer ended early"
        lines.append(line)
    os.kill(writer.pid, signal.SIGKILL)
    # Read the rest through the same buffered reader: `communicate` reads the pipe's descriptor
    # directly and would drop lines that readline had already buffered but not returned.
    rest = writer.stdout.read()
    writer.wait(timeout=30)
    lines += rest.splitlines()  # printed before the kill: committed too
    assert writer.returncode == -signal.SIGKILL
    reported = committed_notes(lines)
    assert reported

    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    with Store.open(path) as store:
        assert store.recovered_from is None
        stored = {i.id: i.note for i in store.all_items()}
        for item_id, note in reported.items():
            assert stored.get(item_id) == note
        # At most the one note whose commit finished as the process died goes unreported.
        assert len([n for n in stored.values() if n]) - len(reported) in (0, 1)
