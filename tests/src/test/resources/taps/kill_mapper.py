#!/usr/bin/env python3
"""The kill harness's mapper: passes Singer lines through unchanged. With config kill_at_line=k it SIGKILLs itself
just before passing line k, after flushing what it passed before."""
import json
import os
import signal
import sys

args = sys.argv[1:]
config = {}
if "--config" in args:
    with open(args[args.index("--config") + 1]) as f:
        config = json.load(f)
kill_at = int(config.get("kill_at_line", 0))
for n, line in enumerate(sys.stdin, start=1):
    if n == kill_at:
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGKILL)
    sys.stdout.write(line)
    if line.startswith('{"type":"STATE"') or line.startswith('{"type": "STATE"'):
        sys.stdout.flush()
sys.stdout.flush()
