#!/usr/bin/env bash
# The watcher against a local site: N article pages served by Python's http.server on
# 127.0.0.1 (which answers If-Modified-Since with 304), watched with `palimpsest watch`.
#   round 1: every page captured;
#   round 2: a tenth of the pages edited (the title changed), the rest unchanged;
#   round 3: nothing due (the scheduler's own overhead: reading the list, computing schedules).
# Prints each round's outcomes and wall time, and the overhead per watched URL.
# Usage: bench/watch_site.sh [N] (default 500); BUILD_DIR (default build).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-500}
p=${BUILD_DIR:-build}/cli/palimpsest
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/site"
corpus=tests/fixtures
docs=(000_99c9495df02aabac 002_7e22955fd7e20ed8 003_bc5277d4b9ff88ba 004_52689c8dd169f3e3
      001_c82fb13b72988b3d)
for ((i = 0; i < n; i++)); do
  f=${docs[$((i % 5))]}
  { echo "Story number $i: $(head -1 "$corpus/$f.txt")"; echo; tail -n +2 "$corpus/$f.txt";
    echo; echo "This is article $i of the local test site."; } > "$work/site/a$i.txt"
done
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
python3 -m http.server --bind 127.0.0.1 --directory "$work/site" "$port" > /dev/null 2>&1 &
server=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/a0.txt" > /dev/null && break; sleep 0.1; done
export PALIMPSEST_DATA=$work/data
urls=()
for ((i = 0; i < n; i++)); do urls+=("http://127.0.0.1:$port/a$i.txt"); done
"$p" watch add "${urls[@]}" --every 1s > /dev/null
run() {
  local start end
  start=$(date +%s.%N)
  "$p" watch run --once --allow-private-addresses --host-spacing 0 --json
  end=$(date +%s.%N)
  echo "  wall $(python3 -c "print(f'{$end - $start:.2f}')") s"
}
echo "== round 1: $n pages, first checks"; run
sleep 1.1
# Python's http.server compares If-Modified-Since in whole seconds: edits land a second later.
for ((i = 0; i < n; i += 10)); do
  sed -i "1s/^Story number $i:/Story number $i (updated):/" "$work/site/a$i.txt"
  touch -d "+2 seconds" "$work/site/a$i.txt"
done
echo "== round 2: a tenth edited"; run
"$p" watch add "${urls[@]}" --every 1d > /dev/null
echo "== round 3: nothing due (scheduler overhead for $n watches)"
start=$(date +%s.%N)
for _ in 1 2 3 4 5 6 7 8 9 10; do "$p" watch run --once --json > /dev/null; done
end=$(date +%s.%N)
python3 -c "t=($end-$start)/10; print(f'  {t*1000:.1f} ms per round, {t*1e6/$n:.1f} us per watched URL (process start included)')"
"$p" watch list --json | python3 -c '
import json, sys
w = json.load(sys.stdin)["watches"]
print("  checks", sum(x["checks"] for x in w), "captures", sum(x["captures"] for x in w),
      "not_modified", sum(x["not_modified"] for x in w), "failures", sum(x["failures"] for x in w))'
"$p" stats --json | python3 -c '
import json, sys
s = json.load(sys.stdin)
print("  events", s["events"], "by kind", s["events_by_kind"], "file", s["file_bytes"], "bytes")'
