#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: boot once, run guest/jobs/bench.sh (local file system vs
# loop-back NFS over RPC with nfsd's loop-back scope on and off vs LOCALIO
# vs a client in another network namespace, at several memory-pressure
# levels, repeated, then the full kselftests), then write $LOGS/bench.json,
# print tables and draw $LOGS/bench.png.
. "$(dirname "$0")/lib.sh"
need_root

"$TOP/scripts/kselftest.sh"
MEM=${MEM:-1024} TIMEOUT=${TIMEOUT:-5400} "$TOP/scripts/boot.sh" bench ||
	die "the benchmark job failed; console log: $LOGS/bench.console.log"
STEP=report banner "summarising $LOGS/bench.console.log"
in_root python3 "$TOP/scripts/bench_report.py" "$LOGS/bench.console.log" \
	--json "$LOGS/bench.json" --png "$LOGS/bench.png" || die "the report failed"
