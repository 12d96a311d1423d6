#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make lockdep: the lockdep campaign. Builds the kernel with lockdep
# (configs/lockdep/, in $CACHE/build-lockdep), runs the whole test job of
# make test on it (console: $LOGS/test-lockdep.console.log, beside make
# test's own), then classifies every lockdep report of the console with
# scripts/lockdep_report.py: kind, locks, task, first nfsd/SUNRPC/NFS
# frames, as a table in $LOGS/lockdep-report.txt and as JSON in
# $LOGS/lockdep-report.json. Fails on any report, on lockdep turned off
# (debug_locks 0) and on any failed test; lockdep reports only its first
# finding and then turns itself off, so "0 reports, debug_locks 1" is the
# clean end.
export LOCKDEP=1 RUN_TAG=lockdep
. "$(dirname "$0")/lib.sh"
need_root

log=$LOGS/test-$RUN_TAG.console.log
txt=$LOGS/lockdep-report.txt
json=$LOGS/lockdep-report.json

STEP=lockdep-unit-tests
banner "unit tests of scripts/lockdep_report.py"
out=$(in_root python3 "$TOP/scripts/test_lockdep_report.py" 2>&1) ||
	{ echo "$out"; die "lockdep_report.py fails its own unit tests"; }
echo "$out" | tail -n 1

STEP=lockdep-kernel
"$TOP/scripts/kernel.sh" || die "the lockdep kernel does not build"

# A log or report left from an earlier campaign must never be read as
# this one's.
rm -f "$log" "$txt" "$json"
STEP=lockdep-test
set +e
"$TOP/scripts/test.sh"
trc=$?
set -e
grep -qa '^=== harness: job exit' "$log" 2>/dev/null ||
	die "the test job did not run on the lockdep kernel; console log: $log"

STEP=lockdep-report
banner "classifying the lockdep reports in $log"
set +e
in_root python3 "$TOP/scripts/lockdep_report.py" "$log" --txt "$txt" --json "$json"
rrc=$?
set -e
[ -f "$txt" ] || die "lockdep_report.py failed (exit $rrc); console log: $log"
summary=$(tail -n 1 "$txt")
tests="the tests passed"
[ "$trc" = 0 ] || tests="the tests failed (see above)"
[ "$rrc" = 0 ] || die "lockdep campaign: $summary; $tests; table: $txt, JSON: $json"
STEP=lockdep-test
[ "$trc" = 0 ] || die "lockdep campaign: $summary, but $tests; console log: $log"
STEP=lockdep
banner "table: $txt, JSON: $json"
echo "lockdep campaign: $summary"
