"""Dispatch dates as inputs write them, read into UTC datetimes.

A date orders dispatches (the canonical member of a cluster is the earliest
copy) and an index's rolling window. Wire formats write dates in several
ways: ISO 8601 (NewsML-G2, ninjs, JSON feeds), RFC 2822 (RSS, mail), the
compact ISO form of NITF (``20200412T143000Z``) and Reuters' own
``26-FEB-1987 15:01:01.79``, sometimes followed by stray codes. A date
without a time zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from functools import lru_cache

from dedup.errors import InputError

_MONTHS = {
    name: number
    for number, name in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
# Reuters: day-MON-year, an optional time, then anything (category codes leak in).
_DAY_MONTH_YEAR = re.compile(
    r"^\s*(\d{1,2})-([A-Za-z]{3})-(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?"
)
# NITF's compact ISO 8601: 20200412T143000Z or 20200412T143000+0200.
_COMPACT = re.compile(r"^\s*(\d{8})(?:T(\d{4,6}))?(Z|[+-]\d{4})?\s*$")


@lru_cache(maxsize=65536)
def parse_date(text: str) -> datetime | None:
    """The moment ``text`` names, in UTC; None when it is no date this module reads.

    >>> parse_date("2020-04-12T14:30:00+02:00").isoformat()
    '2020-04-12T12:30:00+00:00'
    >>> parse_date("26-FEB-1987 15:01:01.79 RM").isoformat()
    '1987-02-26T15:01:01.790000+00:00'
    >>> parse_date("Sun, 12 Apr 2020 14:30:00 GMT").isoformat()
    '2020-04-12T14:30:00+00:00'
    >>> parse_date("20200412T143000Z").isoformat()
    '2020-04-12T14:30:00+00:00'
    >>> parse_date("last Tuesday") is None
    True
    """
    for reader in (_iso, _day_month_year, _compact, _rfc2822):
        try:
            moment = reader(text)
        except (ValueError, OverflowError, IndexError, TypeError):
            moment = None
        if moment is not None:
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.astimezone(timezone.utc)
    return None


#: The forms ``parse_date`` reads, for messages about a date it cannot.
DATE_FORMS = "ISO 8601, RFC 2822 or DD-MON-YYYY HH:MM:SS"


def checked_date(text: str, where: str) -> str:
    """``text`` when it is a date ``parse_date`` reads, else an ``InputError`` naming ``where``."""
    if parse_date(text) is None:
        raise InputError(f"{where}: unrecognised date {text!r} ({DATE_FORMS})")
    return text


def _iso(text: str) -> datetime | None:
    text = text.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    return datetime.fromisoformat(text)


def _day_month_year(text: str) -> datetime | None:
    found = _DAY_MONTH_YEAR.match(text)
    if found is None:
        return None
    day, month, year, hour, minute, second, fraction = found.groups()
    month_number = _MONTHS.get(month.lower())
    if month_number is None:
        return None
    return datetime(
        int(year),
        month_number,
        int(day),
        int(hour or 0),
        int(minute or 0),
        int(second or 0),
        int((fraction or "0").ljust(6, "0")),
    )


def _compact(text: str) -> datetime | None:
    found = _COMPACT.match(text)
    if found is None:
        return None
    day, time, zone = found.groups()
    moment = datetime.strptime(day + (time or "0000").ljust(6, "0"), "%Y%m%d%H%M%S")
    if zone and zone != "Z":
        return moment.replace(tzinfo=datetime.strptime(zone, "%z").tzinfo)
    return moment


def _rfc2822(text: str) -> datetime | None:
    return parsedate_to_datetime(text)
