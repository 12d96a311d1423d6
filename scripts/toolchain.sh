#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the pinned build root: Debian trixie (minbase) with clang/lld 19,
# rustc 1.85 + rust-src, bindgen 0.71 and QEMU, plus trixie-backports for
# linux-source-7.3. The host's own apt sources are not touched.
. "$(dirname "$0")/lib.sh"
need_root

PACKAGES="build-essential flex bison bc cpio kmod libelf-dev libssl-dev python3
python3-matplotlib clang lld llvm libclang-dev rustc rust-src bindgen rustfmt
rust-clippy pahole git xz-utils e2fsprogs qemu-system-x86 qemu-utils
busybox-static ca-certificates perl rsync python3-ply python3-git debhelper"

if [ -f "$ROOT/.complete" ] && [ "$(cat "$ROOT/.complete")" = "$(echo $PACKAGES)" ]; then
	banner "toolchain root $ROOT is up to date"
	exit 0
fi

command -v debootstrap >/dev/null || {
	banner "installing debootstrap on the host"
	apt-get update -qq || die "apt-get update failed"
	apt-get install -y -qq debootstrap >/dev/null || die "cannot install debootstrap"
}
[ -n "$MIRROR" ] || die "no Debian mirror found in /etc/apt; set MIRROR=..."

if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
	banner "debootstrap $SUITE (minbase) into $ROOT"
	rm -rf "$ROOT" "$ROOT.tmp"
	mkdir -p "$CACHE"
	debootstrap --variant=minbase "$SUITE" "$ROOT.tmp" "$MIRROR" \
		>"$CACHE/debootstrap-toolchain.log" 2>&1 ||
		die "debootstrap failed, see $CACHE/debootstrap-toolchain.log"
	mv "$ROOT.tmp" "$ROOT"
fi

banner "adding $SUITE-backports and installing the build packages"
cat >"$ROOT/etc/apt/sources.list" <<EOS
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-backports main
EOS
rm -f "$ROOT/.complete"
in_root sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	apt-get install -y -qq --no-install-recommends $(echo $PACKAGES) >/dev/null" ||
	die "apt-get install in the build root failed"
in_root sh -c 'apt-get clean'
echo $PACKAGES >"$ROOT/.complete"
in_root sh -c 'clang --version | head -n1; rustc --version; bindgen --version'
banner "done"
