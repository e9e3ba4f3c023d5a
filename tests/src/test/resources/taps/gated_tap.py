#!/usr/bin/env python3
"""A real Singer tap for state backend tests: stream `items` with ids after the --state bookmark up to LAST_ID,
each record followed by a STATE. It appends "<pid> <epoch seconds> <bookmark it resumed from>" to $GATE_DIR/starts when it starts.

When $GATE_DIR/go is a FIFO, after the record GATE_AFTER_ID and its STATE it writes its pid to the FIFO
$GATE_DIR/ready (blocking until the test reads it) and then waits for a line on $GATE_DIR/go: the test decides
when the rest of the run happens, without sleeping.
"""
import json
import os
import stat
import sys
import time

args = sys.argv[1:]
state = {}
if "--state" in args:
    with open(args[args.index("--state") + 1]) as f:
        state = json.load(f)
last = state.get("bookmarks", {}).get("items", {}).get("last_id", 0)
last_id = int(os.environ.get("LAST_ID", "10"))
gate_after = int(os.environ.get("GATE_AFTER_ID", "0"))
gate_dir = os.environ.get("GATE_DIR", "")
with open(os.path.join(gate_dir, "starts"), "a") as f:
    f.write(f"{os.getpid()} {time.time()} {last}\n")


def emit(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def gated():
    go = os.path.join(gate_dir, "go")
    return os.path.exists(go) and stat.S_ISFIFO(os.stat(go).st_mode)


emit({"type": "SCHEMA", "stream": "items", "key_properties": ["id"],
      "schema": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}})
for i in range(last + 1, last_id + 1):
    emit({"type": "RECORD", "stream": "items", "record": {"id": i, "name": f"item {i}"}})
    emit({"type": "STATE", "value": {"bookmarks": {"items": {"last_id": i}}}})
    if i == gate_after and gated():
        with open(os.path.join(gate_dir, "ready"), "w") as ready:
            ready.write(f"{os.getpid()}\n")
        with open(os.path.join(gate_dir, "go")) as go:
            go.readline()
