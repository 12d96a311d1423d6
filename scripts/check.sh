#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Static checks of the series: checkpatch on every patch, rustfmtcheck, a
# clippy build (CLIPPY=1) of the files the series touches with zero
# warnings, and rustdoc with zero warnings.
. "$(dirname "$0")/lib.sh"
need_root
need_toolchain
need_tree

KMAKE="make -C $SRC O=$OUT LLVM=1 ARCH=x86_64"
mkdir -p "$LOGS"
fail=0

# Ignored: MISSING_SIGN_OFF, since the Developer's Certificate of Origin
# is signed by the person who submits the series, never written in here;
# FILE_PATH_CHANGES, since new files fall under existing MAINTAINERS
# entries (RUST for rust/, the kselftest and NFSD entries for the rest).
banner "checkpatch on patches/"
for p in $(grep -v '^#' "$TOP/patches/series"); do
	[ "$p" != 0000-cover-letter.patch ] || continue
	if ! out=$(in_root sh -c "cd '$SRC' && perl scripts/checkpatch.pl -q --no-summary --show-types \
		--ignore MISSING_SIGN_OFF,FILE_PATH_CHANGES '$TOP/patches/$p'" 2>&1); then
		echo "$out"
		echo "    checkpatch: $p has errors or warnings"
		fail=1
	elif [ -n "$out" ]; then
		echo "$out"
		echo "    checkpatch: $p has checks"
		fail=1
	fi
done

[ -f "$OUT/.config" ] || die "no kernel configuration in $OUT: run 'make kernel' first"

banner "rustfmtcheck"
in_root sh -c "$KMAKE -s rustfmtcheck" || { echo "    rustfmtcheck: run 'make LLVM=1 rustfmt' in the tree"; fail=1; }

banner "clippy build of what the series touches"
changed=$(git -C "$SRC" diff --name-only base..HEAD -- '*.rs' '*.c' '*.h' | while read -r f; do
	[ -f "$SRC/$f" ] && echo "$SRC/$f"; done)
[ -z "$changed" ] || touch $changed
# Compilers name files by absolute path (O= builds), rustdoc by relative.
changed="$changed $(git -C "$SRC" diff --name-only base..HEAD -- '*.rs' '*.c' '*.h')"
in_root sh -c "$KMAKE -j$JOBS CLIPPY=1 all 2>&1" >"$LOGS/clippy.log" ||
	{ tail -n 30 "$LOGS/clippy.log"; die "the clippy build failed, see $LOGS/clippy.log"; }
# Warnings about the files the series touches; the rest of the tree is
# not ours to judge (7.3 has a few of its own).
warnings() {
	awk -v files="$changed" '
		BEGIN { n = split(files, f, " "); for (i = 1; i <= n; i++) mine[f[i]] = 1 }
		/^(warning|error)(\[|:)/ { block = $0; keep = 0; inblk = 1; next }
		inblk && /^ *--> / { p = $2; sub(/:[0-9]+:[0-9]+$/, "", p); keep = (p in mine) }
		inblk && /^$/ { if (keep) print block "\n"; inblk = 0; next }
		inblk { block = block "\n" $0; next }
		/: (warning|error): / { p = $1; sub(/:[0-9]+:[0-9]+:$/, "", p); if (p in mine) print }
	' "$1"
}
w=$(warnings "$LOGS/clippy.log")
if [ -n "$w" ]; then
	echo "$w"
	echo "    clippy/compiler: warnings in the series' files (log: $LOGS/clippy.log)"
	fail=1
fi

banner "rustdoc"
in_root sh -c "$KMAKE -j$JOBS rustdoc 2>&1" >"$LOGS/rustdoc.log" ||
	{ tail -n 30 "$LOGS/rustdoc.log"; die "rustdoc failed, see $LOGS/rustdoc.log"; }
w=$(warnings "$LOGS/rustdoc.log")
if [ -n "$w" ]; then
	echo "$w"
	echo "    rustdoc: warnings above (log: $LOGS/rustdoc.log)"
	fail=1
fi

[ "$fail" = 0 ] || die "checks found problems (see above)"
banner "all checks clean"
