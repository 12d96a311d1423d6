#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make netnsexp, an experiment (not a test): an NFS client in a second
# network namespace of this kernel (a container) mounts nfsd over a veth
# pair with NFSv4.2 and proves its LOCALIO uuid; LOCALIO is then turned
# off so that its I/O goes through nfsd, and four buffered fio writers
# write for SECS s (64 KiB psync) and fsync, with at most LIMIT s for it
# all, with vm.dirty_ratio 10 (the workload of the measurement that found
# the livelock). Two modes in turn (ABBA order), ROUNDS rounds each:
#   on:  nfsd.loopback_scope on, nfs.loopback_max_ratio 20 (the series);
#   off: the switch off and nfs.loopback_max_ratio 0 (nfsd and the client
#        as before this change: the client is served as remote, its
#        dirty pages unbounded).
# Per round: whether fio finished, the time, what nfsd wrote meanwhile
# (MiB, and MiB/s over the time), nfsd's calls of
# balance_dirty_pages() (kprobe), its throttling events that slept
# (writeback:balance_dirty_pages, pause > 0) and their total pause, what
# the uuid calls proved (nfsd:nfsd_localio_uuid) and the mount's bdi.
. ./lib.sh
ROUNDS=${ROUNDS:-5}
SECS=${NETNSEXP_SECS:-15}
LIMIT=${NETNSEXP_LIMIT:-90}
FIO="fio --name=w --rw=write --bs=64k --size=64m --numjobs=4 --time_based"
FIO="$FIO --runtime=$SECS --end_fsync=1 --ioengine=psync --group_reporting"
NS=nfslb_ct
HOST_IP=192.0.2.1
PEER_IP=192.0.2.2
EXPORT=/srv/nx
MNT=/mnt/nx
T=/sys/kernel/tracing
BDP=$T/events/writeback/balance_dirty_pages
UUID_EV=$T/events/nfsd/nfsd_localio_uuid
CALLS_H='hist:keys=common_pid.execname:vals=hitcount if comm == "nfsd"'
SLEEPS_H='hist:keys=common_pid.execname:vals=hitcount,pause if comm == "nfsd" && pause > 0'
UUID_H='hist:keys=proved,marked:vals=hitcount'
mountpoint -q $T || mount -t tracefs nodev $T
command -v nsenter >/dev/null || { echo "# no nsenter"; exit 1; }
nfslb_kprobe_add nfslbx bdp balance_dirty_pages || exit 1
CALLS=$T/events/nfslbx/bdp
nfslb_netns_setup $NS nfslbc0 nfslbc1 $HOST_IP $PEER_IP || { echo "# netns setup failed"; exit 1; }
out=$(nfslb_nfsd_start ext4 "$SCRATCH" $EXPORT 4 "$HOST_IP/24" 2>&1) || { echo "# setup: $out"; exit 1; }
mkdir -p $MNT
sysctl -q -w vm.dirty_ratio=10 vm.dirty_background_ratio=5
sumv() { awk -v k="$1" 'index($0, "{") == 1 { v = $0; sub(".*" k ": *", "", v); s += v + 0 } END { print s + 0 }' "$2"; }
# hits KEYS: the uuid calls since armed with these keys (e.g. "proved:          1 marked:          1").
uuid_hits() { awk -v p="$1" -v m="$2" '/^\{ proved:/ { if ($3 + 0 == p && $5 + 0 == m) { v = $0; sub(/.*hitcount: */, "", v); s += v } } END { print s + 0 }' $UUID_EV/hist; }
for i in $(seq 1 $((2 * ROUNDS))); do
	if [ $(((i + (i - 1) / 2) % 2)) = 0 ]; then mode=on; else mode=off; fi
	if [ $mode = on ]; then
		echo Y >/sys/module/nfsd/parameters/loopback_scope
		echo 20 >/sys/module/nfs/parameters/loopback_max_ratio
	else
		echo N >/sys/module/nfsd/parameters/loopback_scope
		echo 0 >/sys/module/nfs/parameters/loopback_max_ratio
	fi
	nfslb_hist_arm $UUID_EV "$UUID_H"
	echo Y >/sys/module/nfs/parameters/localio_enabled
	nsenter --net=/run/netns/$NS mount -t nfs -o vers=4.2 $HOST_IP:$EXPORT $MNT ||
		{ echo "# mount failed"; exit 1; }
	# The client probes LOCALIO in the background after the mount.
	for _ in $(seq 50); do
		[ $(($(uuid_hits 1 0) + $(uuid_hits 1 1))) -ge 1 ] && break
		sleep 0.2
	done
	sleep 1
	echo N >/sys/module/nfs/parameters/localio_enabled
	proved="$(uuid_hits 1 1)/$(uuid_hits 1 0)/$(uuid_hits 0 0)"
	bdi=$(mountpoint -d $MNT)
	ratio=$(cat /sys/class/bdi/$bdi/max_ratio 2>/dev/null)
	strict=$(cat /sys/class/bdi/$bdi/strict_limit 2>/dev/null)
	sync; echo 3 >/proc/sys/vm/drop_caches
	nfslb_hist_arm $CALLS "$CALLS_H"; nfslb_hist_arm $BDP "$SLEEPS_H"
	w0=$(awk '$1 == "io" { print $3 }' /proc/net/rpc/nfsd)
	t0=$(nfslb_now_ms)
	timeout -s KILL $LIMIT $FIO --directory=$MNT >/dev/null 2>&1
	rc=$?
	t1=$(nfslb_now_ms)
	calls=$(sumv hitcount $CALLS/hist); sleeps=$(sumv hitcount $BDP/hist); pause=$(sumv pause $BDP/hist)
	nfslb_hist_disarm $CALLS "$CALLS_H"; nfslb_hist_disarm $BDP "$SLEEPS_H"
	nfslb_hist_disarm $UUID_EV "$UUID_H"
	ms=$((t1 - t0))
	[ $rc = 0 ] && done=1 || done=0
	# What nfsd wrote meanwhile (its "io" count of bytes written).
	mib=$((($(awk '$1 == "io" { print $3 }' /proc/net/rpc/nfsd) - w0) >> 20))
	echo "NETNSEXP round=$i mode=$mode done=$done ms=$ms nfsd_wrote_mib=$mib mbps=$((mib * 1000 / ms)) nfsd_bdp_calls=$calls nfsd_bdp_sleeps=$sleeps nfsd_pause_ms=$pause proved_marked/proved/not=$proved bdi_max_ratio=$ratio strict_limit=$strict"
	# Let the rest be written back before the next round.
	t2=$(nfslb_now_ms)
	rm -f $MNT/w.*
	timeout 600 umount $MNT || { umount -f $MNT; umount -l $MNT; }
	sync
	echo "# round $i: cleanup $(($(nfslb_now_ms) - t2)) ms"
done
nfslb_nfsd_stop $EXPORT
nfslb_kprobe_del nfslbx bdp
nfslb_netns_del $NS nfslbc0
echo "NETNSEXP done"
