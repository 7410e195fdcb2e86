"""``dedup scan --engine spark``: the options that choose the engine and configure Spark."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import click

from dedup.cli.options import Command, Engine
from dedup.config import ScanConfig
from dedup.errors import ReportError, printable
from dedup.records import Report

if TYPE_CHECKING:
    from dedup.sketch import Progress

ENGINES = ("embedded", "spark")


def engine_options(command: Command) -> Command:
    """``--engine``, ``--spark-master``, ``--spark-conf`` and ``--clusters-parquet``."""
    for option in reversed(
        [
            click.option(
                "--engine",
                type=click.Choice(ENGINES),
                default="embedded",
                show_default=True,
                help="Run the scan in this process, or on Apache Spark (needs "
                "pip install 'dedup[spark]' and Java 17); the report is the same.",
            ),
            click.option(
                "--spark-master",
                metavar="URL",
                help="Spark master to run on (local[*], local[4], spark://host:7077, yarn, "
                "k8s://...) [default: spark-submit's, else local[*]].",
            ),
            click.option(
                "--spark-conf",
                metavar="KEY=VALUE",
                multiple=True,
                help="A Spark setting, e.g. spark.executor.memory=8g (repeatable).",
            ),
            click.option(
                "--clusters-parquet",
                metavar="PATH",
                help="With --engine spark, also write the clusters to this Parquet table "
                "(one row per member; a local or Hadoop path that does not exist yet).",
            ),
        ]
    ):
        command = option(command)
    return command


def chosen_engine(
    engine: str, master: str | None, conf: Sequence[str], clusters_parquet: str | None
) -> Engine | None:
    """The engine the options name (None: the embedded one); Spark options without
    ``--engine spark`` are a usage error."""
    if engine == "spark":
        from dedup.spark.session import parse_conf

        return SparkEngine(master, parse_conf(conf), clusters_parquet)
    given = [
        name
        for name, value in (
            ("--spark-master", master),
            ("--spark-conf", conf),
            ("--clusters-parquet", clusters_parquet),
        )
        if value
    ]
    if given:
        raise click.UsageError(f"{', '.join(given)} needs --engine spark")
    return None


class SparkEngine:
    """The scan on Spark, with the session the options describe."""

    def __init__(
        self, master: str | None, conf: list[tuple[str, str]], clusters_parquet: str | None
    ) -> None:
        self.master = master
        self.conf = conf
        self.clusters_parquet = clusters_parquet

    def check(self, paths: Sequence[str], config: ScanConfig) -> None:
        """Refuse a machine without pyspark or Java, missing local inputs and a clusters table
        that would replace one."""
        from dedup.spark.session import check_runtime

        check_runtime()
        from dedup.spark.inputs import check_local, has_scheme

        check_local(paths, config.read)
        target = self.clusters_parquet
        if target is not None and not has_scheme(target) and os.path.lexists(target):
            raise ReportError(f"{target}: already exists (a clusters table is never replaced)")

    def scan(self, paths: Sequence[str], config: ScanConfig, progress: Progress | None) -> Report:
        """The report of ``paths``, scanned on Spark."""
        from dedup.spark.engine import scan_spark
        from dedup.spark.session import spark_errors, spark_session

        with spark_session(self.master, self.conf) as spark, spark_errors():
            report = scan_spark(spark, paths, config, self.clusters_parquet)
        if self.clusters_parquet is not None:
            click.echo(f"dedup: clusters written to {printable(self.clusters_parquet)}", err=True)
        return report
