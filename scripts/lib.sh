# SPDX-License-Identifier: GPL-2.0
# Common settings and helpers for the harness scripts. Sourced, not run.

set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nfs-loopback}
ROOT=$CACHE/toolchain            # Debian trixie build root (chroot)
GUESTROOT=$CACHE/guest           # Debian trixie guest root (before imaging)
IMAGE=$CACHE/guest.ext4          # guest root file system image
SRC=${SRC:-$CACHE/linux}                # kernel git tree, tag "base" = pristine 7.3.4
OUT=${OUT:-$CACHE/build}                # kernel build output (O=)
# LOCKDEP=1: the same kernel with lockdep (configs/lockdep/), built apart.
[ "${LOCKDEP:-0}" = 0 ] || OUT=$CACHE/build-lockdep
# KASAN=1: the same kernel with KASAN, DEBUG_ATOMIC_SLEEP and fault
# injection (configs/kasan/), built apart, for make suites.
[ "${KASAN:-0}" = 0 ] || OUT=$CACHE/build-kasan
[ "${KASAN:-0}" = 0 ] || [ "${LOCKDEP:-0}" = 0 ] || { echo "LOCKDEP=1 and KASAN=1 are separate builds" >&2; exit 1; }
LOGS=$CACHE/logs                 # console logs, results
KSELFTEST=${KSELFTEST:-$CACHE/kselftest}  # the series' kselftests, installed
RUN_TAG=${RUN_TAG:-}             # names a run's console log apart (baseline)
JOBS=${JOBS:-$(($(nproc) + 1))}

# The pinned base: Debian's linux-source-7.3 from trixie-backports.
SUITE=trixie
LINUX_SOURCE_PKG=linux-source-7.3
LINUX_SOURCE_VERSION=7.3.4-1~bpo13+1
LINUX_SOURCE_SHA256=${LINUX_SOURCE_SHA256:-703e369ddd4cce971452f5a593ee55df3a5c10c83caf0fa0df039633ed181ee3}

# The Debian mirror: taken from this machine's own apt sources unless given.
if [ -z "${MIRROR:-}" ]; then
	MIRROR=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\/debian\)[[:space:]]*$/\1/p' \
		/etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
	[ -n "$MIRROR" ] || MIRROR=$(awk '$1 == "deb" && $2 ~ /\/debian\/?$/ { print $2; exit }' \
		/etc/apt/sources.list 2>/dev/null)
fi

STEP=${STEP:-$(basename "$0" .sh)}
T0=${T0:-$(date +%s)}
export CACHE T0

elapsed() {
	local s=$(($(date +%s) - T0))
	printf '%d:%02d' $((s / 60)) $((s % 60))
}

# banner TEXT: a step banner with the time elapsed since the run began.
banner() {
	printf '\n==> [%s] %s: %s\n' "$(elapsed)" "$STEP" "$*"
}

# die TEXT: stop, naming the failed step.
die() {
	printf '\n*** step "%s" failed: %s\n' "$STEP" "$*" >&2
	exit 1
}

# progress: show warnings and errors from stdin at once, and every 400th
# line with the elapsed time, so a long build shows it is moving.
progress() {
	local n=0 line
	while IFS= read -r line; do
		n=$((n + 1))
		case "$line" in
		*warning:* | *error:* | *"Error "[0-9]*) printf '%s\n' "$line" ;;
		*) [ $((n % 400)) -ne 0 ] || printf '    [%s] %s\n' "$(elapsed)" "$line" ;;
		esac
	done
}

need_root() {
	[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot and mounts need it)"
}

need_toolchain() {
	[ -x "$ROOT/usr/bin/rustc" ] && [ -f "$ROOT/.complete" ] ||
		die "toolchain root $ROOT is missing: run 'make toolchain' first"
}

need_tree() {
	git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1 ||
		die "kernel tree $SRC with tag 'base' is missing: run 'make tree' first"
}

# in_root CMD...: run CMD inside the toolchain root, with proc, sys, dev,
# the cache and the repository bind-mounted at their own paths. The
# mounts live in a private mount namespace, so they vanish with it on
# every exit path.
in_root() {
	[ -x "$ROOT/usr/bin/apt-get" ] || die "build root $ROOT is missing: run 'make toolchain' first"
	unshare --mount --propagation private -- /bin/sh -ec '
		root=$1; cache=$2; top=$3; shift 3
		mount -t proc proc "$root/proc"
		mount --rbind /sys "$root/sys"
		mount --rbind /dev "$root/dev"
		# /tmp first: the cache or the repository may live below it.
		mount -t tmpfs tmpfs "$root/tmp"
		mkdir -p "$root$cache" "$root$top"
		mount --bind "$cache" "$root$cache"
		mount --bind "$top" "$root$top"
		exec chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LANG=C.UTF-8 TERM="${TERM:-dumb}" CACHE="$cache" \
			T0="$T0" "$@"
	' in_root "$ROOT" "$CACHE" "$TOP" "$@"
}
