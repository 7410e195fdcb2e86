"""The Spark engine: the same scan, run on Apache Spark, for inputs beyond one machine.

``dedup.spark.engine.scan_spark`` gives the report ``dedup.pipeline.scan``
gives for the same documents. Its executors run the embedded engine's own
stage functions over Arrow batches (``dedup.spark.stages``); connected
components are found on the executors (``dedup.spark.components``);
``dedup.spark.inputs`` reads local files on the driver and lets Spark read
Hadoop-compatible paths and Parquet. pyspark is an optional extra
(``pip install 'dedup[spark]'``): importing this package does not need it,
its modules do.
"""
