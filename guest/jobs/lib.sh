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

# The user-space daemons nfsd waits for: rpc.mountd (the upcalls of the
# export and client caches), nfsdcld (client records), gssproxy
# (RPCSEC_GSS) and tlshd (RPC-with-TLS handshakes). On a node that
# mounts its own export their allocations must not recurse into the NFS
# client's writeback: each runs with PR_SET_IO_FLUSHER, which sets
# PF_MEMALLOC_NOIO and PF_LOCAL_THROTTLE on the task, kept across fork
# and exec. rpc.mountd always; the others where installed.
IO_FLUSHER_DAEMONS="rpc.mountd nfsdcld gssproxy tlshd"
PF_MEMALLOC_NOIO=$((0x00080000))
PF_LOCAL_THROTTLE=$((0x00100000))

# io_flusher CMD [ARGS...]: exec CMD with PR_SET_IO_FLUSHER (prctl 57,
# arg 1; needs CAP_SYS_RESOURCE); CMD does not run if prctl fails. The
# guest has no compiler: perl (perl-base is essential in Debian) makes
# the system call, 157 being SYS_prctl on x86_64.
io_flusher() {
	perl -e 'syscall(157, 57, 1, 0, 0, 0) == 0 or die "prctl(PR_SET_IO_FLUSHER): $!\n";
		exec { $ARGV[0] } @ARGV or die "exec $ARGV[0]: $!\n"' -- "$@"
}

# io_flusher_daemons: the daemons to start, one a line.
io_flusher_daemons() {
	local d
	for d in $IO_FLUSHER_DAEMONS; do
		if [ "$d" = rpc.mountd ] || command -v "$d" >/dev/null; then
			echo "$d"
		fi
	done
}

# io_flusher_pids NAME: the processes named NAME, zombies left out.
io_flusher_pids() {
	local pid stat
	for pid in $(pgrep -x "$1"); do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		# The state follows "PID (COMM) " (COMM may hold spaces).
		case ${stat##*) } in Z* | X*) continue ;; esac
		echo "$pid"
	done
}

# io_flusher_flags NAME: "pid PID flags 0xFLAGS" for each process NAME
# (task->flags: field 9 of /proc/PID/stat); fails unless there is one and
# each has both PF_MEMALLOC_NOIO and PF_LOCAL_THROTTLE.
io_flusher_flags() {
	local name=$1 pid stat f out="" bad=0 want=$((PF_MEMALLOC_NOIO | PF_LOCAL_THROTTLE))
	for pid in $(io_flusher_pids "$name"); do
		stat=$(cat "/proc/$pid/stat" 2>/dev/null) || continue
		# Field 9 is the 7th after "PID (COMM) ".
		f=$(echo "${stat##*) }" | cut -d' ' -f7)
		out="$out, pid $pid flags $(printf '0x%08x' "$f")"
		[ $((f & want)) = "$want" ] || bad=1
	done
	echo "${out#, }"
	[ -n "$out" ] && [ "$bad" = 0 ]
}

# io_flusher_ready NAME: NAME runs, and is ready where that can be seen
# (nfsdcld watches rpc_pipefs for nfsd's pipe with inotify).
io_flusher_ready() {
	local pid fd
	pid=$(io_flusher_pids "$1" | tail -n 1)
	[ -n "$pid" ] || return 1
	[ "$1" = nfsdcld ] || return 0
	for fd in "/proc/$pid/fd/"*; do
		[ "$(readlink "$fd")" = anon_inode:inotify ] && return 0
	done
	return 1
}

# io_flusher_start NAME: start the daemon NAME through io_flusher unless
# it runs; fails, with its messages as diagnostics, unless it is ready
# within 5 s and still runs half a second later.
io_flusher_start() {
	local name=$1 log=/run/io-flusher-$1.log pipefs
	[ -z "$(io_flusher_pids "$name")" ] || return 0
	case $name in
	rpc.mountd)
		# It forks; the parent exits once the daemon is ready.
		io_flusher rpc.mountd >"$log" 2>&1
		;;
	nfsdcld)
		# nfsd finds it through rpc_pipefs (nfsd/cld) when nfsd starts;
		# it daemonizes and logs to syslog (none here).
		pipefs=$(nfsconf --get general pipefs-directory 2>/dev/null) ||
			pipefs=/run/rpc_pipefs
		mkdir -p "$pipefs" /var/lib/nfs/nfsdcld
		: >"$log"
		grep -q " $pipefs rpc_pipefs " /proc/mounts ||
			mount -t rpc_pipefs sunrpc "$pipefs" >>"$log" 2>&1 &&
			io_flusher nfsdcld -p "$pipefs" >>"$log" 2>&1
		;;
	gssproxy)
		io_flusher gssproxy >"$log" 2>&1
		;;
	tlshd)
		# It stays in the foreground.
		io_flusher tlshd >"$log" 2>&1 </dev/null &
		;;
	esac
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		io_flusher_ready "$name" && break
		sleep 0.5
	done
	sleep 0.5
	if io_flusher_ready "$name"; then
		return 0
	fi
	diag "$name did not start with PR_SET_IO_FLUSHER:"
	sed 's/^/#   /' "$log"
	return 1
}

# nfs_daemons_start: the nfsd file system and rpcbind (which rpc.mountd
# needs, as Debian's units order them), then every daemon of
# io_flusher_daemons through io_flusher, before nfsd starts (nfsd looks
# for nfsdcld then) and before the kselftests, which start rpc.mountd
# only if it does not run.
nfs_daemons_start() {
	local d rc=0
	mountpoint -q /proc/fs/nfsd || mount -t nfsd nfsd /proc/fs/nfsd ||
		{ diag "cannot mount the nfsd file system"; return 1; }
	mkdir -p /run/rpcbind
	pgrep -x rpcbind >/dev/null || rpcbind -w || { diag "rpcbind failed"; return 1; }
	for d in $(io_flusher_daemons); do
		io_flusher_start "$d" || rc=1
	done
	return $rc
}

# nfs_server_start FSTYPE: make FSTYPE on the scratch disk, export it to
# every client and start rpcbind, nfsd's daemons (nfs_daemons_start) and
# nfsd (NTHREADS threads, default 4).
nfs_server_start() {
	local out
	nfs_daemons_start || return 1
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
