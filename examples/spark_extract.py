"""Extract a whole archive of forms on Spark (or Dask) into Parquet.

Spark reads every file as bytes (``binaryFile``); each partition runs
``declx.extract_bytes`` on its files inside ``mapInPandas``; the records
are written as Parquet, one row per record, with the nested parts as JSON
text (the schema is fixed, so shards agree). Run here in local mode:

    python examples/spark_extract.py FORMS_DIR OUT_DIR [--dask]

On a cluster, ship the declx wheel in a packed venv (``venv-pack``) with
``--archives``; compiled wheels do not travel with ``--py-files``.
"""

import json
import sys
import time

import pandas as pd

SCHEMA = "path string, form string, department string, year int, title string, record string, error string"


def extract_partition(batches):
    """Runs in a Spark (or Dask) worker: one row per record, or per failed file."""
    import declx

    for pdf in batches:
        rows = []
        for path, content in zip(pdf["path"], pdf["content"]):
            name = path.rsplit("/", 1)[-1]
            try:
                for r in declx.extract_bytes(name, bytes(content)):
                    r["source"]["path"] = path
                    rows.append({
                        "path": path,
                        "form": r["form"],
                        "department": r["department"],
                        "year": r["year"],
                        "title": r["title"],
                        "record": json.dumps(r, ensure_ascii=False, default=str),
                        "error": None,
                    })
            except declx.ExtractError as e:
                rows.append({"path": path, "form": None, "department": None, "year": None, "title": None,
                             "record": None, "error": str(e)})
        yield pd.DataFrame(rows, columns=["path", "form", "department", "year", "title", "record", "error"]).astype(
            {"year": "Int32"})


def spark(src, out):
    import os

    from pyspark.sql import SparkSession

    # Local mode: the workers run this interpreter (the venv holding declx).
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)

    spark = SparkSession.builder.master("local[2]").appName("declx").getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .option("pathGlobFilter", "*.{xlsx,xls,ods,txt,csv,htm,html,docx}")
        .load(src)
        .select("path", "content")
    )
    records = files.mapInPandas(extract_partition, schema=SCHEMA)
    records.write.mode("overwrite").parquet(out)
    back = spark.read.parquet(out)
    print("records:", back.filter("error is null").count(), "failed files:", back.filter("error is not null").count())
    back.groupBy("form").count().orderBy("form").show()
    spark.stop()


def dask(src, out):
    import glob
    import os

    import dask
    import dask.dataframe as dd

    paths = sorted(p for p in glob.glob(os.path.join(src, "**", "*"), recursive=True) if os.path.isfile(p))
    chunks = [paths[i : i + 64] for i in range(0, len(paths), 64)]

    def part(chunk):
        pdf = pd.DataFrame({"path": chunk, "content": [open(p, "rb").read() for p in chunk]})
        return next(extract_partition([pdf]))

    meta = pd.DataFrame({c: pd.Series(dtype="object") for c in ["path", "form", "department", "title", "record", "error"]})
    meta["year"] = pd.Series(dtype="Int32")
    meta = meta[["path", "form", "department", "year", "title", "record", "error"]]
    ddf = dd.from_delayed([dask.delayed(part)(c) for c in chunks], meta=meta, verify_meta=False)
    ddf.to_parquet(out, write_index=False)
    back = dd.read_parquet(out).compute()
    print("records:", int(back["error"].isna().sum()), "failed files:", int(back["error"].notna().sum()))


if __name__ == "__main__":
    src, out = sys.argv[1], sys.argv[2]
    t = time.time()
    (dask if "--dask" in sys.argv else spark)(src, out)
    print(f"{time.time() - t:.1f} s")
