#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Make the kernel git tree: the pristine source committed and tagged
# "base", then the series from patches/ applied with git am.
#
# A tree whose HEAD is still the series as last applied is brought up to
# date with patches/. A tree with work of its own (commits or changes
# since) is left alone unless FORCE=1 or CI is set; the old HEAD is then
# kept on a backup/ branch, so nothing is lost.
. "$(dirname "$0")/lib.sh"

series_id() {
	# The series' patches, not the cover letter: editing that rebuilds nothing.
	(cd "$TOP/patches" && grep -v -e '^#' -e '^0000-cover-letter.patch$' series |
		xargs cat 2>/dev/null) | sha256sum | cut -c1-16
}

git_() { git -C "$SRC" -c user.name=harness -c user.email=harness@localhost "$@"; }

if [ "${1:-}" = --series-id ]; then
	series_id
	exit 0
fi

[ -f "$TOP/patches/series" ] || die "patches/series is missing"
if ! git -C "$SRC" rev-parse -q --verify base >/dev/null 2>&1; then
	"$TOP/scripts/source.sh"
	banner "making the git tree $SRC (tag base)"
	rm -rf "$SRC"
	cp -a "$CACHE/pristine" "$SRC"
	rm -f "$SRC/.complete"
	# Debian appends "ignore everything at the top level" to .gitignore
	# for its packaging repository; it would hide every new file of the
	# series from git. Drop that block (the only change to the source).
	n=$(grep -n '^# Debian packaging' "$SRC/.gitignore" | cut -d: -f1 || true)
	[ -z "$n" ] || sed -i "$((n - 1)),\$d" "$SRC/.gitignore"
	git_ init -q -b main
	git_ add -A -f .
	git_ commit -q -m "Linux $LINUX_SOURCE_VERSION (Debian $LINUX_SOURCE_PKG)"
	git_ tag base
fi

want=$(series_id)
applied=$(git_ config --get harness.applied || true)
have=$(git_ config --get harness.series || true)
head=$(git_ rev-parse HEAD)

if [ "$head" = "$applied" ] && [ "$have" = "$want" ] && [ -z "$(git_ status --porcelain)" ]; then
	banner "tree is the series from patches/ ($(git_ rev-list --count base..HEAD) patches)"
	exit 0
fi
if [ "$head" != "$applied" ] || [ -n "$(git_ status --porcelain)" ]; then
	if [ -z "${FORCE:-}" ] && [ -z "${CI:-}" ] && [ "$head" != "$(git_ rev-parse base)" ]; then
		banner "tree has work of its own (HEAD $(git_ rev-parse --short HEAD)); building it as it is"
		echo "    (make export saves it to patches/; FORCE=1 make tree re-applies patches/)"
		exit 0
	fi
	if [ "$head" != "$(git_ rev-parse base)" ] || [ -n "$(git_ status --porcelain)" ]; then
		backup=backup/$(date +%Y%m%d-%H%M%S)
		git_ stash -q -u 2>/dev/null || true
		git_ branch -f "$backup" HEAD
		echo "    old HEAD kept as branch $backup (changes not committed: git stash list)"
	fi
fi

banner "applying the series ($(grep -vc '^#' "$TOP/patches/series" || true) patches) with git am"
git_ am --abort >/dev/null 2>&1 || true
git_ checkout -q -B main base
while read -r p; do
	case "$p" in '' | '#'* | 0000-cover-letter.patch) continue ;; esac
	git_ am -q --keep-cr "$TOP/patches/$p" || {
		git_ am --abort || true
		die "patch $p does not apply to base"
	}
done <"$TOP/patches/series"
git_ config harness.applied "$(git_ rev-parse HEAD)"
git_ config harness.series "$want"
banner "done: $(git_ log --oneline base..HEAD | wc -l) patches on base"
