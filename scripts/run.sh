#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make run: boot the built kernel and do the loop-back NFS round trip.
. "$(dirname "$0")/lib.sh"
need_root
"$TOP/scripts/kselftest.sh"
"$TOP/scripts/boot.sh" run || die "the loop-back round trip failed; console log: $LOGS/run.console.log"
