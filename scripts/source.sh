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

# One download and unpack at a time: two harness runs sharing the cache
# would delete each other's half-unpacked tree ("tar: ...: Cannot stat")
# or package.
mkdir -p "$CACHE"
exec 9>"$CACHE/.source.lock"
flock 9
[ ! -f "$pristine/.complete" ] || { banner "pristine tree $pristine is there"; exit 0; }

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

# unpack DIR: the tarball inside the package into DIR, then check that
# every directory the tarball lists is there (a partial unpack fails here,
# not in the build).
unpack() {
	local dir=$1
	rm -rf "$dir" "$CACHE/src/deb"
	mkdir -p "$dir" "$CACHE/src/deb"
	in_root bash -ec "set -o pipefail; dpkg-deb -x '$deb' '$CACHE/src/deb'
		tar -C '$dir' -xJf '$CACHE'/src/deb/usr/src/linux-source-*.tar.xz --strip-components=1
		tar -tJf '$CACHE'/src/deb/usr/src/linux-source-*.tar.xz | sed -n 's|^[^/]*/\\(.*[^/]\\)/\$|\\1|p' |
			while read -r d; do [ -d '$dir'/\"\$d\" ] || { echo \"missing after unpack: \$d\"; exit 1; }; done"
}

banner "unpacking into $pristine"
tmp=$(mktemp -d "$CACHE/pristine.XXXXXX")
trap 'rm -rf "$tmp" "$CACHE/src/deb"' EXIT
if ! unpack "$tmp"; then
	banner "the unpack failed or is incomplete; once more"
	unpack "$tmp" || die "unpacking the source package failed twice"
fi
rm -rf "$CACHE/src/deb"
[ -f "$tmp/Makefile" ] && [ -d "$tmp/arch/x86" ] || die "no kernel Makefile or arch/x86 in the unpacked source"
rm -rf "$pristine"
mv "$tmp" "$pristine"
trap - EXIT
touch "$pristine/.complete"
banner "done: $(make -s -C "$pristine" kernelversion 2>/dev/null || echo '?')"
