#!/usr/bin/env bash
# The archive as nodes of a shared log on a three-server NATS JetStream cluster (R3 streams),
# against the archive's own local LMDB log. Measures:
#   write throughput: `palimpsest import` of one synthetic workload (bench/gen_jsonl.py, split
#     into three parts with disjoint documents) (a) into a local archive (no --log), (b) through
#     one node of the shared log, the three parts one after another, (c) through three nodes at
#     once, one part each, on the same stream (wall time from the first start to the last end);
#     records/s and events/s (`stats --json` "events"), at --batch BATCH and at --batch BATCH2;
#   replication lag under load: a follower (`serve --log` on an empty node directory) polled at
#     /api/health every 100 ms while (c) is repeated on a fresh stream: the largest "lag" (log
#     entries; one entry per import transaction) and the seconds from the end of the imports
#     until the follower has applied the log's last entry ("catch-up");
#   read latency: wrk -t1 -c4 for 5 s on GET /api/documents/ID, p50/p99, on the follower and on a
#     `serve` of the local archive of (a);
#   correctness: every node of each shared-log run is synced, then `verify --json` must be ok
#     with the same head_hash on every node of a stream. Exit 1 otherwise.
# Usage: bench/cluster.sh [N] (records, default 4000). Environment: BUILD_DIR (default build),
#   BATCH (500), BATCH2 (50), TIMEOUT (seconds any one palimpsest command may take, default 600).
# Needs nats-server (with JetStream), wrk and python3. Numbers depend on the machine: compare
# ratios, not records/s.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-4000}
batch=${BATCH:-500}
batch2=${BATCH2:-50}
limit=${TIMEOUT:-600}
p=$(cd "${BUILD_DIR:-build}" && pwd)/cli/palimpsest
for tool in nats-server wrk python3; do
  command -v "$tool" >/dev/null || { echo "cluster: needs $tool" >&2; exit 1; }
done
work=$(mktemp -d /tmp/palimpsest-cluster.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
# forget PID: a process that has been waited for is no longer the trap's to kill.
forget() {
  local keep=() pid
  for pid in "${pids[@]}"; do [ "$pid" = "$1" ] || keep+=("$pid"); done
  pids=("${keep[@]}")
}
script_start=$(date +%s.%N)
now() { date +%s.%N; }
calc() { python3 -c "print($1)"; }
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
# jget FILE KEY: a top-level field of the JSON object in FILE.
jget() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$1" "$2"; }
# pal OUT ARGS...: runs palimpsest ARGS with stdout to OUT (stderr to OUT.err); on a failure or a
# timeout prints the command, its exit status and output, and exits 1.
pal() {
  local out=$1 rc=0
  shift
  timeout "$limit" "$p" "$@" >"$out" 2>"$out.err" || rc=$?
  [ "$rc" = 0 ] || fail "$rc" "$out" "$@"
}
fail() {
  local rc=$1 out=$2
  shift 2
  echo "cluster: FAILED (exit $rc$([ "$rc" = 124 ] && echo ", timed out after ${limit}s")):" >&2
  echo "  palimpsest $*" >&2
  echo "  stdout: $(head -c 2000 "$out")" >&2
  echo "  stderr: $(head -c 2000 "$out.err")" >&2
  exit 1
}

# 1. The cluster: three servers, routes to the other two.
client=() cport=()
for i in 0 1 2; do client[$i]=$(free_port); cport[$i]=$(free_port); done
for i in 0 1 2; do
  routes=""
  for j in 0 1 2; do
    [ "$j" = "$i" ] || routes=${routes:+$routes,}nats://127.0.0.1:${cport[$j]}
  done
  nats-server -js -sd "$work/n$i" -a 127.0.0.1 -p "${client[$i]}" --cluster_name bench \
    --cluster "nats://127.0.0.1:${cport[$i]}" --routes "$routes" -n "n$i" \
    >"$work/nats$i.log" 2>&1 &
  pids+=($!)
done
log=nats://127.0.0.1:${client[0]},127.0.0.1:${client[1]},127.0.0.1:${client[2]}
# Ready when a node can create its (R3) streams: needs a meta leader and three peers.
t0=$(now)
ready=0
for _ in $(seq 60); do
  if timeout 10 "$p" --data "$work/probe" --log "$log" --log-stream probe sync \
    >"$work/probe.out" 2>"$work/probe.err"; then
    ready=1
    break
  fi
  [ "$(calc "$(now) - $t0 > 30")" = True ] && break
  sleep 0.5
done
if [ "$ready" != 1 ]; then
  echo "cluster: JetStream did not accept a stream within 30 s: $(cat "$work/probe.err")" >&2
  exit 1
fi
echo "== cluster: 3 nats-server on 127.0.0.1:${client[*]} ready in $(calc "round($(now) - $t0, 1)") s"

# 2. The workload, split by document into three parts (no two writers touch one document).
python3 bench/gen_jsonl.py "$n" >"$work/all.jsonl"
python3 - "$work" <<'PY'
import json, sys
work = sys.argv[1]
parts = [open(f"{work}/part{i}.jsonl", "w") for i in range(3)]
for line in open(f"{work}/all.jsonl"):
    doc = json.loads(line)["id"]
    parts[int(doc.rsplit("-", 1)[1]) % 3].write(line)
PY
parts=("$work/part0.jsonl" "$work/part1.jsonl" "$work/part2.jsonl")
read_id=$(head -1 "$work/part0.jsonl" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
echo "== workload: $n records, $(cat "${parts[@]}" | python3 -c 'import json,sys; print(len({json.loads(l)["id"] for l in sys.stdin}))') documents, parts of $(wc -l <"${parts[0]}"), $(wc -l <"${parts[1]}"), $(wc -l <"${parts[2]}") records"

# 3. Write throughput. Each result: a line "variant batch records seconds events" in results.
results=$work/results.txt
: >"$results"
# sum_records FILES...: the summed "records" of import summaries; a failed record fails the run.
sum_records() {
  python3 - "$@" <<'PY'
import json, sys
total = 0
for f in sys.argv[1:]:
    s = json.load(open(f))
    if s["failed"]:
        sys.exit(f"cluster: {f}: {s['failed']} records failed")
    total += s["records"]
print(total)
PY
}
# sequential NAME BATCH DIR [LOG-ARGS...]: the three parts one after another into DIR.
sequential() {
  local name=$1 b=$2 dir=$3 i start end
  shift 3
  start=$(now)
  for i in 0 1 2; do
    pal "$work/$name.import$i.json" --data "$dir" "$@" import "${parts[$i]}" --json --batch "$b"
  done
  end=$(now)
  pal "$work/$name.stats.json" --data "$dir" stats --json
  echo "$name $b $(sum_records "$work/$name".import?.json) $(calc "$end - $start") $(jget "$work/$name.stats.json" events)" >>"$results"
}
# concurrent NAME BATCH STREAM: three nodes, one part each, at once, on STREAM.
concurrent() {
  local name=$1 b=$2 stream=$3 i start end rc
  local cp=()
  start=$(now)
  for i in 0 1 2; do
    timeout "$limit" "$p" --data "$work/$name.node$i" --log "$log" --log-stream "$stream" \
      import "${parts[$i]}" --json --batch "$b" >"$work/$name.import$i.json" \
      2>"$work/$name.import$i.json.err" &
    cp+=($!)
    pids+=($!)
  done
  for i in 0 1 2; do
    rc=0
    wait "${cp[$i]}" || rc=$?
    forget "${cp[$i]}"
    [ "$rc" = 0 ] || fail "$rc" "$work/$name.import$i.json" --data "$work/$name.node$i" \
      --log "$log" --log-stream "$stream" import "${parts[$i]}" --json --batch "$b"
  done
  end=$(now)
  imports_end=$end
  # The log's events: a node that has applied everything (the sync is not timed).
  pal "$work/$name.sync.json" --data "$work/$name.node0" --log "$log" --log-stream "$stream" sync
  pal "$work/$name.stats.json" --data "$work/$name.node0" stats --json
  echo "$name $b $(sum_records "$work/$name".import?.json) $(calc "$end - $start") $(jget "$work/$name.stats.json" events)" >>"$results"
}
# create_stream NAME: the first use of a prefix creates its R3 streams (a second or so); done
# before the timed imports, on a scratch node, and timed apart.
create_stream() {
  local start
  start=$(now)
  pal "$work/create.$1.json" --data "$work/create.$1" --log "$log" --log-stream "$1" sync
  echo "$1 $(calc "$(now) - $start")" >>"$work/create.txt"
}
echo "== write throughput (batch $batch, then $batch2)"
for b in "$batch" "$batch2"; do
  sequential "local_b$b" "$b" "$work/local_b$b"
  create_stream "one_b$b"
  sequential "node1_b$b" "$b" "$work/node1_b$b" --log "$log" --log-stream "one_b$b"
  create_stream "three_b$b"
  concurrent "nodes3_b$b" "$b" "three_b$b"
done
sed 's/^/  /' "$results"

# 4. A follower under load: serve --log on an empty node, (c) repeated on a fresh stream.
# start_server OUT ARGS...: palimpsest ARGS in the background; sets $port and $server_pid.
start_server() {
  local out=$1 i
  shift
  "$p" "$@" >"$out" 2>"$out.err" &
  server_pid=$!
  pids+=($server_pid)
  for i in $(seq 100); do
    if grep -q '^listening on' "$out" 2>/dev/null; then
      port=$(sed -n 's/^listening on .*:\([0-9]*\)$/\1/p' "$out" | head -1)
      return 0
    fi
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "cluster: server did not start: palimpsest $*" >&2
  cat "$out.err" >&2
  exit 1
}
stop_server() {
  local rc=0
  kill -TERM "$server_pid"
  wait "$server_pid" || rc=$?
  forget "$server_pid"
  if [ "$rc" != 0 ]; then
    echo "cluster: server exited $rc: $(tail -5 "$1.err")" >&2
    exit 1
  fi
}
echo "== follower under load: (c) again at batch $batch on a fresh stream, follower polled"
create_stream lag
start_server "$work/follower.out" --data "$work/follower" --log "$log" --log-stream lag \
  serve --listen 127.0.0.1:0
follower_pid=$server_pid
follower_port=$port
# Polls /api/health every 100 ms, keeping every sample. Once $work/done holds "T1 TARGET" (the
# end of the imports and the log's last entry), finds the first sample at or after T1 with
# applied >= TARGET and lag 0 (polling on until there is one) and prints
# "max_lag catch_up_seconds polls head_seq errors". Gives up after 300 s.
cat >"$work/poll.py" <<'PY'
import json, os, sys, time, urllib.request
url, done = sys.argv[1], sys.argv[2]
samples, errors, start = [], 0, time.time()
while time.time() - start < 300:
    t = time.time()
    try:
        h = json.load(urllib.request.urlopen(url, timeout=5))
        samples.append((t, h["log"]["applied"], h["log"]["lag"], h["head_seq"]))
    except Exception as e:
        errors += 1
        print(f"poll: {e}", file=sys.stderr)
    if os.path.exists(done) and len(open(done).read().split()) == 2:
        t1, target = open(done).read().split()
        t1, target = float(t1), int(target)
        for ts, applied, lag, head in samples:
            if ts >= t1 and applied >= target and lag == 0:
                print(max(s[2] for s in samples), f"{ts - t1:.2f}", len(samples), head, errors)
                sys.exit(0)
    time.sleep(max(0.0, 0.1 - (time.time() - t)))
print("poll: the follower did not catch up in 300 s; last sample", samples[-1:], file=sys.stderr)
sys.exit(1)
PY
python3 "$work/poll.py" "http://127.0.0.1:$follower_port/api/health" "$work/done" \
  >"$work/poll.out" 2>"$work/poll.err" &
poll_pid=$!
pids+=($poll_pid)
sleep 0.3
concurrent "lagrun_b$batch" "$batch" lag
echo "$imports_end $(jget "$work/lagrun_b$batch.sync.json" last)" >"$work/done"
rc=0
wait "$poll_pid" || rc=$?
forget "$poll_pid"
if [ "$rc" != 0 ]; then
  echo "cluster: FAILED: $(tail -3 "$work/poll.err")" >&2
  echo "  follower stderr: $(tail -5 "$work/follower.out.err")" >&2
  exit 1
fi
read -r max_lag catch_up polls follower_head poll_errors <"$work/poll.out"
echo "  $(tail -1 "$results")"
echo "  follower: max lag $max_lag entries over $polls polls ($poll_errors failed), caught up" \
  "$catch_up s after the imports ended, head_seq $follower_head"

# Read latency: the follower (caught up, idle log) and a serve of the local archive of (a).
# wrk_get NAME PORT: p50 and p99 in ms, req/s and non-2xx count into $work/wrk.NAME.
wrk_get() {
  wrk -t1 -c4 -d5s --latency "http://127.0.0.1:$2/api/documents/$read_id" >"$work/wrk.$1.txt"
  python3 - "$work/wrk.$1.txt" >"$work/wrk.$1" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
def pct(p):
    m = re.search(rf"^\s+{p}%\s+([0-9.]+)(us|ms|s)\s*$", text, re.M)
    return float(m.group(1)) * unit[m.group(2)]
rps = float(re.search(r"Requests/sec:\s+([0-9.]+)", text).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errs = re.search(r"Socket errors: .*", text)
print(f"{pct(50):.3f} {pct(99):.3f} {rps:.0f} {int(bad.group(1)) if bad else 0}",
      "'" + (errs.group(0) if errs else "") + "'")
PY
}
echo "== read latency: wrk -t1 -c4 -d5s GET /api/documents/$read_id"
wrk_get follower "$follower_port"
stop_server "$work/follower.out"
start_server "$work/local.out" --data "$work/local_b$batch" serve --listen 127.0.0.1:0
wrk_get local "$port"
stop_server "$work/local.out"
for s in follower local; do
  echo "  $s: $(cat "$work/wrk.$s") (p50 ms, p99 ms, req/s, non-2xx, socket errors)"
  if [ "$(cut -d' ' -f4 "$work/wrk.$s")" != 0 ]; then
    echo "cluster: FAILED: $s answered non-2xx: $(head -c 300 "$work/wrk.$s.txt")" >&2
    exit 1
  fi
done

# 5. Correctness: each node synced, verified; one head_hash per stream.
echo "== verify: every node synced, then verify --json"
ok=1
check_stream() {
  local stream=$1 dir hashes=() line
  shift
  for dir in "$@"; do
    pal "$dir.sync.out" --data "$dir" --log "$log" --log-stream "$stream" sync
    pal "$dir.verify.json" --data "$dir" verify --json
    line=$(python3 -c '
import json, sys
v = json.load(open(sys.argv[1]))
print(v["ok"], v["head_seq"], v["head_hash"], len(v["problems"]))' "$dir.verify.json")
    read -r vok vseq vhash vprob <<<"$line"
    printf '  %-14s %-16s ok=%s head_seq=%s head_hash=%s problems=%s\n' "$stream" \
      "$(basename "$dir")" "$vok" "$vseq" "${vhash:0:23}" "$vprob"
    [ "$vok" = True ] || ok=0
    hashes+=("$vhash")
  done
  if [ "$(printf '%s\n' "${hashes[@]}" | sort -u | wc -l)" != 1 ]; then
    echo "  $stream: head_hash DIFFERS between nodes" >&2
    ok=0
  fi
}
for b in "$batch" "$batch2"; do
  check_stream "one_b$b" "$work/node1_b$b"
  check_stream "three_b$b" "$work/nodes3_b$b.node0" "$work/nodes3_b$b.node1" "$work/nodes3_b$b.node2"
done
check_stream lag "$work/lagrun_b$batch.node0" "$work/lagrun_b$batch.node1" \
  "$work/lagrun_b$batch.node2" "$work/follower"
[ "$ok" = 1 ] && echo "  verify: every node ok, one head_hash per stream" \
  || echo "  verify: MISMATCH or failure (above)"

# 6. The table.
echo
echo "== summary: $n records, 3 nats-server (R3), $(nproc) cores"
python3 - "$results" "$max_lag" "$catch_up" "$work/wrk.follower" "$work/wrk.local" <<'PY'
import sys
names = {"local": "(a) local LMDB log", "node1": "(b) 1 node, 3 parts in turn",
         "nodes3": "(c) 3 nodes at once", "lagrun": "(c') 3 nodes + follower"}
rows = [l.split() for l in open(sys.argv[1])]
local = {r[1]: int(r[2]) / float(r[3]) for r in rows if r[0].startswith("local_")}
print(f"{'variant':<28} {'batch':>5} {'records':>7} {'seconds':>8} {'records/s':>9} "
      f"{'events/s':>9} {'vs local':>8}")
for name, b, rec, sec, ev in rows:
    rps = int(rec) / float(sec)
    print(f"{names[name.split('_')[0]]:<28} {b:>5} {rec:>7} {float(sec):>8.2f} {rps:>9.0f} "
          f"{int(ev) / float(sec):>9.0f} {rps / local[b]:>8.2f}")
print(f"follower lag under (c'): max {sys.argv[2]} log entries; caught up {sys.argv[3]} s "
      "after the last import ended")
f, l = (open(p).read().split() for p in sys.argv[4:6])
print(f"read GET /api/documents (wrk -c4): follower p50 {f[0]} ms p99 {f[1]} ms ({f[2]} req/s); "
      f"local p50 {l[0]} ms p99 {l[1]} ms ({l[2]} req/s)")
PY
python3 -c '
import sys
t = [float(l.split()[1]) for l in open(sys.argv[1])]
print(f"stream creation (first sync on a new prefix, not in the times above): "
      f"{min(t):.2f}-{max(t):.2f} s over {len(t)} prefixes")' "$work/create.txt"
echo "total run time $(calc "round($(now) - $script_start, 1)") s"
[ "$ok" = 1 ] || { echo "cluster: FAILED: verify" >&2; exit 1; }
