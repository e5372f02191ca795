"""Digests on Spark: the ``digest`` data source, its articles and its error records."""

from __future__ import annotations

from typing import Any

from pyspark.sql import SparkSession

from digestkit.spark import DigestDataSource


def articles_per_language(spark: SparkSession, inbox: str) -> dict[str, int]:
    """Count the articles of each language in every digest under ``inbox``."""
    spark.dataSource.register(DigestDataSource)
    articles = spark.read.format("digest").load(inbox)
    return {row["language"]: row["count"] for row in articles.groupBy("language").count().collect()}


def bad_files(spark: SparkSession, inbox: str) -> list[dict[str, Any]]:
    """One record (source, line, column, message) per file that could not be read."""
    spark.dataSource.register(DigestDataSource)
    errors = spark.read.format("digest").option("errors", "only").load(inbox)
    return [row.asDict() for row in errors.collect()]
