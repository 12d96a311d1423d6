#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make test: the loop-back round trip as a KTAP suite, then the series'
# kselftests (installed in ./kselftest) with run_kselftest.sh.
. ./lib.sh

ktap_header 4
# The series' Rust sample is built in: its init checks the scopes at boot.
if dmesg | grep -q 'rust_task_scope: flushed 16384 bytes in a NOFS scope'; then
	ktap_ok "rust_task_scope sample"
else
	dmesg | grep rust_task_scope | sed 's/^/# /'
	ktap_fail "rust_task_scope sample"
fi
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
[ "$KTAP_FAILED" = 0 ]
