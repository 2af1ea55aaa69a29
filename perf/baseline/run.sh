#!/usr/bin/env bash
# The machine's floor for the bench's p99 at 1,000 msgs/s (see token-ring.c): builds token-ring
# with the system's cc into a temporary directory, runs its three nodes for SECONDS (default 10)
# and prints one JSON line per node. THREADED=1: node 1 sends from a separate sender thread.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cc -O2 -pthread -o "$work/token-ring" "$here/token-ring.c"
start=$(python3 -c 'import time; print(time.monotonic_ns() + 300000000)')
port=$((30000 + RANDOM % 20000))
for node in 1 2 3; do
  "$work/token-ring" "$node" "$port" "${1:-10}" "$start" &
done
wait
