#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make suites: suites nobody here wrote (nfstest, fsx, fio verify, fault
# injection) over loop-back NFS mounts, one boot per kernel variant:
#   - the normal build ($CACHE/build): the whole matrix of
#     guest/jobs/suites.sh, switch on (the series) and off (vanilla
#     behaviour) side by side;
#   - the KASAN build (KASAN=1, $CACHE/build-kasan: generic KASAN,
#     DEBUG_ATOMIC_SLEEP, fault injection): a smaller matrix with the
#     switch on, and the fault-injection cells;
#   - with SUITES_VARIANTS=lockdep (not by default), the lockdep build
#     (LOCKDEP=1, $CACHE/build-lockdep): the KASAN plan's cells.
# Each console is counted by scripts/results.py against
# scripts/expect/suites*.txt (a missing, skipped or crashed result
# fails); scripts/suites_report.py makes the table $LOGS/suites-report.txt
# (and .json). SUITES_VARIANTS="normal kasan" picks the boots.
. "$(dirname "$0")/lib.sh"
need_root

variants=${SUITES_VARIANTS:-normal kasan}

"$TOP/scripts/kselftest.sh"
logs=""
fail=""
for v in $variants; do
	case $v in
	normal) kasan=0 plan=full expect=suites ;;
	kasan) kasan=1 plan=kasan expect=suites-kasan ;;
	lockdep) kasan=0 plan=lockdep expect=suites-lockdep ;;
	*) die "unknown variant $v (SUITES_VARIANTS: normal, kasan, lockdep)" ;;
	esac
	lockdep=0
	[ "$v" != lockdep ] || lockdep=1
	STEP=suites-$v-kernel
	LOCKDEP=$lockdep KASAN=$kasan "$TOP/scripts/kernel.sh" || die "the $v kernel does not build"
	STEP=suites-$v
	log=$LOGS/suites-$v.console.log
	set +e
	LOCKDEP=$lockdep KASAN=$kasan RUN_TAG=$v GUEST_PLAN=$plan TIMEOUT=${TIMEOUT:-5400} \
		GUEST_HOG=${GUEST_HOG:-$([ "$v" = kasan ] && echo 50 || echo 60)} \
		"$TOP/scripts/boot.sh" suites
	set -e
	[ -s "$log" ] || die "no console log of the $v boot ($log)"
	grep -qa '^=== harness: job exit' "$log" ||
		echo "*** the suites job did not end on the $v kernel (hang or crash); counting what it printed"
	STEP=suites-$v-results banner "counting results in $log"
	if ! in_root python3 "$TOP/scripts/results.py" --kunit-dir "$SRC/tools/testing/kunit" \
		--expect "$TOP/scripts/expect/$expect.txt" --strict --summary "$log"; then
		fail="$fail $v"
	fi
	logs="$logs $v=$log"
done
STEP=suites-report banner "table: $LOGS/suites-report.txt"
rrc=0
in_root python3 "$TOP/scripts/suites_report.py" --txt "$LOGS/suites-report.txt" \
	--json "$LOGS/suites-report.json" $logs || rrc=$?
[ ! -f "$LOGS/suites-report.txt" ] || cat "$LOGS/suites-report.txt"
[ "$rrc" = 0 ] || die "suites_report.py: a console is missing, empty or without its end (exit $rrc)"
[ -z "$fail" ] || die "suites failed on:$fail (see above)"
