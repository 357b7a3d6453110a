"""Reduce an ffmpeg argv to what ffmpeg acts on, so two spellings of one command compare equal.

ffmpeg reads a command line as global options, then groups of per-file options each closed by
an input (`-i URL`) or an output (`URL`). What counts:

- global options, wherever they stand: ffmpeg files every global option in its global group
  whatever its position (cmdutils `split_commandline`), so ffmpeg-python's `.global_args()`,
  which it writes last, means the same as writing them first. A per-file option after the last
  output would be ignored, so that is an error here, not something normalised away;
- each input in order, with its options as a mapping, and each output in order, with its
  options as a mapping: the order of options inside one file's group only matters when two of
  them address the same stream (the last wins), so `_check_disjoint` refuses such a pair
  instead of ignoring the order. ffmpeg-python sorts keyword options; this is what makes that
  safe;
- for each output, the ordered list of streams it maps (the order fixes the output's stream
  indexes), each written as the expression that computes it: an input stream ("0:1"), or a
  filter (name, positional arguments, named arguments as a mapping, its inputs' expressions,
  the output pad taken). Link labels ([s0], [v1]) and the split of a graph into `;` chains vanish;
  ffmpeg-python gives every filter its own chain and labels them itself;
- `-vf G` on an output that maps one stream S is the one-in, one-out graph `[S]G`, which is how
  ffmpeg builds a simple filtergraph; `null` passes frames through untouched and is dropped;
- filter outputs that lead nowhere are kept, so a dangling branch would still differ.
"""

from __future__ import annotations

import re
from typing import Any

GLOBAL_FLAGS = {"-hide_banner", "-nostdin", "-y", "-nostats"}
GLOBAL_WITH_VALUE = {"-v", "-progress", "-filter_complex"}
_FILTER = re.compile(r"((?:\[[^\]]+\])*)([A-Za-z0-9_]+)(?:=([^\[\]]*))?((?:\[[^\]]+\])*)")


def normal_form(argv: list[str]) -> dict[str, Any]:
    """Return the comparable meaning of one ffmpeg command line (argv[0] is the binary)."""
    globals_: dict[str, str] = {}
    inputs: list[dict[str, Any]] = []
    outputs: list[dict[str, Any]] = []
    group: list[tuple[str, str]] = []
    args = iter(argv[1:])
    for arg in args:
        if arg in GLOBAL_FLAGS or arg in GLOBAL_WITH_VALUE:
            assert arg not in globals_, f"{arg} given twice"
            globals_[arg] = "" if arg in GLOBAL_FLAGS else next(args)
        elif arg == "-i":
            inputs.append({"url": next(args), "options": _options(group)})
            group = []
        elif arg.startswith("-"):
            group.append((arg, next(args)))
        else:
            outputs.append({"url": arg, "group": group})
            group = []
    assert not group, f"trailing per-file options would be ignored: {group}"
    graph = _Graph(globals_.pop("-filter_complex", ""))
    for out in outputs:
        out["maps"], out["options"] = graph.output_streams(out.pop("group"))
    return {"binary": argv[0], "globals": globals_, "inputs": inputs, "outputs": outputs,
            "dangling": graph.dangling()}  # fmt: skip


def _options(group: list[tuple[str, str]]) -> dict[str, str]:
    """Return one file's options as a mapping, refusing any pair whose order would matter."""
    options = dict(group)
    assert len(options) == len(group), f"an option is repeated: {group}"
    _check_disjoint(options)
    return options


def _check_disjoint(options: dict[str, str]) -> None:
    """Refuse `-crf` with `-crf:v:0` (or `-c:v` with `-c:v:1`): one overrides the other."""
    specifiers: dict[str, list[str]] = {}
    for name in options:
        base, _, spec = name.partition(":")
        specifiers.setdefault(base, []).append(spec)
    for base, specs in specifiers.items():
        for a in specs:
            for b in specs:
                assert a == b or (a and not b.startswith(a + ":")), f"-{base} overlap: {specs}"


class _Graph:
    """A parsed -filter_complex: filters, the pads that feed them, and link labels."""

    def __init__(self, text: str) -> None:
        assert "\\" not in text and "'" not in text, "escaped graphs are not handled"
        self.filters: list[dict[str, Any]] = []  # name, args, inputs (refs), outputs
        self.labels: dict[str, tuple[int, int]] = {}  # label -> (filter, pad)
        self.used: set[tuple[int, int]] = set()
        self.extra = 0
        for chain in filter(None, text.split(";")):
            self.add_chain(chain)

    def add_chain(self, chain: str, first_input: str | None = None) -> tuple[int, int]:
        """Parse "[in]a,b,c[out]" and return the last filter's first pad."""
        previous: tuple[int, int] | None = None
        for text in chain.split(","):
            match = _FILTER.fullmatch(text)
            assert match, f"cannot parse filter {text!r}"
            ins = re.findall(r"\[([^\]]+)\]", match[1]) or ([first_input] if first_input else [])
            first_input = None
            refs: list[Any] = [("label", label) for label in ins]
            if previous is not None:
                assert not ins, f"labelled input inside a chain: {text!r}"
                refs = [("pad", previous)]
            outs = re.findall(r"\[([^\]]+)\]", match[4])
            index = len(self.filters)
            self.filters.append({"name": match[2], "args": _filter_args(match[3]), "inputs": refs,
                                 "outputs": max(1, len(outs))})  # fmt: skip
            for pad, label in enumerate(outs):
                assert label not in self.labels, f"label [{label}] defined twice"
                self.labels[label] = (index, pad)
            previous = (index, 0)
        assert previous is not None
        return previous

    def output_streams(self, group: list[tuple[str, str]]) -> tuple[list[Any], dict[str, str]]:
        """Split one output's options into mapped stream expressions and the other options."""
        maps = [value for name, value in group if name == "-map"]
        rest = [(name, value) for name, value in group if name not in ("-map", "-vf")]
        simple = [value for name, value in group if name == "-vf"]
        if simple:  # a simple filtergraph: the one mapped stream feeds it
            assert len(maps) == 1 and len(simple) == 1, "-vf needs exactly one mapped stream"
            return [self.expression(self.add_chain(simple[0], maps[0]))], _options(rest)
        streams = []
        for ref in maps:
            label = ref[1:-1] if ref.startswith("[") else None
            streams.append(self.resolve(("label", label)) if label else ("input", ref))
        return streams, _options(rest)

    def resolve(self, ref: Any) -> Any:
        """Return the expression a reference (label or pad) stands for."""
        kind, value = ref
        if kind == "label" and value not in self.labels:
            return ("input", value)  # "[0:1]": a stream of an input file
        return self.expression(self.labels[value] if kind == "label" else value)

    def expression(self, pad: tuple[int, int]) -> Any:
        """Return the filter expression computing one output pad, link names left out."""
        self.used.add(pad)
        node = self.filters[pad[0]]
        inputs = tuple(self.resolve(ref) for ref in node["inputs"])
        if node["name"] == "null":
            return inputs[0]
        return ("filter", node["name"], node["args"], inputs, pad[1])

    def dangling(self) -> list[Any]:
        """Return expressions of filter outputs that are neither mapped nor fed onward."""
        fed = {ref[1] for node in self.filters for ref in node["inputs"] if ref[0] == "pad"}
        fed |= {self.labels[ref[1]] for node in self.filters for ref in node["inputs"]
                if ref[0] == "label" and ref[1] in self.labels}  # fmt: skip
        pads = [(i, p) for i, node in enumerate(self.filters) for p in range(node["outputs"])]
        unused = [pad for pad in pads if pad not in fed and pad not in self.used]
        return [self.expression(pad) for pad in unused]


def _filter_args(text: str | None) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """Return (positional, sorted named) arguments of "a:b:key=value"."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for part in (text or "").split(":") if text else []:
        key, eq, value = part.partition("=")
        if eq:
            assert key not in named, f"filter option {key} given twice"
            named[key] = value
        else:
            assert not named, "a positional argument after a named one"
            positional.append(part)
    return tuple(positional), tuple(sorted(named.items()))
