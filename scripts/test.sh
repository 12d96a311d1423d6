#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Boot the built kernel with the "test" job and count the results: KUnit
# (doctests and #[kunit_tests], run at boot), the loop-back round trip and
# the series' kselftests. Prints "N passed, N failed" and fails on any
# failure, boot failure or timeout.
. "$(dirname "$0")/lib.sh"
need_root

STEP=results-unit-tests banner "unit tests of scripts/results.py"
out=$(in_root python3 "$TOP/scripts/test_results.py" 2>&1) ||
	{ echo "$out"; die "results.py fails its own unit tests"; }
echo "$out" | tail -n 1
"$TOP/scripts/kselftest.sh"

set +e
TIMEOUT=${TIMEOUT:-2400} "$TOP/scripts/boot.sh" test
rc=$?
set -e
log=$LOGS/test${RUN_TAG:+-$RUN_TAG}.console.log
grep -qa '^=== harness: job exit' "$log" 2>/dev/null || die "the test job did not run (boot.sh exit $rc); console log: $log"
STEP=results banner "counting results in $log"
in_root python3 "$TOP/scripts/results.py" --kunit-dir "$SRC/tools/testing/kunit" \
	--expect "$TOP/scripts/expect/${EXPECT:-test}.txt" --strict --summary "$log" ||
	die "tests failed; console log: $log"
