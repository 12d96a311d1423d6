#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make copyexp: boot the built kernel with guest/jobs/copyexp.sh (the
# loop-back async COPY under pressure, switch on and off) and summarise
# its COPYEXP lines per switch position: n, allocations that may enter
# fs reclaim, dirty-throttling events and sleeps, copy time (median and
# range).
. "$(dirname "$0")/lib.sh"
need_root
set +e
TIMEOUT=${TIMEOUT:-1500} "$TOP/scripts/boot.sh" copyexp
rc=$?
set -e
log=$LOGS/copyexp.console.log
grep -qa '^COPYEXP done' "$log" || die "the copyexp job did not finish (boot.sh exit $rc); console log: $log"
STEP=copyexp-summary banner "summary of $log"
grep -a '^COPYEXP round=' "$log" | tr -d '\r' | awk '
	function f(k,  m) { match($0, k "=[0-9.]+"); return substr($0, RSTART + length(k) + 1, RLENGTH - length(k) - 1) + 0 }
	{ s = f("scope"); n[s]++; i = n[s]
	  a[s] = a[s] " " f("fs_allocs"); e[s] = e[s] " " f("throttle_events")
	  z[s] = z[s] " " f("sleeps"); ms[s, i] = f("copy_ms") }
	END {
		for (s = 1; s >= 0; s--) {
			m = n[s]
			for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++)
				if (ms[s, j] < ms[s, i]) { t = ms[s, i]; ms[s, i] = ms[s, j]; ms[s, j] = t }
			printf "switch %s (n=%d): allocations that may enter fs reclaim:%s; throttle events:%s; sleeps:%s; copy ms median %d (%d-%d)\n", \
				s ? "on " : "off", m, a[s], e[s], z[s], ms[s, int((m + 1) / 2)], ms[s, 1], ms[s, m]
		}
	}'
