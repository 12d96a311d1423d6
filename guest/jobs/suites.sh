#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make suites: suites nobody here wrote over loop-back NFS mounts
# (suites_lib.sh), in every cell of the plan, then the fault-injection
# cells where the kernel has fault injection (make suites' KASAN build).
#
# A plan entry is "VERS:FS:IO:SWITCH:LOAD:SUITE,SUITE,...". GUEST_PLAN
# picks one: "full" (the normal kernel, plan_full below), "kasan" (a
# smaller set, switch on, then the fault-injection cells) or "lockdep"
# (the same smaller set, no fault injection); GUEST_MATRIX replaces the
# plan's cells, GUEST_FAULTS the fault cells.
. ./lib.sh
. ./suites_lib.sh

HOGSUITES=fsx,fio,lock
# With the switch on (the series): each NFS version on ext4 and XFS over
# RPC and LOCALIO with the hog; the nfstest tools idle. With it off
# (vanilla behaviour): the RPC cells (LOCALIO's I/O does not go through
# nfsd, where the switch acts) and the idle ext4 cell without
# nfstest_posix. nfstest_alloc and nfstest_sparse (keys alloc, sparse)
# are not in a plan: on a 127.0.0.1 mount their packet-trace checks do
# not find ALLOCATE, DEALLOCATE and SEEK calls that nfsd counts as
# served (see nfsd_ops in suites_lib.sh).
plan_full() {
	local c
	for c in 3:ext4:rpc 3:xfs:localio 4.1:xfs:rpc 4.1:ext4:localio 4.2:ext4:rpc \
		4.2:xfs:localio; do
		echo "$c:on:hog:$HOGSUITES"
	done
	echo "4.2:ext4:rpc:on:idle:posix,open,io,ackcheck"
	for c in 3:ext4:rpc 4.1:xfs:rpc 4.2:ext4:rpc; do
		echo "$c:off:hog:$HOGSUITES"
	done
	echo "4.2:ext4:rpc:off:idle:open,io,ackcheck"
}
# KASAN makes every step slower: fsx and fio with the hog over RPC and
# LOCALIO, and the control of the fault cells' check.
plan_kasan() {
	echo "3:ext4:rpc:on:hog:$HOGSUITES"
	echo "4.2:xfs:localio:on:hog:fsx,fio"
	echo "4.1:ext4:rpc:on:idle:ackcheck"
}
# The fault cells: KIND:VERS:IO[:SWITCH]. With LOCALIO the I/O runs in LOCALIO's
# workers, which have no make-it-fail (suites_lib.sh).
# Transport disconnects and page allocations first; then slab faults, the
# NFSv3 one with the switch off before the same with it on, so that a
# report there can be told from the series' scopes.
# The LOCALIO one last: 7.3 leaves a LOCALIO write under writeback for
# good when an allocation of the writer fails (the writer then hangs and
# no later fault cell can run).
FAULTS_KASAN="fail_sunrpc:3:rpc fail_sunrpc:4.2:rpc fail_page_alloc:3:rpc fail_page_alloc:4.2:rpc
failslab:3:rpc:off failslab:3:rpc failslab:4.2:rpc failslab:4.2:localio"
case ${GUEST_PLAN:-full} in
full) MATRIX=${GUEST_MATRIX:-$(plan_full)} FAULTS=${GUEST_FAULTS:-} ;;
kasan) MATRIX=${GUEST_MATRIX:-$(plan_kasan)} FAULTS=${GUEST_FAULTS:-$FAULTS_KASAN} ;;
# The lockdep kernel has no fault injection: the KASAN plan's cells.
lockdep) MATRIX=${GUEST_MATRIX:-$(plan_kasan)} FAULTS=${GUEST_FAULTS:-} ;;
*) echo "unknown GUEST_PLAN ${GUEST_PLAN} (full, kasan, lockdep)" && exit 2 ;;
esac
for c in $MATRIX; do
	case $c in
	*:*:*:*:*:?*) ;;
	*) echo "bad plan entry $c (VERS:FS:IO:SWITCH:LOAD:SUITE,...)" && exit 2 ;;
	esac
done

n=0
for c in $MATRIX; do
	n=$((n + $(echo "${c##*:}" | tr ',' ' ' | wc -w)))
done
n=$((n + $(echo $FAULTS | wc -w)))
echo "=== harness: suites start"
nfs_daemons_start || diag "nfsd's daemons did not all start"
ktap_header "$n"
for c in $MATRIX; do
	suites_cell "${c%:*}" $(echo "${c##*:}" | tr ',' ' ')
done
for f in $FAULTS; do
	IFS=: read -r kind vers io sw <<<"$f"
	fault_cell "$kind" "$vers" "$io" "${sw:-on}"
done
echo "=== harness: suites end"
[ "$KTAP_FAILED" = 0 ]
