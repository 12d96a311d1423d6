#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Build every patch of the series on its own (bisectability): check out
# each commit base..HEAD of the kernel tree in turn and build it in the
# usual build directory (incremental, so each step costs only what the
# patch touches), then return to the branch the tree was on.
. "$(dirname "$0")/lib.sh"
need_root
need_tree

[ -z "$(git -C "$SRC" status --porcelain --untracked-files=no)" ] ||
	die "$SRC has uncommitted changes: commit or stash them first"
orig=$(git -C "$SRC" symbolic-ref -q --short HEAD || git -C "$SRC" rev-parse HEAD)
trap 'git -C "$SRC" checkout -q "$orig"' EXIT
for c in $(git -C "$SRC" rev-list --reverse base..HEAD); do
	subject=$(git -C "$SRC" log -1 --format=%s "$c")
	banner "building $(git -C "$SRC" rev-parse --short "$c") $subject"
	git -C "$SRC" checkout -q --detach "$c" || die "checkout $c failed"
	CHECK_CONFIG=0 "$TOP/scripts/kernel.sh" || die "\"$subject\" does not build on its own"
done
banner "every patch builds on its own"
