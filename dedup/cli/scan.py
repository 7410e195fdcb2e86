"""``dedup scan``: the repeated paragraphs of a batch of files."""

from __future__ import annotations

from typing import Any

import click

from dedup.cli import main
from dedup.cli.options import ReportRequest, report_options, scan_and_report, settings_options
from dedup.cli.spark import chosen_engine, engine_options


@main.command("scan")
@click.argument("paths", nargs=-1, required=True)
@report_options()
@engine_options
@settings_options
def scan_command(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    timings: bool,
    engine: str,
    spark_master: str | None,
    spark_conf: tuple[str, ...],
    clusters_parquet: str | None,
    config_path: str | None,
    **settings: Any,
) -> None:
    """Report the paragraphs of PATHS (files, folders, - for stdin) that repeat one another.

    Folders are read at any depth (text, Markdown, JSON Lines, NITF,
    NewsML-G2, ninjs; gzipped too). The report goes to --output, or to
    standard output for text and json. With --engine spark, the scan runs on
    Apache Spark, and PATHS may also be Hadoop paths (hdfs://, s3a://, file:...)
    and Parquet tables of records, which Spark reads itself.
    """
    runner = chosen_engine(engine, spark_master, spark_conf, clusters_parquet)
    request = ReportRequest(paths, fmt, output, fail_on, timings, config_path, settings)
    scan_and_report(request, engine=runner)
