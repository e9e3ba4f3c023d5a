#!/usr/bin/env python3
"""A real Singer tap for CLI tests: streams `users` and `posts`, each with ids 1..config.last_id.

--discover prints a catalog (property `secret` is unsupported, `id` automatic) and appends a line to
config.discover_log; --about prints a description; with --catalog only selected streams are
synced. Resumes from --state: bookmarks.<stream>.last_id. Ends with a STATE holding the bookmarks of
the streams it synced merged onto the state it was given.
"""
import json
import sys

args = sys.argv[1:]


def arg(name):
    return args[args.index(name) + 1] if name in args else None


config = json.load(open(arg("--config"))) if arg("--config") else {}
STREAMS = ["users", "posts"]


def catalog():
    streams = []
    for s in STREAMS:
        streams.append({
            "tap_stream_id": s, "stream": s,
            "schema": {"type": "object", "properties": {
                "id": {"type": "integer"}, "name": {"type": "string"}, "secret": {"type": "string"}}},
            "metadata": [
                {"breadcrumb": [], "metadata": {"inclusion": "available", "table-key-properties": ["id"]}},
                {"breadcrumb": ["properties", "id"], "metadata": {"inclusion": "automatic"}},
                {"breadcrumb": ["properties", "name"], "metadata": {"inclusion": "available"}},
                {"breadcrumb": ["properties", "secret"], "metadata": {"inclusion": "unsupported"}},
            ]})
    return {"streams": streams}


if "--about" in args:
    print(json.dumps({"name": "two-stream-tap", "capabilities": ["catalog", "discover", "state"]}))
    sys.exit(0)
if "--discover" in args:
    if config.get("discover_log"):
        with open(config["discover_log"], "a") as f:
            f.write("discover\n")
    print(json.dumps(catalog(), indent=2))
    sys.exit(0)

selected = STREAMS
if arg("--catalog"):
    cat = json.load(open(arg("--catalog")))
    selected = [s["tap_stream_id"] for s in cat["streams"]
                if any(m["breadcrumb"] == [] and m["metadata"].get("selected") for m in s.get("metadata", []))]
state = json.load(open(arg("--state"))) if arg("--state") else {}
bookmarks = dict(state.get("bookmarks", {}))
last_id = int(config.get("last_id", 3))
for s in selected:
    sys.stdout.write(json.dumps({"type": "SCHEMA", "stream": s, "key_properties": ["id"], "schema": {
        "type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}}) + "\n")
    start = bookmarks.get(s, {}).get("last_id", 0)
    for i in range(start + 1, last_id + 1):
        sys.stdout.write(json.dumps({"type": "RECORD", "stream": s, "record": {"id": i, "name": f"{s} {i}"}}) + "\n")
    bookmarks[s] = {"last_id": last_id}
sys.stdout.write(json.dumps({"type": "STATE", "value": {"bookmarks": {s: bookmarks[s] for s in selected}}}) + "\n")
