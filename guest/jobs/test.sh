#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make test: the loop-back round trip as a KTAP suite, then the series'
# kselftests (installed in ./kselftest) with run_kselftest.sh.
. ./lib.sh

ktap_header 3
if nfs_server_start ext4; then ktap_ok "nfs_server_start ext4"; else ktap_fail "nfs_server_start ext4"; fi
for v in 4.2 3; do
	if roundtrip "$v" 16; then ktap_ok "loopback_roundtrip_nfsv$v"; else ktap_fail "loopback_roundtrip_nfsv$v"; fi
done
nfs_server_stop

if [ -x ./kselftest/run_kselftest.sh ]; then
	echo "=== harness: kselftest start"
	(cd kselftest && ./run_kselftest.sh)
	echo "=== harness: kselftest end"
fi
