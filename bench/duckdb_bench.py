#!/usr/bin/env python3
"""DuckDB helpers for bench/run (run with the bench venv's python, which has the duckdb package).

  duckdb_bench.py read-json RECORDS.jsonl DB_FILE   load the RECORD payloads with read_json; print the row count
  duckdb_bench.py count DB_FILE TABLE               print the row count of TABLE
  duckdb_bench.py compare DB1 TABLE1 DB2 TABLE2     print how many rows are in one table but not the other
"""
import sys

import duckdb

# The same column types tapline derives from the stream's SCHEMA message (date-time -> TIMESTAMPTZ,
# date -> DATE, nested object -> JSON), so both sides do the same typing work.
RECORD = ("STRUCT(id BIGINT, name VARCHAR, email VARCHAR, country VARCHAR, amount DOUBLE, active BOOLEAN, "
          "created_at TIMESTAMPTZ, birth_date DATE, note VARCHAR, attrs JSON)")


def read_json(path, db):
    con = duckdb.connect(db)
    con.execute(
        "CREATE TABLE events AS SELECT record.* FROM read_json(?, format = 'newline_delimited', "
        f"columns = {{'type': 'VARCHAR', 'stream': 'VARCHAR', 'record': '{RECORD}'}}) WHERE type = 'RECORD'",
        [path])
    print(con.execute("SELECT count(*) FROM events").fetchone()[0])
    con.close()


def count(db, table):
    con = duckdb.connect(db, read_only=True)
    print(con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    con.close()


def compare(db1, table1, db2, table2):
    con = duckdb.connect()
    con.execute("ATTACH ? AS a (READ_ONLY)", [db1])
    con.execute("ATTACH ? AS b (READ_ONLY)", [db2])
    # JSON columns compared as text; timestamps as instants
    cols = "* REPLACE (attrs::VARCHAR AS attrs)"
    diff = con.execute(
        f"SELECT (SELECT count(*) FROM (SELECT {cols} FROM a.{table1} EXCEPT ALL SELECT {cols} FROM b.{table2}))"
        f" + (SELECT count(*) FROM (SELECT {cols} FROM b.{table2} EXCEPT ALL SELECT {cols} FROM a.{table1}))"
    ).fetchone()[0]
    print(diff)
    con.close()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "read-json":
        read_json(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 6 and sys.argv[1] == "compare":
        compare(*sys.argv[2:])
    elif len(sys.argv) == 4 and sys.argv[1] == "count":
        count(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
