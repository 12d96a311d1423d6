#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Export the kernel tree's commits since "base" back into patches/ as
# git format-patch files plus the series file. The cover letter
# (0000-cover-letter.patch) is kept: it is written by hand.
. "$(dirname "$0")/lib.sh"
need_tree

tree=${TREE:-$SRC}
# make baseline and make bisect check out other commits of the tree for
# a while: export only the branch the series lives on.
[ "$(git -C "$tree" symbolic-ref -q --short HEAD || true)" = main ] ||
	die "$tree is not on branch main (a baseline or bisect run in progress?)"
n=$(git -C "$tree" rev-list --count base..HEAD)
[ "$n" -gt 0 ] || die "no commits on base in $tree: nothing to export"
[ -z "$(git -C "$tree" status --porcelain --untracked-files=no)" ] ||
	die "$tree has uncommitted changes: commit them first"

banner "exporting $n patches from $tree"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
git -C "$tree" format-patch -q --no-signature --zero-commit -o "$tmp" base..HEAD
find "$TOP/patches" -name '[0-9][0-9][0-9][0-9]-*.patch' ! -name '0000-cover-letter.patch' -delete
cp "$tmp"/*.patch "$TOP/patches/"
{
	[ ! -f "$TOP/patches/0000-cover-letter.patch" ] || echo 0000-cover-letter.patch
	(cd "$tmp" && ls -1 *.patch)
} >"$TOP/patches/series"
if [ "$tree" = "$SRC" ]; then
	git -C "$SRC" config harness.applied "$(git -C "$SRC" rev-parse HEAD)"
	git -C "$SRC" config harness.series "$("$TOP/scripts/tree.sh" --series-id)"
fi
banner "done: $(cat "$TOP/patches/series" | tr '\n' ' ')"
