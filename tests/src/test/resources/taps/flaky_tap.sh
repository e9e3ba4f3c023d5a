#!/usr/bin/env bash
# Fails its first FAIL_TIMES runs (counted in ATTEMPTS_FILE) midway, like counting_tap.py with CRASH_AT_ID;
# later runs are the plain counting tap. Every run appends its --state argument's content to ATTEMPTS_FILE.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
n=$(( $(wc -l < "$ATTEMPTS_FILE" 2>/dev/null || echo 0) + 1 ))
state="none"
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = "--state" ]; then j=$((i + 1)); state="$(tr -d '\n ' < "${!j}")"; fi
done
echo "$state" >> "$ATTEMPTS_FILE"
if [ "$n" -le "${FAIL_TIMES:-0}" ]; then
  export CRASH_AT_ID=$(( n * 4 + 1 ))
fi
exec "$here/counting_tap.py" "$@"
