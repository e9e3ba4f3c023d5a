#!/usr/bin/env python3
"""The kill harness's external Singer target: keeps `items` keyed by id (last record wins) and counts `events` by
seq. At each STATE it makes everything before it durable in one atomic file write (store.json: the data and the
state), and only then prints the state, as a Singer target confirms one. Records after the last STATE live only in
memory, so a kill loses them and nothing else. With config kill_at_seq=k it SIGKILLs itself on the items record
with seq k."""
import json
import os
import signal
import sys

args = sys.argv[1:]
with open(args[args.index("--config") + 1]) as f:
    config = json.load(f)
path = config["store"]
kill_at = int(config.get("kill_at_seq", 0))
store = {"items": {}, "events": {}, "state": None}
if os.path.exists(path):
    with open(path) as f:
        store = json.load(f)


def commit(state):
    store["state"] = state
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(store, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


for line in sys.stdin:
    m = json.loads(line)
    if m["type"] == "RECORD":
        r = m["record"]
        if m["stream"] == "items":
            if r["seq"] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            store["items"][str(r["id"])] = "%d:%s" % (r["seq"], r["name"])
        else:
            key = str(r["seq"])
            store["events"][key] = store["events"].get(key, 0) + 1
    elif m["type"] == "STATE":
        commit(m["value"])
        print(json.dumps(m["value"]), flush=True)
