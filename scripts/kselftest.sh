#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install the series' kselftests into $KSELFTEST, which boot.sh puts
# on the guest's payload disk.
. "$(dirname "$0")/lib.sh"
need_tree

# The series' kselftests: every selftests directory with a Makefile that
# the series adds or changes, installed with the kernel's own install rule.
mkdir -p "$LOGS"
rm -rf "$KSELFTEST"
targets=$(git -C "$SRC" diff --name-only base..HEAD -- 'tools/testing/selftests/*/Makefile' |
	sed 's|^tools/testing/selftests/||; s|/Makefile$||' | tr '\n' ' ')
if [ -n "${targets// /}" ]; then
	banner "installing kselftests: $targets"
	in_root sh -c "make -s -C '$SRC/tools/testing/selftests' TARGETS='$targets' \
		INSTALL_PATH='$KSELFTEST' install >'$LOGS/kselftest-install.log' 2>&1" ||
		die "installing the kselftests failed, see $LOGS/kselftest-install.log"
fi

