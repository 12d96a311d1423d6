#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make bench: the same fio write workload against the local file system,
# loop-back NFSv4.2 over RPC with nfsd's loop-back scope on (rpc) and off
# (rpc_off) and loop-back NFSv4.2 with LOCALIO, at several memory-pressure
# levels (stress-ng --vm taking a share of memory), repeated, and a
# client in a second network namespace over a veth pair (remote,
# remote_off: what the scope costs other clients while a loop-back client
# is connected; mixed, mixed_off: the same while the loop-back client
# writes too, so that nfsd reclaims; mixed_unbounded: the same without the
# NFS client's bound on the loop-back mount's dirty pages,
# nfs.loopback_max_ratio=0; mixed_local: the same beside a buffered writer
# on the exported file system itself, not over NFS, which shows what
# sharing the CPUs and the disk costs without any NFS client), with
# O_DIRECT writes. That client runs
# in this kernel: buffered, its dirty pages count against the same dirty
# limit as nfsd's writes to ext4, and nfsd, which does not take it for
# local, waits in balance_dirty_pages() for pages only nfsd can clean
# (the livelock PF_LOCAL_THROTTLE exists for; it crawls below 1 MB/s).
# A real remote client's page cache is on another machine; O_DIRECT keeps
# this one's out of ours. Each run prints a BENCH block: a header line,
# fio's JSON, the reclaim counters and the nfsd probe counts.
. ./lib.sh

REPS=${GUEST_REPS:-3}
SECS=${GUEST_SECONDS:-20}
LEVELS=${GUEST_LEVELS:-0 50 80}
TARGETS=${GUEST_TARGETS:-local rpc rpc_off localio remote remote_off mixed mixed_off mixed_unbounded}
RATIO=/sys/module/nfs/parameters/loopback_max_ratio
SAVED_RATIO=$(cat "$RATIO" 2>/dev/null)
NS=nfsb_remote
FIO="fio --name=w --rw=write --bs=64k --size=64m --numjobs=4 --time_based"
FIO="$FIO --runtime=$SECS --end_fsync=1 --ioengine=psync --group_reporting --output-format=json"

STALL=${GUEST_STALL:-120}

NTHREADS=${GUEST_THREADS:-2} nfs_server_start ext4 || { echo "bench: nfs server failed"; exit 1; }
probes_add || { echo "bench: a kprobe did not attach"; exit 1; }
netns_setup "$NS" || echo "bench: no second network namespace: remote targets skipped"
mkdir -p "$EXPORT/local"
sysctl -q -w vm.dirty_ratio=10 vm.dirty_background_ratio=5

echo "BENCH-ENV accel=${GUEST_ACCEL:-unknown} cpus=$(nproc) mem_mib=$(($(awk '/MemTotal/ { print $2 }' /proc/meminfo) / 1024))"

# order REP: the targets, with the two members of each scope on/off pair
# (X and X_off) in the opposite order on even repeats, so that neither
# always runs first.
order() {
	local t p out="" seen=" "
	for t in $TARGETS; do
		p=${t%_off}
		[ "$p" != "$t" ] || p=${t}_off
		if [ $(($1 % 2)) = 1 ] || [[ " $TARGETS " != *" $p "* ]]; then
			out="$out $t"
		elif [[ "$seen" != *" $p "* ]]; then
			out="$out $p $t"	# the pair, swapped, at its first place
			seen="$seen$t $p "
		fi
	done
	echo $out
}

# getattr (a target of its own): what the scope costs per request. A
# single process stats one file over a loop-back NFSv3 mount without
# attribute caching (noac), so every stat is a GETATTR; the switch is on
# and off in turn, in an order that alternates per repeat. Per run:
# nfsd's requests (/proc/net/rpc/nfsd) and the run time; the report
# divides them (ns per request, client and server together).
if [[ " $TARGETS " == *" getattr "* ]]; then
	TARGETS=$(echo " $TARGETS " | sed 's/ getattr / /')
	localio_set rpc || echo "bench: cannot switch LOCALIO off"
	nfs_mount 3 /mnt/getattr noac || { echo "bench: getattr mount failed"; exit 1; }
	touch /mnt/getattr/f
	for rep in $(seq 1 "$REPS"); do
		pair="on off"
		[ $((rep % 2)) = 1 ] || pair="off on"
		for sc in $pair; do
			scope_set "$sc" || continue
			r0=$(awk '$1 == "rpc" { print $2 }' /proc/net/rpc/nfsd)
			t0=$(now_ms)
			perl -e 'my $end = time + $ARGV[1];
				while (time < $end) { stat($ARGV[0]) for 1 .. 100 }' \
				/mnt/getattr/f "$SECS"
			rc=$?
			t1=$(now_ms)
			r1=$(awk '$1 == "rpc" { print $2 }' /proc/net/rpc/nfsd)
			echo "BENCH-GETATTR {\"rep\": $rep, \"scope\": \"$sc\", \"rc\": $rc," \
				"\"requests\": $((r1 - r0)), \"ms\": $((t1 - t0))}"
		done
	done
	scope_set on
	rm -f /mnt/getattr/f
	umount /mnt/getattr
fi

for level in $LEVELS; do
	for rep in $(seq 1 "$REPS"); do
		for target in $(order "$rep"); do
			case $target in
			*_off) scope_set off || continue ;;
			*) scope_set on ;;
			esac
			# Every target but local mounts over loop-back; for
			# remote* that client stays idle, connected meanwhile,
			# for mixed* it writes too (buffered, in lb/).
			dir=/mnt/$target
			case $target in
			local) dir=$EXPORT/local ;;
			mixed_local) ip netns list | grep -q "^$NS" || continue; dir=$EXPORT/mixed_local ;;
			remote* | mixed*) ip netns list | grep -q "^$NS" && localio_set rpc || continue ;;
			*) localio_set "${target%_off}" || continue ;;
			esac
			if [ "$target" = mixed_unbounded ]; then
				[ -w "$RATIO" ] || { echo "bench: no $RATIO: mixed_unbounded skipped"; continue; }
				echo 0 >"$RATIO"
			fi
			mounted=0
			case $target in
			local | mixed_local) mkdir -p "$dir" && mounted=1 ;;
			*) nfs_mount 4.2 "$dir" && mounted=1 ;;
			esac
			[ -z "$SAVED_RATIO" ] || echo "$SAVED_RATIO" >"$RATIO"
			[ "$mounted" = 1 ] || continue
			hog=""
			if [ "$level" -gt 0 ]; then
				stress-ng --vm 1 --vm-bytes "$level%" --vm-keep \
					--timeout "$((SECS + 10))s" >/dev/null 2>&1 &
				hog=$!
				sleep 2
			fi
			# Every run starts from cold caches.
			drop_caches
			probes_reset || { echo "bench: cannot arm the probes"; exit 1; }
			a0=$(vmstat_sum '^allocstall')
			s0=$(vmstat_sum '^pgscan_direct')
			echo "BENCH-BEGIN level=$level rep=$rep target=$target"
			lb=""
			case $target in
			mixed*)
				mkdir -p "$dir/lb"
				timeout -k 10 "$((SECS + STALL))" $FIO --directory="$dir/lb" >/dev/null 2>&1 &
				lb=$!
				;;
			esac
			case $target in
			remote* | mixed*)
				# Its own host name: an NFSv4 client's identity
				# is its node name, and two clients with one
				# identity take each other's leases.
				timeout -k 10 "$((SECS + STALL))" ip netns exec "$NS" unshare -u sh -c "
					hostname nfs-remote-client
					mkdir -p /mnt/r && mount -t nfs -o vers=4.2 \
						$REMOTE_SERVER:$EXPORT /mnt/r || exit 1
					$FIO --direct=1 --directory=/mnt/r 2>/dev/null; rc=\$?
					rm -f /mnt/r/w.*; umount /mnt/r; exit \$rc"
				;;
			*) timeout -k 10 "$((SECS + STALL))" $FIO --directory="$dir" 2>/dev/null ;;
			esac
			rc=$?
			lbrc=0
			[ -z "$lb" ] || { wait "$lb"; lbrc=$?; }
			a1=$(vmstat_sum '^allocstall')
			s1=$(vmstat_sum '^pgscan_direct')
			echo "BENCH-END {\"rc\": $rc, \"lb_rc\": $lbrc, \"stall\": $([ $rc = 124 ] || [ $lbrc = 124 ] && echo 1 || echo 0)," \
				"\"allocstall\": $((a1 - a0)), \"pgscan_direct\": $((s1 - s0))," \
				"\"nfsd\": {$(probes_json)}}"
			[ -z "$hog" ] || { kill "$hog" 2>/dev/null; wait "$hog" 2>/dev/null; }
			rm -rf "$dir"/w.* "$dir/lb"
			case $target in local | mixed_local) ;; *) umount "$dir" ;; esac
		done
	done
done
nfs_server_stop

scope_set on
ip netns del "$NS" 2>/dev/null

# The series' kselftests in full: ext4 and XFS, NFSv3 and v4.2, RPC and
# LOCALIO, loop-back scope on and off, with the same run time (GUEST_FS,
# GUEST_VERS, GUEST_IO narrow it; GUEST_TESTS=none leaves them out).
if [ -x ./kselftest/run_kselftest.sh ] && [ "${GUEST_TESTS:-}" != none ]; then
	export NFS_LOOPBACK_DEV=$SCRATCH NFS_LOOPBACK_SECONDS=$SECS
	export NFS_LOOPBACK_FS=${GUEST_FS:-ext4 xfs} NFS_LOOPBACK_VERS=${GUEST_VERS:-3 4.2}
	export NFS_LOOPBACK_IO=${GUEST_IO:-rpc localio} NFS_LOOPBACK_REPEATS=${GUEST_REPS:-1}
	echo "=== bench: full kselftest"
	(cd kselftest && ./run_kselftest.sh)
fi
