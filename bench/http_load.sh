#!/usr/bin/env bash
# HTTP load test and benchmark of `palimpsest serve` (issues #8 and #6; not part of the test run).
#
# 1. Load (issue #8): one writer stream (wrk -c1, POST /api/documents, every commit synced)
#    beside 64 concurrent readers (wrk -c64, a mix of list/document/revision/revisions/diff/
#    events reads) for DURATION seconds. Then the server is stopped and every acknowledged
#    write is looked up in `palimpsest log --json` (same seq, document and version) and the
#    archive is verified. Reports errors (socket errors and statuses other than 200/304),
#    lost writes, req/s and p99 for readers and the writer. Exit 1 on any error or lost write.
# 2. Benchmark (issue #6), each for BENCH_SECONDS at 64 connections, in the same run:
#    a minimal Boost.Beast server answering a fixed body (bench/minimal_beast_server.cc),
#    GET current document, GET diff, GET current document while a writer posts captures, and
#    CONNECTIONS concurrent writers posting captures (group commit, every write synced);
#    req/s and p99 of each, and the archive's reads/s as a fraction of the minimal server's.
#
# Usage: bench/http_load.sh [BUILD_DIR] [DURATION] [BENCH_SECONDS]
#   BUILD_DIR      a build configured with -DPALIMPSEST_BUILD_BENCH=ON (default: build)
#   DURATION       seconds of the load phase (default 60)
#   BENCH_SECONDS  seconds of each benchmark run (default 15)
# Environment: CONNECTIONS (64), SERVER_THREADS (2), WRK_THREADS (2).
# Needs wrk (Debian package `wrk`). Numbers depend on the machine: compare ratios, not req/s.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
duration=${2:-60}
bench_seconds=${3:-15}
conns=${CONNECTIONS:-64}
server_threads=${SERVER_THREADS:-2}
wrk_threads=${WRK_THREADS:-2}
bin=$build/cli/palimpsest
minimal=$build/bench/minimal_beast_server
command -v wrk >/dev/null || { echo "http_load: needs wrk (apt-get install wrk)" >&2; exit 1; }
ninja -C "$build" palimpsest minimal_beast_server >/dev/null

work=$(mktemp -d /tmp/palimpsest-http-load.XXXXXX)
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
data=$work/data
fixtures=$root/tests/fixtures
doc=001_c82fb13b72988b3d

# The sample corpus with its correction (revisions 1 and 2 of $doc).
"$bin" --data "$data" ingest "$fixtures/$doc.before-correction.txt" --id "$doc" \
  --captured 2023-07-20T12:00:00Z >/dev/null
"$bin" --data "$data" ingest "$fixtures/$doc.txt" --id "$doc" --captured 2023-07-25T12:00:00Z \
  >/dev/null
for f in 000_99c9495df02aabac 002_7e22955fd7e20ed8 003_bc5277d4b9ff88ba 004_52689c8dd169f3e3; do
  "$bin" --data "$data" ingest "$fixtures/$f.txt" --captured 2024-12-15T09:00:00Z >/dev/null
done
token=load-token
printf 'load %s\n' "$(printf %s "$token" | "$bin" serve --hash-token)" >"$work/tokens"

# start_server CMD... : runs CMD in the background, waits for "listening on HOST:PORT", sets
# $port and $server_pid.
start_server() {
  "$@" >"$work/server.out" 2>"$work/server.err" &
  server_pid=$!
  for _ in $(seq 1 100); do
    if grep -q '^listening on' "$work/server.out" 2>/dev/null; then
      port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$work/server.out" | head -1)
      return 0
    fi
    sleep 0.1
  done
  echo "http_load: server did not start: $(cat "$work/server.err")" >&2
  exit 1
}
stop_server() {
  kill -TERM "$server_pid"
  local rc=0
  wait "$server_pid" || rc=$?
  server_pid=""
  if [ "$rc" != 0 ]; then
    echo "http_load: server exited $rc: $(tail -5 "$work/server.err")" >&2
    exit 1
  fi
}
# wrk_run LABEL WRK_ARGS... : prints "LABEL  <RESULT fields>" and keeps the fields in $result.
wrk_run() {
  local label=$1
  shift
  result=$(wrk --latency --timeout 30s "$@" | sed -n 's/^RESULT //p')
  printf '%-34s %s\n' "$label" "$result"
}
field() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

echo "== load: 1 writer + $conns readers for ${duration}s (server --threads $server_threads)"
start_server "$bin" --data "$data" serve --listen 127.0.0.1:0 --tokens "$work/tokens" \
  --threads "$server_threads"
url=http://127.0.0.1:$port
acks=$work/acks.txt
: >"$acks"
PALIMPSEST_LOAD_TOKEN=$token PALIMPSEST_LOAD_ACKS=$acks PALIMPSEST_LOAD_PREFIX=load \
  wrk --timeout 30s -t1 -c1 -d"${duration}s" -s "$root/bench/http_load_writer.lua" "$url" \
  >"$work/writer.txt" &
writer_pid=$!
PALIMPSEST_LOAD_DOC=$doc wrk_run "readers (mixed reads)" -t"$wrk_threads" -c"$conns" \
  -d"${duration}s" -s "$root/bench/http_load_readers.lua" "$url"
readers=$result
wait "$writer_pid"
writer=$(sed -n 's/^RESULT //p' "$work/writer.txt")
printf '%-34s %s\n' "writer (POST captures, synced)" "$writer"
stop_server

# Every acknowledged write must be in the log with the seq, document and version it was
# acknowledged with.
"$bin" --data "$data" log --json >"$work/log.jsonl"
lost=$(python3 - "$acks" "$work/log.jsonl" <<'PY'
import json, sys
log = {}
for line in open(sys.argv[2]):
    e = json.loads(line)
    log[e["seq"]] = (e["doc"], e["version"])
lost = 0
for line in open(sys.argv[1]):
    seq, doc, version = line.split()
    if seq == "?" or log.get(int(seq)) != (doc, int(version)):
        lost += 1
        print("lost or different:", line.strip(), file=sys.stderr)
print(lost)
PY
)
acked=$(wc -l <"$acks")
verify_rc=0
"$bin" --data "$data" verify >/dev/null || verify_rc=$?
errors=$(($(field status_errors "$readers") + $(field socket_errors "$readers") +
  $(field status_errors "$writer") + $(field socket_errors "$writer")))
echo "acknowledged writes: $acked   lost: $lost   errors: $errors   verify exit: $verify_rc"
load_ok=1
if [ "$lost" != 0 ] || [ "$errors" != 0 ] || [ "$verify_rc" != 0 ] || [ "$acked" = 0 ]; then
  load_ok=0
fi

echo "== benchmark: $conns connections, ${bench_seconds}s each"
start_server "$minimal" --listen 127.0.0.1:0 --threads "$server_threads" --body-bytes 2048
wrk_run "minimal Beast server (fixed body)" -t"$wrk_threads" -c"$conns" -d"${bench_seconds}s" \
  -s "$root/bench/http_load_get.lua" "http://127.0.0.1:$port/"
minimal_rps=$(field rps "$result")
stop_server

start_server "$bin" --data "$data" serve --listen 127.0.0.1:0 --tokens "$work/tokens" \
  --threads "$server_threads"
url=http://127.0.0.1:$port
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
wrk_run "GET current document" -t"$wrk_threads" -c"$conns" -d"${bench_seconds}s" \
  -s "$root/bench/http_load_get.lua" "$url/api/documents/$doc"
echo "  ratio to minimal server: $(ratio "$(field rps "$result")" "$minimal_rps")"
wrk_run "GET diff (rev 1 -> 2)" -t"$wrk_threads" -c"$conns" -d"${bench_seconds}s" \
  -s "$root/bench/http_load_get.lua" "$url/api/documents/$doc/diff"
echo "  ratio to minimal server: $(ratio "$(field rps "$result")" "$minimal_rps")"
: >"$work/acks2.txt"
PALIMPSEST_LOAD_TOKEN=$token PALIMPSEST_LOAD_ACKS=$work/acks2.txt PALIMPSEST_LOAD_PREFIX=bench \
  wrk --timeout 30s -t1 -c1 -d"${bench_seconds}s" -s "$root/bench/http_load_writer.lua" "$url" \
  >"$work/writer2.txt" &
writer_pid=$!
wrk_run "GET current document + 1 writer" -t"$wrk_threads" -c"$conns" -d"${bench_seconds}s" \
  -s "$root/bench/http_load_get.lua" "$url/api/documents/$doc"
echo "  ratio to minimal server: $(ratio "$(field rps "$result")" "$minimal_rps")"
wait "$writer_pid"
printf '%-34s %s\n' "  the writer meanwhile" "$(sed -n 's/^RESULT //p' "$work/writer2.txt")"
# Concurrent writers, every acknowledged write durable: the group commit batches them.
: >"$work/acks3.txt"
PALIMPSEST_LOAD_TOKEN=$token PALIMPSEST_LOAD_ACKS=$work/acks3.txt PALIMPSEST_LOAD_PREFIX=many \
  PALIMPSEST_LOAD_DOCS=512 wrk_run "POST captures, $conns writers" -t"$wrk_threads" \
  -c"$conns" -d"${bench_seconds}s" -s "$root/bench/http_load_writer.lua" "$url"
writers=$result
stop_server

if [ "$(field status_errors "$writers")" != 0 ] || [ "$(field socket_errors "$writers")" != 0 ]; then
  echo "http_load: the concurrent writers met errors" >&2
  load_ok=0
fi
if [ "$load_ok" != 1 ]; then
  echo "http_load: FAILED (errors or lost writes above)" >&2
  exit 1
fi
echo "http_load: ok (zero errors, zero lost writes)"
