#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make netnsexp: boot the built kernel with guest/jobs/netnsexp.sh (a
# client in a second network namespace writes buffered data through nfsd,
# with the series' handling of clients that prove their LOCALIO uuid on
# and off) and summarise its NETNSEXP lines per mode: n, rounds finished,
# MB/s, time, nfsd's balance_dirty_pages() calls and sleeps (median and
# range); draw $LOGS/netnsexp.png.
. "$(dirname "$0")/lib.sh"
need_root
set +e
TIMEOUT=${TIMEOUT:-3000} "$TOP/scripts/boot.sh" netnsexp
rc=$?
set -e
log=$LOGS/netnsexp.console.log
grep -qa '^NETNSEXP done' "$log" || die "the netnsexp job did not finish (boot.sh exit $rc); console log: $log"
STEP=netnsexp-summary banner "summary of $log"
grep -a '^NETNSEXP round=' "$log" | tr -d '\r' >"$LOGS/netnsexp.txt"
in_root python3 "$TOP/scripts/netnsexp_report.py" "$LOGS/netnsexp.txt" "$LOGS/netnsexp.png" ||
	die "the report failed"
