"""The ffmpeg command lines the worker runs mean what they meant before ffmpeg-python built them.

tests/media/expected_ffmpeg_args.json holds the argv each builder produced (ladder with its
tone-map variant for HDR, quick remux, poster with its fallback seek, storyboard, peaks) for
every good source of the media matrix, under default limits and under per-recording limits (with
`-t`), captured from the hand-written builders by `python -m tests.media.argv_capture`; the one
deliberate change since, the storyboard's `fps` taking `round=up` (each tile the picture at its
cue's start, as the chunks' tiles are), was edited into it by hand.
ffmpeg-python orders options and labels filter links its own way, so both sides are compared in
the normal form of tests/media/argv_normal.py (its docstring explains what it keeps and why).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.media.argv_capture import FIXTURE, expected_for, probe_from_json
from tests.media.argv_normal import normal_form

EXPECTED = json.loads(FIXTURE.read_text())


def _normal(runs: dict[str, dict[str, list]]) -> dict[str, Any]:
    """Normalise every captured run of every limit variant and builder."""
    return {
        variant: {name: [{"cwd": run["cwd"], "argv": normal_form(run["argv"])} for run in found]
                  for name, found in builders.items()}
        for variant, builders in runs.items()
    }  # fmt: skip


@pytest.mark.parametrize("source", sorted(EXPECTED))
def test_every_builder_runs_the_command_it_ran_before(source: str) -> None:
    entry = EXPECTED[source]
    info = probe_from_json(entry["probe"]) if entry["probe"] else None
    assert _normal(expected_for(info)) == _normal(entry["runs"])


def test_the_matrix_covers_every_builder_and_the_hdr_tone_map() -> None:
    builders = {name for entry in EXPECTED.values() for name in entry["runs"]["default"]}
    assert builders == {"ladder", "remux", "poster", "storyboard", "peaks"}
    ladder = EXPECTED["hlg"]["runs"]["recording"]["ladder"][0]["argv"]
    assert "tonemap" in ladder[ladder.index("-filter_complex") + 1]
    assert "-t" in ladder


# --- the normal form is not vacuous ------------------------------------------------------------

HAND = ["ffmpeg", "-y", "-v", "error", "-i", "file:/a.mp4", "-filter_complex",
        "[0:0]fps=30,scale=64:36,split=2[s0][s1];[s0]null[v0];[s1]scale=32:18[v1]",
        "-map", "[v0]", "-map", "[v1]", "-map", "0:1", "-c:v", "libx264", "-crf:v:0", "23",
        "-f", "tee", "out"]  # fmt: skip
LIBRARY = ["ffmpeg", "-i", "file:/a.mp4", "-filter_complex",
           "[0:0]fps=30[s0];[s0]scale=64:36[s1];[s1]split=2[s2][s3];[s3]scale=32:18[s4]",
           "-map", "[s2]", "-map", "[s4]", "-map", "0:1", "-f", "tee", "-c:v", "libx264",
           "-crf:v:0", "23", "out", "-y", "-v", "error"]  # fmt: skip


def test_labels_chains_null_and_option_order_do_not_count() -> None:
    assert normal_form(LIBRARY) == normal_form(HAND)


def test_a_simple_filtergraph_equals_the_same_one_input_graph() -> None:
    simple = ["ffmpeg", "-i", "in", "-map", "0:0", "-vf", "scale=2:2,setsar=1", "out"]
    graph = ["ffmpeg", "-i", "in", "-filter_complex", "[0:0]scale=2:2[s0];[s0]setsar=1[s1]",
             "-map", "[s1]", "out"]  # fmt: skip
    assert normal_form(simple) == normal_form(graph)


@pytest.mark.parametrize(
    "change",
    [
        lambda a: [x.replace("scale=32:18", "scale=32:20") for x in a],  # filter argument
        lambda a: [x.replace("[0:0]fps=30[s0];[s0]scale", "[0:0]scale") for x in a],  # a filter
        lambda a: [*a[:6], "-map", "[s4]", "-map", "[s2]", *a[10:]],  # output stream order
        lambda a: [x.replace("[0:0]fps", "[0:1]fps") for x in a],  # input stream
        lambda a: [*a[:1], "-ss", "1", *a[1:]],  # an option moved to the input
        lambda a: a[:-2],  # a global option dropped
    ],
)
def test_a_change_in_meaning_changes_the_normal_form(change: Any) -> None:
    try:
        changed = normal_form(change(list(LIBRARY)))
    except AssertionError:
        return  # refusing to normalise is as good as differing
    assert changed != normal_form(HAND)


@pytest.mark.parametrize(
    "argv",
    [
        ["ffmpeg", "-i", "in", "out", "-t", "5"],  # ignored by ffmpeg after the last output
        ["ffmpeg", "-i", "in", "-c", "copy", "-c:v", "libx264", "out"],  # order would matter
        ["ffmpeg", "-i", "in", "-t", "5", "-t", "6", "out"],
    ],
)
def test_commands_whose_option_order_matters_are_refused(argv: list[str]) -> None:
    with pytest.raises(AssertionError):
        normal_form(argv)
