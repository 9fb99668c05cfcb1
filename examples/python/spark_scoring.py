"""Scoring START:AV assessments and deciding eligibility on a Spark cluster with kelias.

Not run in CI. To run it locally (Spark 3.4+ with Java 11 or 17):

    python -m venv venv && . venv/bin/activate
    pip install . pyspark pyarrow pandas        # from the root of the kelias checkout
    python examples/python/spark_scoring.py examples/data/start_av_ratings.csv scores.parquet

On a cluster, install the same kelias wheel on every executor (e.g. `pip wheel .` and
`spark-submit --py-files` is not enough for a compiled module: ship the wheel in the
executors' environment, a conda-pack/venv-pack archive with `--archives`, or a Docker
image). Instruments and rule sets pickle by their definition text and hash, so the
definition the driver loaded is the one every executor scores with; an executor whose
copy compiles to another hash refuses it.

Two recipes:

* `mapInArrow` (Spark >= 3.3): Arrow record batches straight into `Instrument.score`;
  float64 columns are read by the engine without a copy.
* `mapInPandas`: the same with pandas DataFrames (works on older Spark).
"""
from __future__ import annotations

import sys
from typing import Iterator

import pyarrow as pa

import kelias


def score_schema(spark_schema, instrument: kelias.Instrument):
    """The output schema: the input's pass-through columns, then one column per score."""
    from pyspark.sql.types import BooleanType, DateType, DoubleType, StringType, StructField, StructType

    fields = set(instrument.columns)
    spark_type = {"number": DoubleType(), "bool": BooleanType(), "category": StringType(), "date": DateType()}
    passed = [f for f in spark_schema.fields if f.name not in fields]
    scores = [StructField(s.id, spark_type[s.type], True) for s in instrument.score_info if not s.hidden]
    return StructType(passed + scores)


def main(ratings_csv: str, output: str) -> None:
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.appName("kelias-scoring").getOrCreate()
    start_av = kelias.load_instrument("start_av")  # pickled to the executors with the closures

    # Read every column as text: "na" (not applicable) must stay "na", empty cells are omitted.
    ratings = spark.read.option("header", True).option("inferSchema", False).csv(ratings_csv)

    def score_arrow(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            table = start_av.score(pa.Table.from_batches([batch]))  # bad rows raise: see errors="collect"
            yield from table.to_batches()

    scores = ratings.mapInArrow(score_arrow, score_schema(ratings.schema, start_av))
    scores.write.mode("overwrite").parquet(output)

    # The same with pandas, keeping rejected rows apart instead of failing the task.
    def score_pandas(frames):
        for frame in frames:
            good, _rejects = start_av.score(frame, errors="collect")
            good.attrs = {}
            yield good

    print(ratings.mapInPandas(score_pandas, score_schema(ratings.schema, start_av)).limit(5).toPandas())

    # Eligibility: one flat case per row (case, as_of, facts.<name>, assessments.<id>...),
    # decided per partition into the tidy frame of RuleSet.decide.
    rules = kelias.load_rules("lt_release_pathway")
    from pyspark.sql.types import ArrayType, StringType, StructField, StructType, TimestampType

    decisions_schema = StructType(
        [
            StructField("case", StringType()),
            StructField("programme", StringType()),
            StructField("decision", StringType()),
            StructField("earliest_date", TimestampType()),
            StructField("missing", ArrayType(StringType())),
            StructField("reasons", ArrayType(StringType())),
        ]
    )

    def decide_pandas(frames):
        for frame in frames:
            decided = rules.decide(frame, errors="collect")[0]
            decided.attrs = {}
            yield decided

    cases = spark.createDataFrame(kelias.cases_frame([
        {"case": "SPARK-1", "as_of": "2025-06-01", "facts": {"date_of_birth": "1990-01-01", "custodial": True}},
    ]))
    cases.mapInPandas(decide_pandas, decisions_schema).show(truncate=False)
    spark.stop()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: spark_scoring.py RATINGS.csv OUTPUT.parquet")
    main(sys.argv[1], sys.argv[2])
