#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every patch of the series on its own (bisectability), in a
# separate work tree and build directory so the main tree is untouched.
. "$(dirname "$0")/lib.sh"
need_root
need_tree

wt=$CACHE/bisect
if [ ! -d "$wt" ]; then
	git -C "$SRC" worktree add -q --detach "$wt" base || die "cannot make the work tree $wt"
fi
for c in $(git -C "$SRC" rev-list --reverse base..HEAD); do
	banner "building $(git -C "$SRC" log -1 --format='%h %s' "$c")"
	git -C "$wt" checkout -q --detach "$c" || die "checkout $c failed"
	SRC=$wt OUT=$CACHE/build-bisect CHECK_CONFIG=0 STEP="bisect $(git -C "$SRC" rev-parse --short "$c")" \
		"$TOP/scripts/kernel.sh" || die "patch $(git -C "$SRC" log -1 --format=%s "$c") does not build"
done
banner "every patch builds"
