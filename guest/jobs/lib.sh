# SPDX-License-Identifier: GPL-2.0
# Helpers for the guest jobs (sourced by job.sh in the guest): KTAP output
# and a real NFS server (nfs-utils) exporting a local file system on the
# scratch disk.

[ -f ./env.sh ] && . ./env.sh
# The helpers the series' kselftest shares (server, namespaces, switch,
# kprobes, hist triggers): one copy, installed with the kselftests.
NFSLB_LIB=./kselftest/filesystems/nfs_loopback/nfs_loopback_lib.sh
if [ -f "$NFSLB_LIB" ]; then
	. "$NFSLB_LIB"
else
	echo "# no $NFSLB_LIB: the kselftests were not installed on the payload"
	exit 2
fi
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

# nfs_server_start FSTYPE: make FSTYPE on the scratch disk, export it to
# every client and start rpcbind, mountd and nfsd (NTHREADS threads,
# default 4).
nfs_server_start() {
	local out
	out=$(nfslb_nfsd_start "${1:-ext4}" "$SCRATCH" "$EXPORT" "${NTHREADS:-4}" '*' 2>&1) ||
		{ diag "nfs server: $out"; return 1; }
}

nfs_server_stop() { nfslb_nfsd_stop "$EXPORT"; }

# nfs_mount VERS DIR [OPTS]: mount the export over loop-back.
nfs_mount() {
	local vers=$1 dir=$2 opts=${3:-}
	mkdir -p "$dir"
	local o="vers=$vers"
	[ "$vers" = 3 ] && o="$o,nolock"
	[ -n "$opts" ] && o="$o,$opts"
	step "mount v$vers" mount -t nfs -o "$o" "127.0.0.1:$EXPORT" "$dir"
}

drop_caches() { nfslb_drop_caches; }

# now_ms: milliseconds since boot.
now_ms() { nfslb_now_ms; }

# roundtrip VERS MIB: write MIB MiB of random data through a loop-back
# mount of version VERS, unmount, drop caches, read it back through NFS
# and from the exported disk with O_DIRECT (not the page cache); all three
# checksums must match, and every write, fsync and unmount must succeed.
roundtrip() {
	local vers=$1 mib=$2 dir=/mnt/nfs$1 name=rt-$1 t0 t1 src want got disk
	src=/tmp/$name.src
	nfs_mount "$vers" "$dir" || return 1
	head -c $((mib * 1024 * 1024)) /dev/urandom >"$src"
	want=$(sha256sum <"$src" | cut -d' ' -f1)
	t0=$(now_ms)
	dd if="$src" of="$dir/$name" bs=1M conv=fsync status=none || { diag "write failed"; umount "$dir"; return 1; }
	t1=$(now_ms)
	diag "NFSv$vers: wrote $mib MiB in $((t1 - t0)) ms ($((mib * 1000 * 1000 / ((t1 - t0) * 1024 + 1))) MB/s)"
	umount "$dir" || { diag "umount failed"; return 1; }
	drop_caches
	nfs_mount "$vers" "$dir" || return 1
	t0=$(now_ms)
	got=$(sha256sum <"$dir/$name" | cut -d' ' -f1)
	t1=$(now_ms)
	diag "NFSv$vers: read back $mib MiB in $((t1 - t0)) ms"
	umount "$dir" || { diag "umount after the read failed"; return 1; }
	disk=$(dd if="$EXPORT/$name" iflag=direct bs=1M status=none | sha256sum | cut -d' ' -f1)
	rm -f "$src" "$EXPORT/$name"
	diag "sha256 written      $want"
	diag "sha256 via NFS      $got"
	diag "sha256 disk, direct $disk"
	[ "$want" = "$got" ] && [ "$want" = "$disk" ]
}

# show_nfsd_stats: what nfsd counted (calls per program/version).
show_nfsd_stats() {
	[ -r /proc/net/rpc/nfsd ] || return 0
	diag "nfsd statistics (/proc/net/rpc/nfsd):"
	grep -E '^(rpc|proc3|proc4|proc4ops|th|io) ' /proc/net/rpc/nfsd | cut -c1-150 | sed 's/^/#   /'
}

# kprobe events with hist triggers counting calls made by nfsd threads.
NFSD_PROBES="reclaim:try_to_free_pages release_folio:nfs_release_folio
wb_folio_reclaim:nfs_wb_folio_reclaim commit:nfs_commit_inode evict:nfs4_evict_inode
delegreturn:nfs4_proc_delegreturn dirty_throttle:balance_dirty_pages"
NFSD_PROBED=""
NFSD_TRIG='hist:keys=common_pid:vals=hitcount if comm == "nfsd"'

# probes_add: every probe must attach.
probes_add() {
	local p
	for p in $NFSD_PROBES; do
		nfslb_kprobe_add nfsb "${p%%:*}" "${p#*:}" || return 1
		NFSD_PROBED="$NFSD_PROBED ${p%%:*}"
	done
}

probes_reset() {
	local n
	for n in $NFSD_PROBED; do
		nfslb_hist_arm "$NFSLB_TRACE/events/nfsb/$n" "$NFSD_TRIG" || return 1
	done
}

# probes_json: "name": hits, ... for every probe.
probes_json() {
	local n sep=""
	for n in $NFSD_PROBED; do
		printf '%s"%s": %s' "$sep" "$n" "$(nfslb_hist_total "$NFSLB_TRACE/events/nfsb/$n")"
		sep=", "
	done
}

vmstat_sum() { nfslb_vmstat_sum "$1"; }

# scope_set on|off: switch nfsd's loop-back scope. On a kernel without
# the switch "on" is a no-op and "off" fails.
scope_set() { nfslb_scope_set "$1" || { ! nfslb_has_switch && [ "$1" = on ]; }; }

# netns_setup NS: a second network namespace NS over a veth pair,
# 192.0.2.1 here and 192.0.2.2 there (TEST-NET-1).
REMOTE_SERVER=192.0.2.1
netns_setup() { nfslb_netns_setup "$1" nfsb0 nfsb1 "$REMOTE_SERVER" 192.0.2.2; }

localio_set() { nfslb_localio_set "$1"; }
