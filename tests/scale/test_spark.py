"""digestkit.spark on ``local[2]`` and on a standalone cluster the test starts and stops.

The standalone cluster is a master and two workers, each a JVM started from the pyspark
package's ``spark-class`` on 127.0.0.1 with free ports, in its own process group; the
fixture stops the session, then ends each group it started (SIGTERM, then SIGKILL).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pyspark = pytest.importorskip("pyspark")

from pyspark.sql import SparkSession  # noqa: E402  # after the skip: the extra may be absent

from digestkit.arrow import arrow_schema, error_schema  # noqa: E402
from digestkit.spark import DigestDataSource  # noqa: E402

from .conftest import Corpus, error_lines, example, languages  # noqa: E402

pytestmark = [
    pytest.mark.slow,
    # PySpark 4 warns that pandas 3 is not fully supported; the data source uses Arrow only.
    pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning"),
]

SPARK_HOME = Path(pyspark.__file__).resolve().parent
START_TIMEOUT = 180.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _master_state(web_port: int) -> dict[str, Any] | None:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{web_port}/json/", timeout=5) as answer:
            state: dict[str, Any] = json.load(answer)
            return state
    except OSError:
        return None


class StandaloneCluster:
    """A Spark master and two workers, each a process group of its own."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port, self.web_port = _free_port(), _free_port()
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = os.environ | {
            "SPARK_HOME": str(SPARK_HOME),
            "SPARK_LOCAL_IP": "127.0.0.1",
            "PYSPARK_PYTHON": sys.executable,
            "SPARK_LOG_DIR": str(folder),
        }

    @property
    def url(self) -> str:
        return f"spark://127.0.0.1:{self.port}"

    def _start(self, name: str, *args: str) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes.append(
            subprocess.Popen(
                [str(SPARK_HOME / "bin" / "spark-class"), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: the executors it starts end with it
            )
        )
        log.close()

    def _wait(self, ready: Any, what: str) -> dict[str, Any]:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a Spark process exited ({process.args!r}): {self.logs()}")
            state = _master_state(self.web_port)
            if state is not None and ready(state):
                return state
            time.sleep(1)
        raise RuntimeError(f"timed out waiting for {what}: {self.logs()}")

    def logs(self) -> str:
        return "\n".join(
            f"--- {log.name}\n" + log.read_text(errors="replace")[-2000:]
            for log in sorted(self.folder.glob("*.log"))
        )

    def start(self) -> None:
        self._start(
            "master",
            "org.apache.spark.deploy.master.Master",
            *("--host", "127.0.0.1", "--port", str(self.port)),
            *("--webui-port", str(self.web_port)),
        )
        self._wait(lambda state: True, "the master")
        for number in (1, 2):
            work = self.folder / f"worker-{number}"
            work.mkdir()
            self._start(
                f"worker-{number}",
                "org.apache.spark.deploy.worker.Worker",
                self.url,
                *("--host", "127.0.0.1", "--port", str(_free_port())),
                *("--webui-port", str(_free_port()), "--cores", "1", "--memory", "1g"),
                *("--work-dir", str(work)),
            )
        self._wait(lambda state: state.get("aliveworkers") == 2, "two workers")

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def _session(master: str) -> SparkSession:
    os.environ["PYSPARK_PYTHON"] = sys.executable
    builder: Any = SparkSession.builder
    return (
        builder.master(master)
        .appName("digestkit-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.pyspark.python", sys.executable)
        .config("spark.executor.memory", "512m")
        .config("spark.cores.max", "2")
        .getOrCreate()
    )


@pytest.fixture(scope="module", params=["local[2]", "standalone"])
def spark(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SparkSession]:
    """A session on local[2], then one on a standalone cluster: one SparkContext at a time."""
    cluster = None
    try:
        if request.param == "standalone":
            cluster = StandaloneCluster(tmp_path_factory.mktemp("spark"))
            cluster.start()
            session = _session(cluster.url)
        else:
            session = _session(request.param)
        try:
            session.dataSource.register(DigestDataSource)
            session.cluster = cluster  # type: ignore[attr-defined]  # for the tests to inspect
            yield session
        finally:
            session.stop()
    finally:
        if cluster is not None:
            cluster.stop()


def test_every_good_article_arrives_and_each_bad_file_is_one_record(
    spark: SparkSession, corpus: Corpus
) -> None:
    frame = spark.read.format("digest").option("filesPerPartition", 3).load(str(corpus.root))
    assert frame.rdd.getNumPartitions() == 4  # 11 files, 3 per partition
    rows = frame.select("source_file", "digest", "article", "headline").collect()
    assert sorted(tuple(row) for row in rows) == corpus.articles
    errors = spark.read.format("digest").option("errors", "only").load(str(corpus.root))
    assert error_lines([row.asDict() for row in errors.collect()], corpus.root) == corpus.errors


def test_schemas_come_from_arrow(spark: SparkSession, corpus: Corpus) -> None:
    from pyspark.sql.pandas.types import from_arrow_schema

    frame = spark.read.format("digest").load(str(corpus.root / "many.parquet"))
    assert frame.schema == from_arrow_schema(arrow_schema())
    errors = spark.read.format("digest").option("errors", "only").load(str(corpus.root))
    assert errors.schema == from_arrow_schema(error_schema())
    # The Parquet file holds three digests, the second empty: rows of digests 0 and 2 only.
    assert sorted({row.digest for row in frame.select("digest").collect()}) == [0, 2]


def test_standalone_jobs_run_on_the_two_workers(spark: SparkSession, corpus: Corpus) -> None:
    cluster: StandaloneCluster | None = spark.cluster  # type: ignore[attr-defined]
    if cluster is None:
        pytest.skip("local[2] has no workers")
    assert spark.sparkContext.master == cluster.url
    count = spark.read.format("digest").option("filesPerPartition", 1).load(str(corpus.root))
    assert count.count() == len(corpus.articles)
    state = _master_state(cluster.web_port)
    assert state is not None
    assert state["aliveworkers"] == 2
    (app,) = state["activeapps"]
    assert app["cores"] == 2


def test_docs_example(spark: SparkSession, corpus: Corpus) -> None:
    if spark.cluster is not None:  # type: ignore[attr-defined]
        pytest.skip("the example runs once, on local[2]")
    docs = example("scale_spark")
    assert docs.articles_per_language(spark, str(corpus.root)) == languages(corpus)
    assert error_lines(docs.bad_files(spark, str(corpus.root)), corpus.root) == corpus.errors
