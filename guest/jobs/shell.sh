#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make qemu: an interactive shell on the serial console; the job helpers
# are in /payload/lib.sh (e.g. ". /payload/lib.sh; nfs_server_start ext4").
echo "guest shell: 'exit' powers the guest off"
setsid sh -c 'exec /bin/bash -l </dev/ttyS0 >/dev/ttyS0 2>&1'
