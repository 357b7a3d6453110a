"""Word error rate, the usual measure of a transcript: (substitutions + deletions + insertions)
divided by the words of the reference, after the normalisation every ASR benchmark applies."""

from __future__ import annotations

import re

NUMBERS = {"0": "zero", "1": "one", "2": "two", "3": "three", "4": "four", "5": "five",
           "6": "six", "7": "seven", "8": "eight", "9": "nine", "10": "ten"}  # fmt: skip


def normalise(text: str) -> list[str]:
    """Lower-case words without punctuation; hyphens split words; small numbers spelt out."""
    words = re.findall(r"[a-z0-9']+", text.lower().replace("-", " "))
    return [NUMBERS.get(w, w) for w in (w.strip("'") for w in words) if w]


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    """Return (edit distance in words, reference length)."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i]
        for j, hyp_word in enumerate(hyp, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ref_word != hyp_word)))  # fmt: skip
        previous = current
    return previous[-1], len(ref)


def wer(reference: str, hypothesis: str) -> float:
    """Return the word error rate (0 is perfect; it can exceed 1 with many insertions)."""
    errors, length = word_errors(reference, hypothesis)
    return errors / max(1, length)
