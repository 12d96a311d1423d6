#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make test: the loop-back round trip as a KTAP suite, then the series'
# kselftests (installed in ./kselftest) with run_kselftest.sh.
. ./lib.sh

# nfsd's user-space daemons (rpc.mountd, and nfsdcld, gssproxy, tlshd
# where installed) run with PR_SET_IO_FLUSHER: one result each, before
# nfsd and the kselftests start, and again after the kselftests.
daemons=$(io_flusher_daemons)
ndaemons=$(echo "$daemons" | wc -w)
# io_flusher_result NAME WHEN: NAME runs, each of its processes with
# PF_MEMALLOC_NOIO and PF_LOCAL_THROTTLE.
io_flusher_result() {
	local f
	if f=$(io_flusher_flags "$1"); then
		ktap_ok "io_flusher_$1 $f (PF_MEMALLOC_NOIO|PF_LOCAL_THROTTLE, $2)"
	else
		ktap_fail "io_flusher_$1 ${f:-not running} (want both flags, $2)"
	fi
}

ktap_header $((4 + ndaemons))
# The series' Rust sample is built in: its init checks the scopes at boot.
if dmesg | grep -q 'rust_task_scope: flushed 16384 bytes in a NOFS scope'; then
	ktap_ok "rust_task_scope sample"
else
	dmesg | grep rust_task_scope | sed 's/^/# /'
	ktap_fail "rust_task_scope sample"
fi
nfs_daemons_start
for d in $daemons; do io_flusher_result "$d" "started"; done
if nfs_server_start ext4; then ktap_ok "nfs_server_start ext4"; else ktap_fail "nfs_server_start ext4"; fi
# Over RPC: LOCALIO (on by default in 7.3) would bypass nfsd's WRITE path.
localio_set rpc
for v in 4.2 3; do
	if roundtrip "$v" 16; then ktap_ok "loopback_roundtrip_nfsv$v"; else ktap_fail "loopback_roundtrip_nfsv$v"; fi
done
nfs_server_stop

# The quick variant of the series' kselftests for CI; make bench runs
# the full ones.
export NFS_LOOPBACK_DEV=$SCRATCH
export NFS_LOOPBACK_FS=${GUEST_FS:-ext4} NFS_LOOPBACK_VERS=${GUEST_VERS:-4.2}
export NFS_LOOPBACK_IO=${GUEST_IO:-rpc localio} NFS_LOOPBACK_SECONDS=${GUEST_SECONDS:-15}
export NFS_LOOPBACK_ROUNDS=${GUEST_ROUNDS:-5}
# GUEST_TESTS="gfp_scope.sh ...": only these (for work on one test; the
# expected-suites check of make test then fails for the others).
sel=""
for t in ${GUEST_TESTS:-}; do sel="$sel -t filesystems/nfs_loopback:$t"; done
echo "=== harness: kselftest start"
(cd kselftest && ./run_kselftest.sh $sel)
rc=$?
echo "=== harness: kselftest end (exit $rc)"

# The same daemons after the kselftests: one that died would have been
# started again by them, without the flags.
KTAP_N=0
ktap_header "$ndaemons"
for d in $daemons; do io_flusher_result "$d" "after the kselftests"; done
# Their CPU time (utime + stime, in USER_HZ): a daemon that spins shows.
for d in $daemons; do
	for p in $(io_flusher_pids "$d"); do
		diag "$d pid $p: $(awk '{ sub(/.*\) /, ""); print ($12 + $13) / 100 }' \
			"/proc/$p/stat") s of CPU"
	done
done

# The quick cells of make suites (suites_lib.sh), after the daemons'
# check (they start the daemons again): fsx, fio verify= and nfstest_lock
# over loop-back mounts with the series on, one with the memory hog over
# RPC, one over LOCALIO on XFS.
. ./suites_lib.sh
FSX_OPS=${GUEST_FSX_OPS:-2000}
KTAP_N=0
ktap_header 5
nfs_daemons_start || diag "nfsd's daemons did not all start"
suites_cell 4.2:ext4:rpc:on:hog fsx fio lock
suites_cell 3:xfs:localio:on:idle fsx fio
[ "$KTAP_FAILED" = 0 ]
