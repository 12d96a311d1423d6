#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make run: export an ext4 file system over NFS, mount it through
# loop-back (127.0.0.1) with NFSv4.2 and NFSv3, over RPC and with LOCALIO,
# write and read back data with checksums, show what nfsd counted.
. ./lib.sh

MIB=${GUEST_MIB:-64}
uname -a
ktap_header 5
if nfs_server_start ext4; then ktap_ok "nfs_server_start ext4"; else ktap_fail "nfs_server_start ext4"; fi
# Over RPC through nfsd, and with LOCALIO (on by default in 7.3), which
# bypasses nfsd for READ/WRITE/COMMIT.
for io in rpc localio; do
	if ! localio_set "$io"; then
		ktap_skip "loopback_roundtrip_nfsv4.2_$io" "no LOCALIO in this kernel"
		ktap_skip "loopback_roundtrip_nfsv3_$io" "no LOCALIO in this kernel"
		continue
	fi
	for v in 4.2 3; do
		diag "--- NFSv$v over $io"
		if roundtrip "$v" "$MIB"; then
			ktap_ok "loopback_roundtrip_nfsv${v}_$io ($MIB MiB)"
		else
			ktap_fail "loopback_roundtrip_nfsv${v}_$io ($MIB MiB)"
		fi
	done
done
show_nfsd_stats
nfs_server_stop
echo "# loop-back round trip: $((KTAP_N - KTAP_FAILED)) of $KTAP_N ok"
[ "$KTAP_FAILED" = 0 ]
