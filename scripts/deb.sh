#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make deb: Debian packages of the patched kernel for real cluster nodes.
# CONFIG=path is the node's own kernel config (default: the harness's,
# $OUT/.config); configs/deb/series.config is merged over it and
# olddefconfig fills in the rest. The packages are built with
# bindeb-pkg in $CACHE/deb/build and land in $CACHE/deb. The packaged
# kernel is then booted in the guest, which installs the image package
# with dpkg -i and checks its modules (guest/jobs/deb.sh).
. "$(dirname "$0")/lib.sh"
need_root
need_toolchain
need_tree

config=${CONFIG:-$OUT/.config}
frag=$TOP/configs/deb/series.config
DEB=$CACHE/deb
DOUT=$DEB/build
# The packages' release says what they are (7.3.4-nfslb+), apart from
# the distribution's kernels and other local builds.
KMAKE="make -C $SRC O=$DOUT LLVM=1 ARCH=x86_64 LOCALVERSION=-nfslb"
[ -f "$config" ] || die "no kernel config at $config: give CONFIG=path/to/config, or run 'make kernel' for the harness's"
grep -q '^CONFIG_[A-Z0-9_]*=' "$config" || die "$config has no CONFIG_ lines: not a kernel config"
grep -q '^CONFIG_X86_64=y' "$config" || die "$config is not an x86_64 config (the harness builds ARCH=x86_64)"
mkdir -p "$DOUT" "$LOGS"

# Reconfigure when the node's config, the fragment or a Kconfig of the
# tree changed.
stamp=$( (cat "$config" "$frag"; git -C "$SRC" diff base -- '*Kconfig*') | sha256sum | cut -c1-16)
if [ "$(cat "$DOUT/.harness-config" 2>/dev/null)" != "$stamp" ]; then
	banner "configuring: $config + ${frag#$TOP/}"
	cp "$config" "$DOUT/.config"
	in_root sh -ec "cd '$SRC' && scripts/kconfig/merge_config.sh -m -O '$DOUT' '$DOUT/.config' '$frag' >'$LOGS/deb-config.log' 2>&1
		$KMAKE -s olddefconfig" || die "configuring failed, see $LOGS/deb-config.log"
	# A distribution's config names its own signing keys: a node's
	# build has none of them. Built without, as a local kernel is.
	for k in SYSTEM_TRUSTED_KEYS SYSTEM_REVOCATION_KEYS MODULE_SIG_KEY; do
		v=$(sed -n "s/^CONFIG_$k=\"\(.*\)\"$/\1/p" "$DOUT/.config")
		case $v in "" | certs/signing_key.pem) continue ;; esac
		[ -f "$SRC/$v" ] || [ -f "$v" ] && continue
		echo "    CONFIG_$k=\"$v\": no such file here; set to \"\""
		in_root "$SRC/scripts/config" --file "$DOUT/.config" --set-str "$k" "" ||
			die "cannot clear CONFIG_$k"
	done
	in_root sh -c "$KMAKE -s olddefconfig" || die "olddefconfig failed"
	missing=$(grep -E '^CONFIG_[A-Z0-9_]+=y$' "$frag" | while read -r line; do
		grep -qE "^${line%=y}=[ym]$" "$DOUT/.config" || echo "${line%=y}"
	done)
	[ -z "$missing" ] || die "the node's config cannot take the series: $(echo $missing) not set after olddefconfig (unmet dependencies: see 'make O=$DOUT menuconfig')"
	echo "$stamp" >"$DOUT/.harness-config"
fi
in_root sh -c "$KMAKE -s rustavailable" >/dev/null || die "Rust is not available in the toolchain root"

rm -f "$DEB"/*.deb "$DEB"/*.buildinfo "$DEB"/*.changes
t0=$(date +%s)
banner "building packages (bindeb-pkg) of $(git -C "$SRC" describe --always --tags) with -j$JOBS (log: $LOGS/deb.log)"
set +e
# dpkg-buildpackage checks the Build-Depends that mkdebian writes
# (debhelper-compat, libdw-dev): the build root has debhelper, whose
# dh_listpackages debian/rules runs, but not libdw-dev, which only a
# config with BTF needs (pahole then fails the build by itself).
in_root sh -c "$KMAKE -j$JOBS DPKG_FLAGS=-d bindeb-pkg 2>&1" | tee "$LOGS/deb.log" | progress
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || die "bindeb-pkg failed (exit $rc), see $LOGS/deb.log"
t1=$(date +%s)
image=""
for f in "$DEB"/linux-image-*.deb; do
	case $f in *-dbg_*) continue ;; esac
	[ -f "$f" ] && image=$f && break
done
[ -n "$image" ] || die "bindeb-pkg made no linux-image package in $DEB"
banner "packages, built in $(((t1 - t0) / 60)):$(printf %02d $(((t1 - t0) % 60))):"
for d in "$DEB"/*.deb; do
	printf '    %-60s %8s KiB  %s\n' "$(basename "$d")" "$(($(stat -c %s "$d") / 1024))" \
		"$(in_root dpkg-deb -f "$d" Package Version | tr '\n' ' ')"
done

# The packaged kernel boots the guest, which installs the package, when
# it can: the guest has no initramfs, so the root disk's drivers and the
# console must be built in. Otherwise (a distribution's config) the
# harness's kernel installs it and checks its files.
rm -rf "$DEB/image"
in_root dpkg-deb -x "$image" "$DEB/image" || die "cannot unpack $image"
vmlinuz=""
for f in "$DEB"/image/boot/vmlinuz-*; do [ -f "$f" ] && vmlinuz=$f && break; done
[ -n "$vmlinuz" ] || die "$image has no /boot/vmlinuz-*"
(cd "$DEB/image" && find lib/modules -name '*.ko*' | sort) >"$DEB/modules.list"
booted=1
for o in VIRTIO_PCI VIRTIO_BLK EXT4_FS SERIAL_8250_CONSOLE DEVTMPFS NFSD NFS_FS; do
	grep -q "^CONFIG_$o=y" "$DOUT/.config" || booted=0
done
strict=--strict
if [ "$booted" = 1 ]; then
	kimage=$vmlinuz
	banner "booting the packaged kernel $(basename "$vmlinuz") ($(wc -l <"$DEB/modules.list") modules in the package)"
else
	kimage=$OUT/arch/x86/boot/bzImage
	strict=
	banner "the packaged kernel cannot boot this guest (drivers as modules, no initramfs): installing it from the harness's kernel"
fi
# The module list goes on the payload disk: a distribution's thousands of
# modules would not fit in one environment variable.
GUEST_DEB=$(basename "$image") GUEST_DEB_BOOTED=$booted \
	KERNEL_IMAGE=$kimage PAYLOAD_FILES="$image $DEB/modules.list" "$TOP/scripts/boot.sh" deb ||
	die "the package did not install or work in the guest; console log: $LOGS/deb.console.log"
"$TOP/scripts/results.py" $strict --expect "$TOP/scripts/expect/deb.txt" "$LOGS/deb.console.log" ||
	die "the guest's checks of the package failed; console log: $LOGS/deb.console.log"
banner "make deb: done; packages in $DEB"
