#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Fetch the pinned linux-source-7.3 package, check its sha256 and unpack
# the tarball inside it to $CACHE/pristine (the base of the series).
. "$(dirname "$0")/lib.sh"
need_root

deb=$CACHE/src/${LINUX_SOURCE_PKG}_${LINUX_SOURCE_VERSION//:/%3a}_all.deb
pristine=$CACHE/pristine

if [ -f "$pristine/.complete" ]; then
	banner "pristine tree $pristine is there"
	exit 0
fi

if [ ! -f "$deb" ]; then
	banner "downloading $LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION"
	mkdir -p "$CACHE/src"
	in_root sh -c "cd '$CACHE/src' && apt-get download -q -o APT::Sandbox::User=root \
		'$LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION'" ||
		die "apt-get download $LINUX_SOURCE_PKG=$LINUX_SOURCE_VERSION failed"
	[ -f "$deb" ] || die "downloaded package is not at $deb"
fi

banner "checking sha256 of $(basename "$deb")"
sum=$(sha256sum "$deb" | cut -d' ' -f1)
if [ "$sum" != "$LINUX_SOURCE_SHA256" ]; then
	mv "$deb" "$deb.bad"
	die "sha256 mismatch: got $sum, pinned $LINUX_SOURCE_SHA256 (kept as $deb.bad)"
fi

banner "unpacking into $pristine"
rm -rf "$pristine" "$pristine.tmp" "$CACHE/src/deb"
mkdir -p "$pristine.tmp" "$CACHE/src/deb"
in_root sh -ec "dpkg-deb -x '$deb' '$CACHE/src/deb'
	tar -C '$pristine.tmp' -xJf '$CACHE'/src/deb/usr/src/linux-source-*.tar.xz --strip-components=1" ||
	die "unpacking the source package failed"
rm -rf "$CACHE/src/deb"
[ -f "$pristine.tmp/Makefile" ] || die "no kernel Makefile in the unpacked source"
mv "$pristine.tmp" "$pristine"
touch "$pristine/.complete"
banner "done: $(make -s -C "$pristine" kernelversion 2>/dev/null || echo '?')"
