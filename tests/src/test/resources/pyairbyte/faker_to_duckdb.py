import json, os, sys, time
os.environ.setdefault("DO_NOT_TRACK", "1")
import airbyte as ab
from airbyte.caches import DuckDBCache

executable, db_path, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
source = ab.get_source("source-faker", config={"count": count, "seed": 42, "parallelism": 1,
                                                "always_updated": False}, local_executable=executable)
source.select_all_streams()
cache = DuckDBCache(db_path=db_path, schema_name="raw")
start = time.monotonic()
result = source.read(cache=cache, force_full_refresh=True)
seconds = time.monotonic() - start
print(json.dumps({"seconds": seconds, "records": int(result.processed_records)}))
