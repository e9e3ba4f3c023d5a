#!/usr/bin/env python3
"""The kill harness's tap: for seq 1..LAST_SEQ a RECORD of the keyed stream `items` (id = seq % KEYS + 1, so
later records update earlier keys) and one of the append-only stream `events`; a STATE every third seq.

Resumes after --state (bookmarks.kill.seq). With KILL_TAP_KILL_AT_SEQ=k (tapline passes a tap its own <TAP_NAME>_* variables) it SIGKILLs itself just before seq k,
after flushing what it wrote before.
"""
import json
import os
import signal
import sys

args = sys.argv[1:]
state = {}
if "--state" in args:
    with open(args[args.index("--state") + 1]) as f:
        state = json.load(f)
done = state.get("bookmarks", {}).get("kill", {}).get("seq", 0)
last_seq = int(os.environ.get("KILL_TAP_LAST_SEQ", "3000"))
keys = int(os.environ.get("KILL_TAP_KEYS", "500"))
kill_at = int(os.environ.get("KILL_TAP_KILL_AT_SEQ", "0"))
out = sys.stdout


def emit(message):
    out.write(json.dumps(message, separators=(",", ":")) + "\n")


emit({"type": "SCHEMA", "stream": "items", "key_properties": ["id"],
      "schema": {"type": "object", "properties": {"id": {"type": "integer"}, "seq": {"type": "integer"},
                                                   "name": {"type": "string"}}}})
emit({"type": "SCHEMA", "stream": "events", "key_properties": [],
      "schema": {"type": "object", "properties": {"seq": {"type": "integer"}}}})
for seq in range(done + 1, last_seq + 1):
    if seq == kill_at:
        out.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    emit({"type": "RECORD", "stream": "items", "record": {"id": seq % keys + 1, "seq": seq, "name": f"v{seq}"}})
    emit({"type": "RECORD", "stream": "events", "record": {"seq": seq}})
    if seq % 3 == 0:
        emit({"type": "STATE", "value": {"bookmarks": {"kill": {"seq": seq}}}})
emit({"type": "STATE", "value": {"bookmarks": {"kill": {"seq": last_seq}}}})
