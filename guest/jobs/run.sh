#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run: export an ext4 file system over NFS, mount it through
# loop-back (127.0.0.1) with NFSv4.2 and NFSv3, write and read back data
# with checksums, show what nfsd counted.
. ./lib.sh

MIB=${GUEST_MIB:-64}
uname -a
ktap_header 3
if nfs_server_start ext4; then ktap_ok "nfs_server_start ext4"; else ktap_fail "nfs_server_start ext4"; fi
for v in 4.2 3; do
	if roundtrip "$v" "$MIB"; then
		ktap_ok "loopback_roundtrip_nfsv$v ($MIB MiB)"
	else
		ktap_fail "loopback_roundtrip_nfsv$v ($MIB MiB)"
	fi
done
show_nfsd_stats
nfs_server_stop
echo "# loop-back round trip: $((KTAP_N - KTAP_FAILED)) of $KTAP_N ok"
[ "$KTAP_FAILED" = 0 ]
