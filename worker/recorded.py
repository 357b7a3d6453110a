"""When a recording was made, from the tags phones and cameras write into the file.

An iPhone `.mov` carries `com.apple.quicktime.creationdate` in the phone's local time with its
offset ("2026-03-05T09:12:33-0500"): its date is the day the lesson was taught, wherever the
server is. Android and most cameras write only `creation_time` in UTC; its UTC date is the
lesson's date for any school day taught before evening in the Americas or after early morning
in Asia, which is every school day. A file with neither, or a clock left at its epoch (1904,
1970) or set in the future, says nothing: the lesson keeps its upload date.
"""

from datetime import UTC, date, datetime, timedelta
from typing import Any

APPLE_LOCAL = "com.apple.quicktime.creationdate"
EARLIEST = date(2000, 1, 1)  # before any phone recorded a lesson: a clock never set


def recording_date(fmt: dict[str, Any], streams: list[dict[str, Any]]) -> date | None:
    """The day the recording was made, by the tags of the container, then of its streams."""
    for tags in [fmt.get("tags") or {}, *((s.get("tags") or {}) for s in streams)]:
        tags = {str(key).lower(): value for key, value in tags.items()}
        for key in (APPLE_LOCAL, "creation_time", "date"):
            day = _parse(tags.get(key))
            if day is not None:
                return day
    return None


def _parse(value: Any) -> date | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    if len(text) >= 5 and text[-5] in "+-" and text[-3] != ":" and "T" in text:
        text = f"{text[:-2]}:{text[-2:]}"  # "-0500" → "-05:00", as fromisoformat wants
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    # The wall-clock date where it was recorded when the tag says so; else the UTC date.
    day = moment.date()
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    return day if EARLIEST <= day <= tomorrow else None
