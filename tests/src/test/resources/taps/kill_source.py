#!/usr/bin/env python3
"""The kill harness's Airbyte source: the kill tap's streams (keyed `items`, append-only `events`) in the Airbyte
protocol, a STREAM state every third seq. Resumes after --state. With config kill_at_seq=k it SIGKILLs itself just
before seq k, after flushing what it wrote before."""
import json
import os
import signal
import sys

ITEMS = {"type": "object", "properties": {"id": {"type": "integer"}, "seq": {"type": "integer"},
                                          "name": {"type": "string"}}}
EVENTS = {"type": "object", "properties": {"seq": {"type": "integer"}}}
args = sys.argv[1:]
out = sys.stdout


def emit(message):
    out.write(json.dumps(message, separators=(",", ":")) + "\n")


def option(name):
    return args[args.index(name) + 1] if name in args else None


if args[0] == "spec":
    emit({"type": "SPEC", "spec": {"connectionSpecification": {"type": "object"}}})
elif args[0] == "discover":
    emit({"type": "CATALOG", "catalog": {"streams": [
        {"name": "items", "json_schema": ITEMS, "supported_sync_modes": ["full_refresh", "incremental"],
         "source_defined_cursor": True, "default_cursor_field": ["seq"], "source_defined_primary_key": [["id"]]},
        {"name": "events", "json_schema": EVENTS, "supported_sync_modes": ["full_refresh", "incremental"],
         "source_defined_cursor": True, "default_cursor_field": ["seq"]}]}})
elif args[0] == "read":
    with open(option("--config")) as f:
        config = json.load(f)
    done = 0
    if option("--state"):
        with open(option("--state")) as f:
            for s in json.load(f):
                if s.get("type") == "STREAM" and s["stream"]["stream_descriptor"]["name"] == "items":
                    done = s["stream"]["stream_state"]["seq"]
    last_seq = int(config.get("last_seq", 1200))
    keys = int(config.get("keys", 500))
    kill_at = int(config.get("kill_at_seq", 0))

    def state(seq):
        emit({"type": "STATE", "state": {"type": "STREAM", "stream": {"stream_descriptor": {"name": "items"},
                                                                      "stream_state": {"seq": seq}}}})

    for seq in range(done + 1, last_seq + 1):
        if seq == kill_at:
            out.flush()
            os.kill(os.getpid(), signal.SIGKILL)
        emit({"type": "RECORD", "record": {"stream": "items", "emitted_at": 1,
                                           "data": {"id": seq % keys + 1, "seq": seq, "name": "v%d" % seq}}})
        emit({"type": "RECORD", "record": {"stream": "events", "emitted_at": 1, "data": {"seq": seq}}})
        if seq % 3 == 0:
            state(seq)
    state(last_seq)
