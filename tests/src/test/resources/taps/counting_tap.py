#!/usr/bin/env python3
"""A real Singer tap for tests: stream `items` with ids 1..LAST_ID, a STATE after every third record.

Resumes from --state (bookmarks.items.last_id). With CRASH_AT_ID=k it writes to stderr and exits 3
just before emitting record k, after the records and states before it.
"""
import json
import os
import sys

args = sys.argv[1:]
state = {}
if "--state" in args:
    with open(args[args.index("--state") + 1]) as f:
        state = json.load(f)
last = state.get("bookmarks", {}).get("items", {}).get("last_id", 0)
last_id = int(os.environ.get("LAST_ID", "10"))
crash_at = int(os.environ.get("CRASH_AT_ID", "0"))
key = json.loads(os.environ.get("KEY_PROPERTIES", "[]"))


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")


emit({"type": "SCHEMA", "stream": "items", "key_properties": key,
      "schema": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}})
for i in range(last + 1, last_id + 1):
    if i == crash_at:
        sys.stdout.flush()
        print(f"simulated failure before record {i}", file=sys.stderr)
        sys.exit(3)
    emit({"type": "RECORD", "stream": "items", "record": {"id": i, "name": f"item {i}"}})
    if i % 3 == 0:
        emit({"type": "STATE", "value": {"bookmarks": {"items": {"last_id": i}}}})
emit({"type": "STATE", "value": {"bookmarks": {"items": {"last_id": last_id}}}})
