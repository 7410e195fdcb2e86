"""The Spark session a scan runs in: found or started, with dedup's defaults, and Spark's
errors turned into dedup's.

Under ``spark-submit`` the session is the one spark-submit configured (its
``--master`` and ``--conf`` hold); otherwise one is started on
``--spark-master`` (``local[*]`` by default). Settings given with
``--spark-conf`` come last and win.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from importlib import resources
from typing import TYPE_CHECKING

from dedup.errors import ConfigError, DedupError, EngineError, InputError

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

#: The master a scan runs on when none is named and spark-submit named none either.
DEFAULT_MASTER = "local[*]"
_JAVA = "Java 17 or later (apt-get install openjdk-17-jre-headless, or set JAVA_HOME)"


def parse_conf(items: Sequence[str]) -> list[tuple[str, str]]:
    """``KEY=VALUE`` settings as pairs, or a ``ConfigError`` naming the one without ``=``.

    >>> parse_conf(["spark.executor.memory=4g", "spark.a=b=c"])
    [('spark.executor.memory', '4g'), ('spark.a', 'b=c')]
    """
    pairs = []
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key.strip():
            raise ConfigError(f"--spark-conf takes KEY=VALUE, got {item!r}")
        pairs.append((key.strip(), value))
    return pairs


def check_runtime() -> None:
    """Refuse, before any work, a machine where Spark cannot run: no pyspark, or no Java."""
    try:
        import pyspark  # noqa: F401
    except ImportError as err:
        raise EngineError("--engine spark needs pyspark: pip install 'dedup[spark]'") from err
    java_home = os.environ.get("JAVA_HOME")
    if java_home and not os.access(os.path.join(java_home, "bin", "java"), os.X_OK):
        raise EngineError(
            f"--engine spark: JAVA_HOME ({java_home}) holds no bin/java; needs {_JAVA}"
        )
    if not java_home and shutil.which("java") is None:
        raise EngineError(f"--engine spark needs {_JAVA}: java was not found")


def _under_submit() -> bool:
    """Whether spark-submit started this process (its JVM gateway is already running)."""
    return "PYSPARK_GATEWAY_PORT" in os.environ


def _defaults(master: str) -> list[tuple[str, str]]:
    """dedup's defaults for a session it starts: quiet logs, UTC, and on a local master the
    executors' Python the driver's own (where dedup is installed)."""
    log_config = resources.files("dedup.spark").joinpath("log4j2.properties")
    settings = [
        ("spark.app.name", "dedup"),
        ("spark.ui.showConsoleProgress", "false"),
        ("spark.sql.session.timeZone", "UTC"),
        ("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile=file:{log_config}"),
    ]
    if master.startswith("local"):
        settings += [
            ("spark.pyspark.python", sys.executable),
            ("spark.pyspark.driver.python", sys.executable),
            # One machine: no web UI to bind a port for, and a few tasks per core for each
            # shuffle rather than Spark's 200, which a cluster's executors need.
            ("spark.ui.enabled", "false"),
            ("spark.sql.shuffle.partitions", str(4 * local_cores(master))),
            # The executors run inside the driver's JVM: Spark's 1 GB leaves the Reuters
            # corpus a third of its time in garbage collection.
            ("spark.driver.memory", "2g"),
        ]
    return settings


def local_cores(master: str) -> int:
    """The cores a local master runs on: ``local[4]`` 4, ``local`` 1, ``local[*]`` all.

    >>> local_cores("local[3]"), local_cores("local"), local_cores("local[2, 4]")
    (3, 1, 2)
    """
    found = re.match(r"local(?:-cluster)?\[\s*(\d+|\*)", master)
    if found is None:
        return 1
    return os.cpu_count() or 1 if found.group(1) == "*" else int(found.group(1))


@contextmanager
def spark_session(master: str | None, conf: Sequence[tuple[str, str]]) -> Iterator[SparkSession]:
    """The active session, or one started for the block (and stopped after it)."""
    check_runtime()
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        # A session already running (a notebook, a test) takes runtime settings only.
        with spark_errors():
            for key, value in conf:
                active.conf.set(key, value)
        yield active
        return
    builder = SparkSession.builder
    settings = list(conf)
    if master is not None or not _under_submit():
        chosen = master or DEFAULT_MASTER
        builder = builder.master(chosen)
        settings = _defaults(chosen) + settings
    for key, value in settings:
        builder = builder.config(key, value)
    with spark_errors(), _worker_python(dict(settings).get("spark.pyspark.python")):
        session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    try:
        yield session
    finally:
        session.stop()


@contextmanager
def _worker_python(python: str | None) -> Iterator[None]:
    """``spark.pyspark.python`` as the Python workers' interpreter while a context starts.

    Started from Python rather than by ``spark-submit``, pyspark takes the workers'
    interpreter from ``PYSPARK_PYTHON`` alone (else the first ``python3`` on the path, which
    may lack dedup or pyarrow); a ``PYSPARK_PYTHON`` already set wins.
    """
    if python is None or "PYSPARK_PYTHON" in os.environ:
        yield
        return
    os.environ["PYSPARK_PYTHON"] = python
    try:
        yield
    finally:
        del os.environ["PYSPARK_PYTHON"]


# The last line of a Python traceback that a task raised: "dedup.errors.InputError: ...".
_TASK_ERROR = re.compile(r"^(?:dedup\.errors\.)?(\w+Error): (.*)$", re.MULTILINE)
_DEDUP_ERRORS = {cls.__name__: cls for cls in (InputError, ConfigError, EngineError)}


@contextmanager
def spark_errors() -> Iterator[None]:
    """Spark's exceptions as dedup's: an error a task of ours raised is raised again as what
    it was (an ``InputError`` naming a file stays one); anything else from Spark is an
    ``EngineError`` with Spark's first line."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except DedupError:
        raise
    except (PySparkException, Py4JError) as err:
        text = str(err)
        for name, message in reversed(_TASK_ERROR.findall(text)):
            if name in _DEDUP_ERRORS:
                raise _DEDUP_ERRORS[name](message) from err
        first = next((line.strip() for line in text.splitlines() if line.strip()), repr(err))
        raise EngineError(f"Spark: {first}") from err
