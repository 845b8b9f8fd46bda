#!/usr/bin/env bash
# Crash-safety soak: hundreds of SIGKILL trials against a real archive (not part of the test run).
#
# Each trial runs a sequence of `palimpsest ingest --json` (or an `import`, killed and then run
# again to completion), SIGKILLs it at a random seeded moment, then checks: `verify` exits 0,
# every ingest acknowledged (its JSON line printed) before the kill is in `log --json` with its
# seq, document and version, seqs and per-document versions have no gaps, every revision in a
# touched document's history is an event of that document, and a rerun import ends with every
# record once, in input order. The checks are tests/cli/crash_test.cc; this script runs it long.
#
# Usage:
#   bench/crash_soak.sh [BUILD_DIR] [TRIALS] [SEED]
#     BUILD_DIR  a configured build with cli_tests and palimpsest (default: build)
#     TRIALS     trials per run (default 300; half ingest sequences, half imports)
#     SEED       random seed (default: the current time; printed so a failure can be replayed)
#   e.g. bench/crash_soak.sh /tmp/build-rel8 400 12345
#
# About 1-2 s per trial on a 2-core machine (debug build; checks grow with the archive). Exit status is the test's: 0 when
# nothing acknowledged was lost. SIGKILL tests process crashes; the page cache survives, so a
# power loss (which the default synced commits also cover, via fsync) is not simulated here.
set -euo pipefail
build=${1:-build}
trials=${2:-300}
seed=${3:-$(date +%s)}
ninja -C "$build" palimpsest cli_tests >/dev/null
echo "crash soak: $trials trials, seed $seed"
PALIMPSEST_CRASH_TRIALS=$trials PALIMPSEST_CRASH_SEED=$seed \
  "$build/tests/cli_tests" --gtest_filter='CrashTest.*'
