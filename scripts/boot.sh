#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# boot.sh JOB: boot the built kernel in QEMU with the guest image and run
# guest/jobs/JOB.sh there. The console is kept in $LOGS/JOB.console.log.
# Exits with the job's exit code; a boot failure or a timeout fails.
#
# Disks: vda = guest root (snapshot, never written back), vdb = payload
# (the job, its helpers, the kselftests), vdc = 4 GiB scratch disk for
# the file systems the tests export.
#
# For jobs with more than one guest or another kernel (make failover,
# make deb): KERNEL_IMAGE boots that kernel instead of the build's;
# PAYLOAD_FILES (space-separated paths) go on the payload disk too;
# QEMU_EXTRA (space-separated words) is added to QEMU's command line
# (a second disk, a network device); RUN_TAG names the log, the payload
# and the scratch disk apart, so two boots can run at once.
. "$(dirname "$0")/lib.sh"
need_root
need_toolchain

job=${1:?usage: boot.sh JOB}
MEM=${MEM:-1024}
SMP=${SMP:-2}
TIMEOUT=${TIMEOUT:-900}
kernel=${KERNEL_IMAGE:-$OUT/arch/x86/boot/bzImage}
log=$LOGS/$job${RUN_TAG:+-$RUN_TAG}.console.log
payload=$CACHE/payload/$job${RUN_TAG:+-$RUN_TAG}
scratch=$CACHE/scratch${RUN_TAG:+-$RUN_TAG}.img

# A log left from an earlier run must never be read as this run's.
rm -f "$log"
[ -f "$TOP/guest/jobs/$job.sh" ] || die "no job guest/jobs/$job.sh"
[ -f "$kernel" ] || die "no kernel at $kernel: run 'make kernel' first"
[ -f "$IMAGE" ] || die "no guest image at $IMAGE: run 'make rootfs' first"
mkdir -p "$LOGS"

banner "making the payload disk for job $job"
rm -rf "$payload" "$payload.img"
mkdir -p "$payload"
cp "$TOP/guest/jobs/lib.sh" "$TOP/guest/jobs/suites_lib.sh" "$TOP/guest/jobs/ackwriter.py" "$payload/"
cp "$TOP/guest/jobs/$job.sh" "$payload/job.sh"
[ ! -d "$KSELFTEST" ] || cp -a "$KSELFTEST" "$payload/kselftest"
for f in ${PAYLOAD_FILES:-}; do
	cp "$f" "$payload/" || die "cannot put $f on the payload disk"
done
rm -f "$scratch"
truncate -s 4G "$scratch"

# KVM hangs in firmware on some hosts: try it once per host boot, with a
# short limit, and fall back to TCG.
accel_file=$CACHE/accel.$(cat /proc/sys/kernel/random/boot_id)
if [ -n "${ACCEL:-}" ]; then
	accel=$ACCEL
elif [ -f "$accel_file" ]; then
	accel=$(cat "$accel_file")
else
	accel=tcg
	if [ -w /dev/kvm ]; then
		banner "probing KVM (20 s limit)"
		if in_root timeout 20 qemu-system-x86_64 -accel kvm -cpu host -m 256 \
			-kernel "$kernel" -append "console=ttyS0 panic=-1 init=/bin/false" \
			-nographic -no-reboot -nic none 2>&1 | grep -q 'Linux version'; then
			accel=kvm
		fi
	fi
	rm -f "$CACHE"/accel.*
	echo "$accel" >"$accel_file"
fi
cpu=max
[ "$accel" = kvm ] && cpu=host

GUEST_ACCEL=$accel
for v in $(compgen -v | grep '^GUEST_' || true); do
	printf '%s=%q\n' "$v" "${!v}"
done >"$payload/env.sh"
in_root mkfs.ext4 -q -F -L payload -d "$payload" "$payload.img" 512M ||
	die "mkfs.ext4 -d for the payload failed"

cmdline="console=ttyS0 root=/dev/vda rw init=/sbin/harness-init panic=-1"
# A kernel log large enough to keep the boot's KUnit output and every
# report of the job for the guest's own checks at the end.
cmdline+=" log_buf_len=16M sysctl.kernel.hung_task_timeout_secs=${HUNG_TASK_SECS:-60} ${APPEND:-}"
banner "booting job $job: accel $accel, ${MEM} MiB, $SMP CPUs, limit ${TIMEOUT}s (console: $log)"
stdin=/dev/null
[ -z "${INTERACTIVE:-}" ] || stdin=/dev/stdin
set +e
in_root timeout --foreground -k 10 "$TIMEOUT" qemu-system-x86_64 \
	-accel "$accel" -cpu "$cpu" -m "$MEM" -smp "$SMP" \
	-kernel "$kernel" -append "$cmdline" \
	-drive "file=$IMAGE,format=raw,if=virtio,snapshot=on" \
	-drive "file=$payload.img,format=raw,if=virtio" \
	-drive "file=$scratch,format=raw,if=virtio,cache=unsafe" \
	-nic none -nographic -no-reboot ${QEMU_EXTRA:-} <"$stdin" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
set -e
rm -f "$scratch"
[ "$rc" != 124 ] || die "guest timed out after ${TIMEOUT}s; console log: $log"
[ "$rc" = 0 ] || die "QEMU failed (exit $rc); console log: $log"
exit_line=$(grep -a '^=== harness: job exit' "$log" | tail -n1 | tr -d '\r')
[ -n "$exit_line" ] || die "the guest did not run the job (boot failure?); console log: $log"
jrc=${exit_line##* }
banner "job $job exited $jrc (console log: $log)"
exit "$jrc"
