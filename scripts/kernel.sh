#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Configure (tinyconfig + kvm_guest.config + configs/*.config) and build
# the kernel in $OUT with LLVM=1, Rust enabled and clippy as the Rust
# compiler driver, so clippy warnings come out of the build itself.
. "$(dirname "$0")/lib.sh"
need_root
need_toolchain
need_tree

KMAKE="make -C $SRC O=$OUT LLVM=1 ARCH=x86_64"
mkdir -p "$OUT" "$LOGS"

ours=$(echo "$TOP"/configs/*.config)
[ "${LOCKDEP:-0}" = 0 ] || ours="$ours $TOP/configs/lockdep/lockdep.config"
[ "${KASAN:-0}" = 0 ] || ours="$ours $TOP/configs/kasan/kasan.config"
frags="$SRC/kernel/configs/kvm_guest.config $ours"
# Reconfigure when a fragment, this script or any Kconfig file of the tree
# changes (a patch may add the options a fragment asks for).
stamp=$( (cat $frags "$0"; git -C "$SRC" diff base -- '*Kconfig*') | sha256sum | cut -c1-16)
if [ ! -f "$OUT/.config" ] || [ "$(cat "$OUT/.harness-config" 2>/dev/null)" != "$stamp" ]; then
	banner "configuring: tinyconfig + kvm_guest.config + ${ours//$TOP\//}"
	in_root sh -ec "$KMAKE -s tinyconfig >/dev/null
		cd '$SRC' && scripts/kconfig/merge_config.sh -m -O '$OUT' '$OUT/.config' $frags >'$LOGS/config.log' 2>&1
		$KMAKE -s olddefconfig" || die "configuring the kernel failed"
	missing=$(cat $ours | grep -E '^CONFIG_[A-Z0-9_]+=y$' |
		while read -r line; do grep -qx "$line" "$OUT/.config" || echo "${line%=y}"; done)
	# CHECK_CONFIG=0 for trees that predate some options (per-patch builds).
	[ -z "$missing" ] || [ "${CHECK_CONFIG:-1}" = 0 ] || die "required options not =y after olddefconfig (unmet dependencies?): $(echo $missing)"
	echo "$stamp" >"$OUT/.harness-config"
fi

in_root sh -c "$KMAKE -s rustavailable" >/dev/null || die "Rust is not available in the toolchain root"

banner "building $(git -C "$SRC" describe --always --tags) with -j$JOBS (log: $LOGS/build.log)"
set +e
in_root sh -c "$KMAKE -j$JOBS CLIPPY=1 all 2>&1" | tee "$LOGS/build.log" | progress
rc=${PIPESTATUS[0]}
set -e
[ "$rc" = 0 ] || die "kernel build failed (exit $rc), see $LOGS/build.log"
cp "$LOGS/build.log" "$OUT/.last-build.log"
banner "built $OUT/arch/x86/boot/bzImage"
