#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make failover: an HA NFS fail-over onto a node that mounts the service.
# Per run, two guests of the built kernel (one vCPU each) share a raw disk
# and a private link between the two QEMU processes (a stream netdev over
# a unix socket; no other network). Node A serves the shared file system
# on the floating address; node B mounts it and writes, fsyncing and
# recording what was acknowledged. When B writes, the host powers A off
# (SIGKILL to its QEMU); B sees A gone, takes over the disk, the address
# and the NFS service, and its writer carries on through what is now a
# loop-back mount. guest/jobs/failover.sh does both nodes' parts and
# B's checks.
#
# FAILOVER_RUNS: space-separated VERS:LOAD:SWITCH[:IO] (3 or 4.2, idle or
# hog, on or off, rpc or localio; default rpc), each one pair of boots.
# GUEST_HOG: the hog's share of memory in %, default 80 (direct reclaim
# happens; at 60 % it did not in this guest).
# GUEST_KILL_AFTER: seconds of B's writing before A is powered off.
# Prints a table, writes $LOGS/failover.json and $LOGS/failover.png
# (the writer's throughput across each fail-over) and the count of
# results of every run, and fails on any failed or missing result.
. "$(dirname "$0")/lib.sh"
need_root
need_toolchain

RUNS=${FAILOVER_RUNS:-"4.2:hog:on 4.2:hog:off 3:hog:on 3:hog:off 4.2:idle:on 4.2:idle:off 3:idle:on 3:idle:off 4.2:hog:on:localio 3:hog:on:localio"}
KILL_AFTER=${GUEST_KILL_AFTER:-20}
FO=$CACHE/failover
for r in $RUNS; do
	case $r in
	3:idle:on | 3:idle:off | 3:hog:on | 3:hog:off | 4.2:idle:on | 4.2:idle:off | 4.2:hog:on | 4.2:hog:off) ;;
	3:*:*:rpc | 3:*:*:localio | 4.2:*:*:rpc | 4.2:*:*:localio)
		case ${r%:*} in
		3:idle:on | 3:idle:off | 3:hog:on | 3:hog:off | 4.2:idle:on | 4.2:idle:off | 4.2:hog:on | 4.2:hog:off) ;;
		*) die "bad run '$r' in FAILOVER_RUNS: VERS:LOAD:SWITCH[:IO], VERS 3 or 4.2, LOAD idle or hog, SWITCH on or off, IO rpc or localio" ;;
		esac
		;;
	*) die "bad run '$r' in FAILOVER_RUNS: VERS:LOAD:SWITCH[:IO], VERS 3 or 4.2, LOAD idle or hog, SWITCH on or off, IO rpc or localio" ;;
	esac
done
case $KILL_AFTER in '' | *[!0-9]*) die "GUEST_KILL_AFTER must be a number of seconds" ;; esac

"$TOP/scripts/kselftest.sh"
mkdir -p "$FO" "$LOGS"

# qemu_pids TAG: the QEMU process of the boot with -name TAG.
qemu_pids() {
	local pid
	for pid in $(pgrep -f -- "-name $1( |$)" || true); do
		[ "$(cat "/proc/$pid/comm" 2>/dev/null)" = qemu-system-x86 ] && echo "$pid"
	done
	return 0
}

# wait_line LOG TEXT SECS PID: wait until LOG has a line with TEXT;
# fails when SECS pass or the boot PID ended first.
wait_line() {
	local i
	for i in $(seq $(($3 * 2))); do
		grep -aq "$2" "$1" 2>/dev/null && return 0
		kill -0 "$4" 2>/dev/null || { grep -aq "$2" "$1" 2>/dev/null; return; }
		sleep 0.5
	done
	return 1
}

logs=""
invalid=0
i=0
for r in $RUNS; do
	i=$((i + 1))
	IFS=: read -r vers load switch io <<<"$r"
	io=${io:-rpc}
	tag=fo$i
	name_a=nfsfo-$$-$i-a
	sock=$FO/link-$i.sock
	shared=$FO/shared-$i.img
	rm -f "$sock" "$shared"
	truncate -s 2G "$shared"
	disk="-drive file=$shared,format=raw,if=none,id=shared,file.locking=off,cache=writeback"
	# Fixed PCI slots after the three disks of boot.sh: the shared disk is
	# vdd, the link eth0, in both guests.
	disk="$disk -device virtio-blk-pci,drive=shared,share-rw=on,addr=0x10"
	common="GUEST_VERS=$vers GUEST_LOAD=$load GUEST_SWITCH=$switch GUEST_IO=$io"
	banner "run $i of $(wc -w <<<"$RUNS"): NFSv$vers, $load, switch $switch, $io: booting node A"
	log_a=$LOGS/failover-$tag-a.console.log
	log_b=$LOGS/failover-$tag-b.console.log
	# boot.sh removes them too, but only once it runs: an old log must
	# not be read as this run's meanwhile.
	rm -f "$log_a" "$log_b"
	# kunit.enable=0: the KUnit suites ran in make test; here they would
	# only make the boots longer.
	env $common GUEST_ROLE=a RUN_TAG=$tag-a SMP=1 MEM=1024 TIMEOUT=900 APPEND="kunit.enable=0" \
		QEMU_EXTRA="-name $name_a $disk -netdev stream,id=link,server=on,addr.type=unix,addr.path=$sock -device virtio-net-pci,netdev=link,mac=52:54:00:00:02:01,addr=0x11,romfile=" \
		"$TOP/scripts/boot.sh" failover >"$FO/boot-$tag-a.out" 2>&1 &
	pid_a=$!
	if ! wait_line "$log_a" 'FAILOVER-A: serving' 400 "$pid_a"; then
		kill -KILL $(qemu_pids "$name_a") 2>/dev/null || true
		wait "$pid_a" || true
		die "node A of run $i did not start serving; console log: $log_a"
	fi
	banner "run $i: node A serves; booting node B"
	env $common GUEST_ROLE=b RUN_TAG=$tag-b SMP=1 MEM=1024 TIMEOUT=900 APPEND="kunit.enable=0" \
		QEMU_EXTRA="-name nfsfo-$$-$i-b $disk -netdev stream,id=link,server=off,addr.type=unix,addr.path=$sock -device virtio-net-pci,netdev=link,mac=52:54:00:00:02:02,addr=0x11,romfile=" \
		"$TOP/scripts/boot.sh" failover >"$FO/boot-$tag-b.out" 2>&1 &
	pid_b=$!
	if wait_line "$log_b" 'FAILOVER-B: writing' 400 "$pid_b"; then
		banner "run $i: node B writes; powering node A off in ${KILL_AFTER}s"
		sleep "$KILL_AFTER"
	else
		banner "run $i: node B did not start writing (console log: $log_b); powering node A off"
	fi
	# Fencing, as a cluster would: B must not have taken over from a
	# live A (its heartbeat missed A under load), or both mounted the
	# disk and the run proves nothing. A's disk writes reach the image
	# file through QEMU's cache=writeback, which outlives the SIGKILL in
	# the host's page cache: the data checks cannot catch a missing
	# flush on A, only data that never reached A's virtual disk.
	kill -KILL $(qemu_pids "$name_a") 2>/dev/null || banner "run $i: node A's QEMU had already ended"
	# B needs three seconds of missed signs to declare A lost: a line
	# there already came while A ran.
	early=0
	grep -aq 'FAILOVER-B: A lost' "$log_b" 2>/dev/null && early=1
	wait "$pid_a" || true
	banner "run $i: node A is off; node B takes over (console log: $log_b)"
	set +e
	wait "$pid_b"
	rc_b=$?
	set -e
	{ grep -a 'FAILOVER-ROW\|^ok \|^not ok ' "$log_b" || true; } | grep -av '^ok [0-9]* kernel_\|^not ok [0-9]* kernel_' |
		sed 's/^FAILOVER-ROW .*/    (row recorded)/; s/^/    /' | head -n 20 || true
	banner "run $i: node B's job exited $rc_b"
	if [ "$early" = 1 ]; then
		echo "FAILOVER-INVALID node B declared A lost while A ran: both nodes had the disk" >>"$log_b"
		banner "run $i: INVALID: node B took over from a live node A (its heartbeat missed A)"
		invalid=$((invalid + 1))
	fi
	logs="$logs $log_b"
	rm -f "$sock" "$shared"
done

banner "results"
set +e
in_root python3 "$TOP/scripts/failover_report.py" --json "$LOGS/failover.json" --png "$LOGS/failover.png" $logs
rep=$?
fail=0
for l in $logs; do
	echo "--- $(basename "$l")"
	"$TOP/scripts/results.py" --strict --expect "$TOP/scripts/expect/failover.txt" "$l" || fail=1
done
set -e
[ "$invalid" = 0 ] || fail=1
[ "$invalid" = 0 ] || echo "$invalid run(s) invalid: node B took over from a live node A"
[ "$rep" = 0 ] && [ "$fail" = 0 ] || die "a fail-over run failed (see above; console logs in $LOGS/failover-fo*-b.console.log)"
banner "make failover: every run passed ($LOGS/failover.json, $LOGS/failover.png)"
