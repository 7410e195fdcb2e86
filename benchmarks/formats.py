"""Reading cost of the wire formats, and how fast hostile XML is refused.

Writes one corpus (Reuters-21578 by default) in every input format dedup
reads: its own JSON Lines, ninjs 2.x JSON Lines (gzipped too), one NITF file
per dispatch, and NewsML-G2 newsMessage files of 500 items; scans each with
``dedup scan --format json`` in its own process, and times reading alone (the
part of a scan a format changes; side by side, as ratios to JSON Lines); it
checks that every format gives the same clusters. Then it times the refusal
of an entity bomb and an external-entity document.

    python benchmarks/formats.py                 # full Reuters-21578
    python benchmarks/formats.py --limit 2000    # its first 2,000 dispatches
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections.abc import Callable, Iterable
from html import escape
from pathlib import Path
from typing import Any

from common import DATA_DIR, DEFAULT_CORPUS, dedup_command, iter_records, run_measured
from speed import write_results

from dedup.dates import parse_date
from dedup.errors import InputError
from dedup.readers.safexml import parse_xml

NEWSML_ITEMS_PER_FILE = 500
Record = dict[str, Any]


def iso_date(record: Record) -> str:
    """The record's date in ISO 8601 (NewsML-G2 and ninjs), UTC."""
    moment = parse_date(str(record["date"]))
    assert moment is not None, record["date"]
    return moment.isoformat()


def compact_date(record: Record) -> str:
    """The record's date in NITF's compact form."""
    moment = parse_date(str(record["date"]))
    assert moment is not None, record["date"]
    return moment.strftime("%Y%m%dT%H%M%SZ")


def ninjs_item(record: Record) -> Record:
    """A ninjs 2.x item with the record's paragraphs as an HTML body."""
    return {
        "uri": f"urn:reuters:{record['id']}",
        "versioncreated": iso_date(record),
        "headlines": [{"role": "main", "value": record.get("title") or ""}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": "".join(f"<p>{escape(p)}</p>" for p in record["paragraphs"]),
            }
        ],
    }


def nitf_document(record: Record) -> str:
    """A NITF 3.x document of the record."""
    paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in record["paragraphs"])
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<nitf xmlns="http://iptc.org/std/NITF/2006-10-18/">\n'
        f'<head><docdata><date.issue norm="{compact_date(record)}"/></docdata></head>\n'
        f"<body><body.head><hedline><hl1>{escape(record.get('title') or '')}</hl1></hedline>"
        f"</body.head>\n<body.content>\n{paragraphs}\n</body.content></body>\n</nitf>\n"
    )


def newsml_message(records: Iterable[Record]) -> str:
    """A NewsML-G2 newsMessage of the records, each an item with inline XHTML."""
    items = []
    for record in records:
        paragraphs = "\n".join(f"<p>{escape(p)}</p>" for p in record["paragraphs"])
        items.append(
            f'<newsItem guid="urn:reuters:{record["id"]}" version="1">\n'
            f"<itemMeta><versionCreated>{iso_date(record)}</versionCreated></itemMeta>\n"
            f"<contentMeta><headline>{escape(record.get('title') or '')}</headline></contentMeta>\n"
            '<contentSet><inlineXML contenttype="application/xhtml+xml">'
            f'<html xmlns="http://www.w3.org/1999/xhtml"><body>\n{paragraphs}\n</body></html>'
            "</inlineXML></contentSet>\n</newsItem>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<newsMessage xmlns="http://iptc.org/std/nar/2006-10-01/"><itemSet>\n'
        + "\n".join(items)
        + "\n</itemSet></newsMessage>\n"
    )


def write_corpora(records: list[Record], folder: Path) -> dict[str, Path]:
    """The corpus in every format, under ``folder``: name -> path to scan."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "JSON Lines": folder / "reuters.jsonl",
        "ninjs 2.x JSON Lines": folder / "reuters-ninjs.jsonl",
        "ninjs 2.x JSON Lines, gzipped": folder / "reuters-ninjs.jsonl.gz",
        "NITF, a file per dispatch": folder / "nitf",
        f"NewsML-G2, {NEWSML_ITEMS_PER_FILE} items per file": folder / "newsml",
    }
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    paths["JSON Lines"].write_text(lines, encoding="utf-8")
    ninjs = "".join(json.dumps(ninjs_item(r), ensure_ascii=False) + "\n" for r in records)
    paths["ninjs 2.x JSON Lines"].write_text(ninjs, encoding="utf-8")
    paths["ninjs 2.x JSON Lines, gzipped"].write_bytes(gzip.compress(ninjs.encode("utf-8")))
    nitf = paths["NITF, a file per dispatch"]
    nitf.mkdir(exist_ok=True)
    for record in records:
        (nitf / f"{record['id']}.xml").write_text(nitf_document(record), encoding="utf-8")
    newsml = paths[f"NewsML-G2, {NEWSML_ITEMS_PER_FILE} items per file"]
    newsml.mkdir(exist_ok=True)
    for start in range(0, len(records), NEWSML_ITEMS_PER_FILE):
        chunk = records[start : start + NEWSML_ITEMS_PER_FILE]
        name = f"message-{start // NEWSML_ITEMS_PER_FILE:04d}.xml"
        (newsml / name).write_text(newsml_message(chunk), encoding="utf-8")
    return paths


def clusters_of(report: Record) -> set[frozenset[str]]:
    """The clusters of a JSON report as sets of member texts: comparable across formats."""
    return {frozenset(m["text"] for m in c["members"]) for c in report["clusters"]}


# Reading alone, timed inside a process of its own: the part of a scan that formats change.
READ_ONLY = """
import sys, time
from dedup.readers import read_paths
started = time.perf_counter()
count = sum(len(d.paragraphs) for d in read_paths(sys.argv[1:]))
print(time.perf_counter() - started, count)
"""


def scan_formats(paths: dict[str, Path], repeat: int) -> list[Record]:
    """Read, then scan, each format ``repeat`` times, interleaved; the fastest run counts."""
    command, reason = dedup_command()
    if command is None:
        sys.exit(reason)
    rows: dict[str, Record] = {}
    for _ in range(repeat):
        for name, path in paths.items():
            read = run_measured([sys.executable, "-c", READ_ONLY, str(path)])
            if read.returncode != 0:
                sys.exit(f"{name}: reading failed: {read.stderr}")
            row = rows.setdefault(name, {"format": name, "read_s": float("inf")})
            row["read_s"] = min(row["read_s"], float(read.stdout.split()[0]))
            report = path.parent / f"report-{path.name}.json"
            measured = run_measured(
                [*command, "scan", str(path), "--format", "json", "-o", str(report)]
            )
            if measured.returncode not in (0, 1):
                sys.exit(f"{name}: dedup failed: {measured.stderr}")
            if measured.wall_s < row.get("wall_s", float("inf")):
                row.update(wall_s=measured.wall_s, peak_mb=measured.peak_rss_mb)
            data = json.loads(report.read_text(encoding="utf-8"))
            row.update(
                documents=data["stats"]["documents"],
                paragraphs=data["stats"]["paragraphs"],
                clusters=clusters_of(data),
            )
    baseline = rows["JSON Lines"]
    reference, seconds = baseline["clusters"], baseline["read_s"]
    for row in rows.values():
        row["read_ratio"] = row["read_s"] / seconds
        row["same_clusters"] = row.pop("clusters") == reference
    return list(rows.values())


def refusal_seconds(document: str, attempts: int = 5) -> float:
    """The fastest of ``attempts`` refusals of a hostile document (it must be refused)."""
    best = float("inf")
    for _ in range(attempts):
        started = time.perf_counter()
        try:
            parse_xml(document, "hostile.xml")
        except InputError:
            best = min(best, time.perf_counter() - started)
        else:
            sys.exit("a hostile document was read instead of refused")
    return best


def hostile_documents(secret: Path) -> dict[str, Callable[[], str]]:
    """Documents that would expand to a terabyte, or read a local file."""

    def bomb() -> str:
        entities = ['<!ENTITY e0 "lol">'] + [
            f'<!ENTITY e{n} "{f"&e{n - 1};" * 10}">' for n in range(1, 12)
        ]
        return f"<!DOCTYPE nitf [{''.join(entities)}]><nitf><p>&e11;</p></nitf>"

    def xxe() -> str:
        return (
            f'<!DOCTYPE nitf [<!ENTITY x SYSTEM "{secret.resolve().as_uri()}">]>'
            "<nitf><p>&x;</p></nitf>"
        )

    return {"entity bomb (10^12 expansions)": bomb, "external entity (a local file)": xxe}


def markdown(rows: list[Record]) -> str:
    lines = [
        "| input | documents | paragraphs | read s | read ratio | scan s | peak MB "
        "| same clusters |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['format']} | {row['documents']:,} | {row['paragraphs']:,} | "
            f"{row['read_s']:.2f} | {row['read_ratio']:.2f} | {row['wall_s']:.2f} | "
            f"{row['peak_mb']:.0f} | {'yes' if row['same_clusters'] else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="first N dispatches only")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each format (fastest kept)")
    args = parser.parse_args()
    if not args.corpus.exists():
        print(f"skipped: no corpus at {args.corpus}", file=sys.stderr)
        return 0
    records = [r for r in iter_records(args.corpus) if r.get("paragraphs")][: args.limit]
    folder = DATA_DIR / f"formats-{len(records)}"
    rows = scan_formats(write_corpora(records, folder), args.repeat)
    print(markdown(rows))
    secret = folder / "secret.txt"
    secret.write_text("not to be read\n", encoding="utf-8")
    refusals = {name: refusal_seconds(make()) for name, make in hostile_documents(secret).items()}
    for name, seconds in refusals.items():
        print(f"{name}: refused in {seconds * 1000:.2f} ms")
    write_results("formats", {"rows": rows, "refusals": refusals, "records": len(records)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
