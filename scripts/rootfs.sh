#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the guest root file system: Debian trixie (minbase) with real
# nfs-utils, fio and stress-ng, the NFS Test Suite (nfstest, with tcpdump
# for its packet traces) and fsx (the Rust port from crates.io, built
# here with the machine's cargo), plus the harness init, packed into an
# ext4 image with mkfs.ext4 -d (no loop mount).
. "$(dirname "$0")/lib.sh"
need_root

PACKAGES="nfs-kernel-server nfs-common rpcbind fio stress-ng xfsprogs e2fsprogs
procps iproute2 kmod util-linux bash coreutils nfstest tcpdump python3"
FSX_VERSION=0.3.2
FSX=$CACHE/fsx-$FSX_VERSION/bin/fsx

stamp="$(echo $PACKAGES) fsx-$FSX_VERSION $(sha256sum "$TOP/guest/init" | cut -c1-16)"
if [ -f "$IMAGE" ] && [ "$(cat "$IMAGE.stamp" 2>/dev/null)" = "$stamp" ]; then
	banner "guest image $IMAGE is up to date"
	exit 0
fi
[ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt; set MIRROR=..."
command -v debootstrap >/dev/null || die "debootstrap missing: run 'make toolchain' first"

if [ ! -f "$GUESTROOT/.packages" ] || [ "$(cat "$GUESTROOT/.packages")" != "$(echo $PACKAGES)" ]; then
	banner "debootstrap $SUITE (minbase) guest root with nfs-utils, fio, stress-ng, nfstest"
	rm -rf "$GUESTROOT" "$GUESTROOT.tmp"
	mkdir -p "$CACHE"
	debootstrap --variant=minbase --include="$(echo $PACKAGES | tr ' ' ,)" \
		"$SUITE" "$GUESTROOT.tmp" "$MIRROR" >"$CACHE/debootstrap-guest.log" 2>&1 ||
		die "guest debootstrap failed, see $CACHE/debootstrap-guest.log"
	chroot "$GUESTROOT.tmp" apt-get clean
	rm -rf "$GUESTROOT.tmp"/var/lib/apt/lists/*
	echo $PACKAGES >"$GUESTROOT.tmp/.packages"
	mv "$GUESTROOT.tmp" "$GUESTROOT"
fi

if [ ! -x "$FSX" ]; then
	STEP=rootfs-fsx banner "building fsx $FSX_VERSION from crates.io (cargo install --locked)"
	command -v cargo >/dev/null || die "cargo missing: fsx is built with the machine's Rust toolchain"
	rm -rf "$CACHE/fsx-$FSX_VERSION.tmp"
	cargo install -q fsx --version "$FSX_VERSION" --locked --root "$CACHE/fsx-$FSX_VERSION.tmp" \
		>"$CACHE/fsx-build.log" 2>&1 || die "building fsx failed, see $CACHE/fsx-build.log"
	mv "$CACHE/fsx-$FSX_VERSION.tmp" "$CACHE/fsx-$FSX_VERSION"
fi

banner "configuring the guest root"
install -m 0755 "$FSX" "$GUESTROOT/usr/local/bin/fsx"
install -m 0755 "$TOP/guest/init" "$GUESTROOT/sbin/harness-init"
echo guest >"$GUESTROOT/etc/hostname"
printf '127.0.0.1 localhost\n::1 localhost\n127.0.1.1 guest\n' >"$GUESTROOT/etc/hosts"
: >"$GUESTROOT/etc/exports"
mkdir -p "$GUESTROOT/payload" "$GUESTROOT/srv" "$GUESTROOT/mnt"

banner "packing $IMAGE"
need_toolchain
rm -f "$IMAGE.tmp"
in_root mkfs.ext4 -q -F -L guest -d "$GUESTROOT" "$IMAGE.tmp" 2G ||
	die "mkfs.ext4 -d failed"
mv "$IMAGE.tmp" "$IMAGE"
echo "$stamp" >"$IMAGE.stamp"
banner "done ($(du -h --apparent-size "$IMAGE" | cut -f1), $(du -sh "$GUESTROOT" | cut -f1) used)"
