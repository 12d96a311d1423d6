# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest jobs (sourced by job.sh in the guest): KTAP output
# and a real NFS server (nfs-utils) exporting a local file system on the
# scratch disk.

[ -f ./env.sh ] && . ./env.sh
EXPORT=/srv/export
SCRATCH=${SCRATCH:-/dev/vdc}
KTAP_N=0
KTAP_FAILED=0

ktap_header() { echo "KTAP version 1"; echo "1..$1"; }
ktap_ok() { KTAP_N=$((KTAP_N + 1)); echo "ok $KTAP_N $*"; }
ktap_fail() { KTAP_N=$((KTAP_N + 1)); KTAP_FAILED=$((KTAP_FAILED + 1)); echo "not ok $KTAP_N $*"; }
ktap_skip() { KTAP_N=$((KTAP_N + 1)); echo "ok $KTAP_N $1 # SKIP ${2:-}"; }
diag() { echo "# $*"; }

# step NAME CMD...: run CMD; on failure print its output as diagnostics.
step() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		return 0
	fi
	diag "$name failed: $*"
	printf '%s\n' "$out" | sed 's/^/#   /'
	return 1
}

# nfs_server_start FSTYPE: make FSTYPE on the scratch disk, export it and
# start rpcbind, mountd and nfsd (NTHREADS threads, default 4) with short
# grace and lease times.
nfs_server_start() {
	local fstype=${1:-ext4}
	mkdir -p "$EXPORT"
	case "$fstype" in
	ext4) step mkfs mkfs.ext4 -q -F "$SCRATCH" || return 1 ;;
	xfs) step mkfs mkfs.xfs -q -f "$SCRATCH" || return 1 ;;
	*) diag "unknown file system $fstype"; return 1 ;;
	esac
	step mount mount -t "$fstype" "$SCRATCH" "$EXPORT" || return 1
	chmod 1777 "$EXPORT"
	mountpoint -q /proc/fs/nfsd || step nfsdfs mount -t nfsd nfsd /proc/fs/nfsd || return 1
	mkdir -p /var/lib/nfs/v4recovery /run/rpcbind
	echo "$EXPORT *(rw,no_root_squash,no_subtree_check,insecure)" >/etc/exports
	pgrep -x rpcbind >/dev/null || step rpcbind rpcbind -w || return 1
	step exportfs exportfs -ra || return 1
	pgrep -x rpc.mountd >/dev/null || step mountd rpc.mountd || return 1
	echo 10 >/proc/fs/nfsd/nfsv4gracetime
	echo 10 >/proc/fs/nfsd/nfsv4leasetime
	step nfsd rpc.nfsd "${NTHREADS:-4}" || return 1
	# No client tracking daemon runs here: end the grace period now
	# instead of making the first OPEN wait it out.
	echo Y >/proc/fs/nfsd/v4_end_grace 2>/dev/null || sleep 11
	return 0
}

nfs_server_stop() {
	rpc.nfsd 0 >/dev/null 2>&1
	exportfs -ua >/dev/null 2>&1
	umount "$EXPORT" 2>/dev/null
}

# nfs_mount VERS DIR [OPTS]: mount the export over loop-back.
nfs_mount() {
	local vers=$1 dir=$2 opts=${3:-}
	mkdir -p "$dir"
	local o="vers=$vers"
	[ "$vers" = 3 ] && o="$o,nolock"
	[ -n "$opts" ] && o="$o,$opts"
	step "mount v$vers" mount -t nfs -o "$o" "127.0.0.1:$EXPORT" "$dir"
}

drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }

# now_ms: milliseconds since boot.
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# roundtrip VERS MIB: write MIB MiB of random data through a loop-back
# mount of version VERS, drop caches, read it back through NFS and
# through the exported local file system; all three checksums must match.
roundtrip() {
	local vers=$1 mib=$2 dir=/mnt/nfs$1 name=rt-$1 t0 t1 src want got local
	src=/tmp/$name.src
	nfs_mount "$vers" "$dir" || return 1
	head -c $((mib * 1024 * 1024)) /dev/urandom >"$src"
	want=$(sha256sum <"$src" | cut -d' ' -f1)
	t0=$(now_ms)
	dd if="$src" of="$dir/$name" bs=1M conv=fsync status=none || { diag "write failed"; return 1; }
	t1=$(now_ms)
	diag "NFSv$vers: wrote $mib MiB in $((t1 - t0)) ms ($((mib * 1000 * 1000 / ((t1 - t0) * 1024 + 1))) MB/s)"
	umount "$dir" || { diag "umount failed"; return 1; }
	drop_caches
	nfs_mount "$vers" "$dir" || return 1
	t0=$(now_ms)
	got=$(sha256sum <"$dir/$name" | cut -d' ' -f1)
	t1=$(now_ms)
	diag "NFSv$vers: read back $mib MiB in $((t1 - t0)) ms"
	local=$(sha256sum <"$EXPORT/$name" | cut -d' ' -f1)
	umount "$dir"
	rm -f "$src" "$EXPORT/$name"
	diag "sha256 written $want"
	diag "sha256 via NFS $got"
	diag "sha256 local   $local"
	[ "$want" = "$got" ] && [ "$want" = "$local" ]
}

# show_nfsd_stats: what nfsd counted (calls per program/version).
show_nfsd_stats() {
	[ -r /proc/net/rpc/nfsd ] || return 0
	diag "nfsd statistics (/proc/net/rpc/nfsd):"
	grep -E '^(rpc|proc3|proc4|proc4ops|th|io) ' /proc/net/rpc/nfsd | cut -c1-150 | sed 's/^/#   /'
}

# kprobe events with hist triggers counting calls made by nfsd threads
# (the same probes as the series' kselftest).
NFSD_PROBES="reclaim:try_to_free_pages release_folio:nfs_release_folio
wb_folio_reclaim:nfs_wb_folio_reclaim commit:nfs_commit_inode evict:nfs4_evict_inode
delegreturn:nfs4_proc_delegreturn dirty_throttle:balance_dirty_pages"
NFSD_PROBED=""
NFSD_TRIG='hist:keys=common_pid:vals=hitcount if comm == "nfsd"'
T=/sys/kernel/tracing

probes_add() {
	local p
	for p in $NFSD_PROBES; do
		echo "p:nfsb/${p%%:*} ${p#*:}" >>$T/kprobe_events 2>/dev/null &&
			NFSD_PROBED="$NFSD_PROBED ${p%%:*}"
	done
}

probes_reset() {
	local n
	for n in $NFSD_PROBED; do
		echo "!$NFSD_TRIG" >>$T/events/nfsb/$n/trigger 2>/dev/null
		echo "$NFSD_TRIG" >>$T/events/nfsb/$n/trigger
		echo 1 >$T/events/nfsb/$n/enable
	done
}

# probes_json: "name": hits, ... for every probe.
probes_json() {
	local n h sep=""
	for n in $NFSD_PROBED; do
		h=$(awk '/^ *Hits:/ { print $2; f = 1 } END { if (!f) print 0 }' $T/events/nfsb/$n/hist)
		printf '%s"%s": %s' "$sep" "$n" "$h"
		sep=", "
	done
}

vmstat_sum() { awk -v re="$1" '$1 ~ re { s += $2 } END { print s + 0 }' /proc/vmstat; }

# scope_set on|off: switch nfsd's loop-back NOFS scope. On a kernel
# without the switch "on" is a no-op and "off" fails.
SCOPE_PARAM=/sys/module/nfsd/parameters/loopback_scope
scope_set() {
	if [ -w "$SCOPE_PARAM" ]; then
		[ "$1" = on ] && echo Y >"$SCOPE_PARAM" || echo N >"$SCOPE_PARAM"
	else
		[ "$1" = on ]
	fi
}

# netns_setup NS: a second network namespace NS reaching this one over a
# veth pair, 192.0.2.1 here and 192.0.2.2 there (TEST-NET-1): a client
# that nfsd must treat as remote although it runs in this kernel.
REMOTE_SERVER=192.0.2.1
netns_setup() {
	# lo's MTU on both ends, so that remote and loop-back clients send
	# the same segments (with 1500, TCG spends its time in TCP).
	ip netns add "$1" &&
		ip link add nfsb0 mtu 65535 type veth peer name nfsb1 mtu 65535 netns "$1" &&
		ip addr add "$REMOTE_SERVER/24" dev nfsb0 && ip link set nfsb0 up &&
		ip -n "$1" addr add 192.0.2.2/24 dev nfsb1 && ip -n "$1" link set nfsb1 up &&
		ip -n "$1" link set lo up
}

# localio_set rpc|localio: let loop-back mounts made from now on use
# LOCALIO or not. Fails for localio on a kernel without it.
localio_set() {
	local p=/sys/module/nfs/parameters/localio_enabled
	if [ -w "$p" ]; then
		[ "$1" = localio ] && echo Y >"$p" || echo N >"$p"
	else
		[ "$1" = rpc ]
	fi
}
