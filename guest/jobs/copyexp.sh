#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make copyexp, an experiment (not a test): a loop-back client's NFSv4.2
# async COPY of 64 MiB on an ext4 export under memory pressure (a 40 %
# hog) and dirty pressure (the loop-back mount's own buffered writer,
# its dirty bound lifted, vm.dirty_bytes 48 MiB), nfsd.loopback_scope
# on and off in turn (ABBA order), ROUNDS rounds each: the copy
# thread's page allocations with __GFP_FS|__GFP_DIRECT_RECLAIM, its
# balance_dirty_pages() events (the task over its freerun threshold) and
# the ones that slept (pause > 0), and the copy's time.
. ./lib.sh
ROUNDS=${ROUNDS:-5}
EXPORT=/srv/cx
MNT=/mnt/cx
T=/sys/kernel/tracing
PA=$T/events/kmem/mm_page_alloc
BDP=$T/events/writeback/balance_dirty_pages
PA_H='hist:keys=common_pid.execname:vals=hitcount if comm == "copy thread" && gfp_flags & 0x80 && gfp_flags & 0x400'
BDP_H='hist:keys=bdi:vals=hitcount if comm == "copy thread"'
# Events whose pause is a sleep (pause > 0, in ms), summed.
BDS_H='hist:keys=common_pid.execname:vals=hitcount,pause if comm == "copy thread" && pause > 0'
mountpoint -q $T || mount -t tracefs nodev $T
echo N >/sys/module/nfs/parameters/localio_enabled
echo 0 >/sys/module/nfs/parameters/loopback_max_ratio
sysctl -q -w vm.dirty_bytes=$((48 << 20)) vm.dirty_background_bytes=$((16 << 20))
out=$(nfslb_nfsd_start ext4 "$SCRATCH" $EXPORT 4 2>&1) || { echo "# setup: $out"; exit 1; }
mkdir -p $MNT
mount -t nfs -o vers=4.2 127.0.0.1:$EXPORT $MNT || exit 1
dd if=/dev/urandom of=$EXPORT/src bs=1M count=64 status=none && sync
stress-ng --vm 1 --vm-bytes 40% --vm-keep --timeout 3600 >/dev/null 2>&1 &
hog=$!
sumv() { awk -v k="$1" 'index($0, "{") == 1 { v = $0; sub(".*" k ": *", "", v); s += v + 0 } END { print s + 0 }' "$2"; }
for i in $(seq 1 $((2 * ROUNDS))); do
	if [ $(((i + (i - 1) / 2) % 2)) = 0 ]; then scope=1; else scope=0; fi
	echo $scope >/sys/module/nfsd/parameters/loopback_scope
	dd if=/dev/zero of=$MNT/dirty bs=1M count=4000 status=none 2>/dev/null &
	w=$!
	sleep 4
	nfslb_hist_arm $PA "$PA_H"; nfslb_hist_arm $BDP "$BDP_H"; nfslb_hist_arm $BDP "$BDS_H"
	t0=$(nfslb_now_ms)
	cp $MNT/src $MNT/dst || echo "# copy failed"
	t1=$(nfslb_now_ms)
	pa=$(sumv hitcount $PA/hist)
	grep '^{ bdi' $BDP/hist >/tmp/bdp; grep '^{ common_pid' $BDP/hist >/tmp/bds
	bdp=$(sumv hitcount /tmp/bdp); sleeps=$(sumv hitcount /tmp/bds); ms=$(sumv pause /tmp/bds)
	nfslb_hist_disarm $PA "$PA_H"; nfslb_hist_disarm $BDP "$BDP_H" "$BDS_H"
	dirty=$(awk '$1 == "nr_dirty" { print $2 * 4 / 1024 }' /proc/vmstat)
	kill $w 2>/dev/null; wait $w 2>/dev/null
	cmp $MNT/src $MNT/dst || echo "# copy differs"
	echo "COPYEXP round=$i scope=$scope copy_ms=$((t1 - t0)) fs_allocs=$pa throttle_events=$bdp sleeps=$sleeps sleep_ms=$ms dirty_mib_at_end=$dirty"
	rm -f $MNT/dst $MNT/dirty; sync
done
kill $hog; umount $MNT; nfslb_nfsd_stop $EXPORT
echo "COPYEXP done"
