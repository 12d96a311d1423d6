#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make baseline: the tests of make test on base 7.3.4 plus only the
# series' selftest patches, built apart in $CACHE/build-baseline. The
# series' tests must fail there; this prints which did and which did not.
#
# The baseline is made in the kernel tree itself (branch "baseline":
# base + every commit of the series that touches only
# tools/testing/selftests, cherry-picked in order) and built from a copy
# of the main build, so that only what differs is compiled; the tree
# goes back to the branch it was on afterwards.
. "$(dirname "$0")/lib.sh"
need_root
need_tree

OUT=$CACHE/build-baseline
# LOCKDEP=1 or KASAN=1 would point lib.sh at the lockdep build; the baseline is its own.
export OUT KSELFTEST=$CACHE/kselftest-baseline RUN_TAG=baseline CHECK_CONFIG=0 LOCKDEP=0 KASAN=0

[ -z "$(git -C "$SRC" status --porcelain --untracked-files=no)" ] ||
	die "$SRC has uncommitted changes: commit or stash them first"
orig=$(git -C "$SRC" symbolic-ref -q --short HEAD || git -C "$SRC" rev-parse HEAD)
git_() { git -C "$SRC" -c user.name=harness -c user.email=harness@localhost "$@"; }

picks=""
for c in $(git_ rev-list --reverse base.."$orig"); do
	if [ -z "$(git_ diff-tree --no-commit-id --name-only -r "$c" | grep -v '^tools/testing/selftests/')" ]; then
		picks="$picks $c"
	fi
done
[ -n "$picks" ] || die "the series has no selftest-only commits"
banner "baseline = base + $(echo $picks | wc -w) selftest commits:"
for c in $picks; do echo "    $(git_ log -1 --format='%h %s' "$c")"; done

trap 'git_ cherry-pick --abort >/dev/null 2>&1 || true; git_ checkout -q "$orig" || true' EXIT
git_ checkout -q -B baseline base
for c in $picks; do
	git_ cherry-pick "$c" >/dev/null || die "$(git_ log -1 --format=%s "$c") does not apply to base alone"
done

if [ ! -f "$OUT/.config" ] && [ -f "$CACHE/build/.config" ]; then
	banner "seeding $OUT from the main build (only what differs is rebuilt)"
	mkdir -p "$OUT"
	cp -a "$CACHE/build/." "$OUT/"
fi
"$TOP/scripts/kernel.sh" || die "the baseline kernel does not build"
"$TOP/scripts/kselftest.sh"
git_ checkout -q "$orig"
trap - EXIT

log=$LOGS/test-baseline.console.log
set +e
TIMEOUT=${TIMEOUT:-2400} "$TOP/scripts/boot.sh" test
set -e
[ -f "$log" ] || die "the baseline guest did not boot (no $log)"
STEP=results banner "results on the baseline ($log)"
set +e
in_root python3 "$TOP/scripts/results.py" --kunit-dir "$SRC/tools/testing/kunit" \
	--expect "$TOP/scripts/expect/test.txt" --strict --summary "$log" | tee "$LOGS/baseline.results"
set -e
# unmatched PATTERNS PREFIX FILE: the patterns of file PATTERNS (grep -E,
# after PREFIX) that match no line of FILE, one per line.
unmatched() {
	local pat
	while read -r pat; do
		case "$pat" in '' | '#'*) continue ;; esac
		grep -Eaq -- "^$2$pat" "$3" || printf '    %s\n' "$pat"
	done <"$1"
}
# What must fail on the baseline: every test of the series' effect; and
# what must pass there: the controls, which show the tests see the failure.
missing=$(unmatched "$TOP/scripts/expect/baseline-fails.txt" 'FAILED: .*' "$LOGS/baseline.results")
[ -z "$missing" ] || die "these tests of the series passed on the baseline (they cannot fail):
$missing"
missing=$(unmatched "$TOP/scripts/expect/baseline-passes.txt" '(# )*' "$log")
[ -z "$missing" ] || die "these controls did not pass on the baseline:
$missing"
banner "on the baseline every test of scripts/expect/baseline-fails.txt failed and every control of baseline-passes.txt passed"
