# SPDX-License-Identifier: GPL-2.0
# Suites nobody here wrote, over a loop-back NFS mount: the NFS Test Suite
# (nfstest), fsx (the Rust port), fio with verify=, and fault injection
# (failslab, fail_page_alloc in nfsd's threads, with LOCALIO also in the
# writer; fail_sunrpc). Sourced by the suites job (make suites) and by the test
# job (the quick cells of make test), after lib.sh.
#
# A cell is one configuration, "VERS:FS:IO:SWITCH:LOAD":
#   VERS 3, 4.1 or 4.2; FS ext4 or xfs; IO rpc or localio;
#   SWITCH on (the series) or off (vanilla behaviour: nfsd.loopback_scope
#   N and nfs.loopback_max_ratio 0); LOAD idle or hog (stress-ng holding
#   HOG % of memory, dirty limits 5/2 %).
# Every suite of a cell gives one KTAP result "SUITE CELL ..." and one
# "# SUITE-ROW {json}" line with what scripts/suites_report.py tabulates:
# cases run, passed, failed, expected failures (xfail: failures that the
# same suite also has on local ext4), data mismatches, kernel reports and
# hung-task reports that appeared while it ran, exit code, seconds.
# Skipped, timed out or crashed is a failure, never a smaller total.

SUITE_MNT=/mnt/suite
NFSTEST_MNT=/mnt/nfstest
# On the root disk: nfstest keeps packet traces there; /tmp is tmpfs.
SUITE_WORK=/var/tmp/suites
# Built from crates.io by scripts/rootfs.sh.
FSX=/usr/local/bin/fsx
NFS_MAXRATIO=/sys/module/nfs/parameters/loopback_max_ratio
MAXRATIO0=$(cat "$NFS_MAXRATIO" 2>/dev/null || echo "")
# What kernel_checks in guest/init counts as a report, and as a hung task.
SUITE_REPORTS='WARNING: |BUG: |Oops|general protection fault|INFO: possible |UBSAN: '
SUITE_REPORTS+='|KASAN: |Kernel panic|watchdog: BUG: soft lockup|detected stall'
# 7.3 says "blocked for more than" or "blocked in I/O wait for more than"
# ("is blocked on a mutex" lines follow the same report).
SUITE_HUNG='INFO: task .* blocked (in I/O wait )?for more than'
# What a file system says when an injected fault hurt it.
SUITE_FSERR='EXT4-fs error|EXT4-fs .*[Aa]bort|XFS .*[Cc]orrupt|XFS .*[Ss]hutdown'
SUITE_FSERR+='|[Rr]emounting filesystem read-only'
# nfstest looks up the host's own address: by a UDP connect to a public
# address (no route here), then by $HOSTNAME (127.0.1.1 in /etc/hosts).
# The loop-back mount's packets come from 127.0.0.1, which the tools that
# find the calls in their packet traces (nfstest_alloc, nfstest_sparse)
# are given as --client-ipaddr, with the interface (lo) that tcpdump
# then no longer finds itself.
export HOSTNAME=guest
CELL=""
CELL_VERS=""
CELL_HOG_PID=""
CELL_DIRTY=""
SUITE_XFAIL=0

# suite_num NAME VALUE: VALUE must be a positive integer.
suite_num() {
	case $2 in
	'' | *[!0-9]* | 0*) echo "# $1 must be a positive integer, not '$2'" >&2 && exit 2 ;;
	esac
	[ "${3:-0}" = 0 ] || [ "$2" -le "$3" ] || { echo "# $1 must be <= $3" >&2 && exit 2; }
	echo "$2"
}
HOG=$(suite_num GUEST_HOG "${GUEST_HOG:-60}" 95) || exit 2
FSX_OPS=$(suite_num GUEST_FSX_OPS "${GUEST_FSX_OPS:-3000}") || exit 2
FIO_MIB=$(suite_num GUEST_FIO_MIB "${GUEST_FIO_MIB:-16}") || exit 2
SUITE_LIMIT=$(suite_num GUEST_SUITE_LIMIT "${GUEST_SUITE_LIMIT:-900}") || exit 2
IO_SECS=$(suite_num GUEST_IO_SECS "${GUEST_IO_SECS:-30}") || exit 2
FAULT_TIMES=$(suite_num GUEST_FAULT_TIMES "${GUEST_FAULT_TIMES:-2000}") || exit 2
FAULT_PROB=$(suite_num GUEST_FAULT_PROB "${GUEST_FAULT_PROB:-1}" 100) || exit 2
FAULT_SECS=$(suite_num GUEST_FAULT_SECS "${GUEST_FAULT_SECS:-40}") || exit 2

suite_reports() { dmesg | grep -Ec "$SUITE_REPORTS"; }
suite_hung() { dmesg | grep -Ec "$SUITE_HUNG"; }
suite_fserr() { dmesg | grep -Ec "$SUITE_FSERR"; }

# suite_name KEY: the result name of a plan's suite key.
suite_name() {
	case $1 in
	fsx) echo fsx ;;
	fio) echo fio_verify ;;
	io) echo nfstest_io ;;
	posix) echo nfstest_posix ;;
	open) echo nfstest_posix_open ;;
	lock) echo nfstest_lock ;;
	alloc) echo nfstest_alloc ;;
	sparse) echo nfstest_sparse ;;
	dio) echo nfstest_dio ;;
	ackcheck) echo ackwriter_control ;;
	*) echo "unknown_suite_$1" ;;
	esac
}

# suite_row SUITE RUN PASSED FAILED MISMATCH RC SECS REP0 HUNG0 [NOTE]:
# the KTAP result and the SUITE-ROW line of one suite in this cell. It
# passes only if it ran cases, the failures are exactly the $SUITE_XFAIL
# expected ones, nothing mismatched, it exited 0, and the kernel reported
# nothing and no file system error meanwhile (SUITE_FSERR0: the count
# before; the cell's start when unset).
suite_row() {
	local s=$1 run=$2 pass=$3 fail=$4 mis=$5 rc=$6 secs=$7 note=${10:-} xf=$SUITE_XFAIL
	local rep=$(($(suite_reports) - $8)) hung=$(($(suite_hung) - $9))
	local fse=$(($(suite_fserr) - ${SUITE_FSERR0:-0})) nohog=0
	SUITE_XFAIL=0
	[ "$fse" = 0 ] || note="${note:+$note; }$fse file system errors in dmesg"
	if [ -n "$CELL_HOG_PID" ] && ! kill -0 "$CELL_HOG_PID" 2>/dev/null; then
		nohog=1
		note="${note:+$note; }the memory hog had died"
	fi
	printf '# SUITE-ROW {"suite": "%s", "cell": "%s", "run": %d, "passed": %d, ' \
		"$s" "$CELL" "$run" "$pass"
	printf '"failed": %d, "xfail": %d, "mismatch": %d, "reports": %d, "hung": %d, ' \
		"$fail" "$xf" "$mis" "$rep" "$hung"
	printf '"rc": %d, "secs": %d, "note": "%s"}\n' "$rc" "$secs" "${note//\"/\'}"
	local msg="$s $CELL: $run run, $pass passed, $fail failed"
	[ "$xf" = 0 ] || msg="$msg ($xf of them also on local ext4)"
	msg="$msg, $mis mismatches, $rep kernel reports, $hung hung, exit $rc, ${secs}s"
	msg="$msg${note:+ ($note)}"
	if [ "$run" -gt 0 ] && [ "$fail" = "$xf" ] && [ $((pass + fail)) = "$run" ] &&
		[ "$mis" = 0 ] && [ "$rc" = 0 ] && [ "$rep" = 0 ] && [ "$hung" = 0 ] &&
		[ "$fse" = 0 ] && [ "$nohog" = 0 ]; then
		ktap_ok "$msg"
	else
		ktap_fail "$msg"
	fi
}

# suite_setup_failed SUITE WHY: a failed result for a suite that could
# not start.
suite_setup_failed() {
	suite_row "$1" 0 0 0 0 99 0 "$(suite_reports)" "$(suite_hung)" "$2"
}

# suite_tail FILE [N]: the end of a suite's output as diagnostics.
suite_tail() { tail -n "${2:-25}" "$1" | cut -c1-200 | sed 's/^/#   /'; }

# suite_mnt_ok: the export is still mounted over NFS at $SUITE_MNT (a
# suite must never run on the guest's root file system).
suite_mnt_ok() { [ "$(stat -f -c %T "$SUITE_MNT" 2>/dev/null)" = nfs ]; }

# nfs_mounts: NFS mounts left in the guest.
nfs_mounts() { awk '$3 ~ /^nfs4?$/ { print $2 }' /proc/mounts; }

# suite_umount DIR: unmount DIR; a forced, then a lazy unmount if busy
# (diagnosed: a mount left behind fails the next cell's setup).
suite_umount() {
	mountpoint -q "$1" || return 0
	timeout -k 10 60 umount "$1" 2>/dev/null && return 0
	diag "$1 is busy or stuck: umount -f"
	timeout -k 10 60 umount -f "$1" 2>/dev/null || timeout -k 10 60 umount -l "$1"
}

# nfsd_written: bytes nfsd wrote (the "io" line of /proc/net/rpc/nfsd).
nfsd_written() { awk '$1 == "io" { print $3 }' /proc/net/rpc/nfsd 2>/dev/null || echo 0; }

# cell_begin CELL: NFS server on a fresh FS, switch, LOCALIO and load as
# CELL says, and the export mounted at $SUITE_MNT; checks that LOCALIO is
# or is not in use as asked, and that the hog runs.
cell_begin() {
	local vers fs io sw load extra w0 w1
	IFS=: read -r vers fs io sw load extra <<<"$1"
	CELL=$1
	CELL_VERS=$vers
	CELL_HOG_PID=""
	SUITE_FSERR0=$(suite_fserr)
	case "$vers:$fs:$io:$sw:$load:$extra" in
	3:* | 4.1:* | 4.2:*) ;;
	*) diag "bad cell $1: version 3, 4.1 or 4.2" && return 1 ;;
	esac
	case "$fs:$io:$sw:$load:$extra" in
	ext4:* | xfs:*) ;;
	*) diag "bad cell $1: file system ext4 or xfs" && return 1 ;;
	esac
	case "$io:$sw:$load:$extra" in
	rpc:on:idle: | rpc:on:hog: | rpc:off:idle: | rpc:off:hog: | localio:on:idle: | \
		localio:on:hog: | localio:off:idle: | localio:off:hog:) ;;
	*) diag "bad cell $1: io rpc or localio, switch on or off, load idle or hog" && return 1 ;;
	esac
	if [ -n "$(nfs_mounts)" ]; then
		diag "NFS mounts left from before: $(nfs_mounts | tr '\n' ' ')"
		return 1
	fi
	rm -rf "$SUITE_WORK"
	mkdir -p "$SUITE_WORK" "$SUITE_MNT" "$NFSTEST_MNT"
	nfs_server_start "$fs" || return 1
	localio_set "$io" || { diag "cannot set LOCALIO $io"; return 1; }
	if [ "$sw" = on ]; then
		scope_set on && { [ ! -w "$NFS_MAXRATIO" ] || echo "$MAXRATIO0" >"$NFS_MAXRATIO"; }
	else
		scope_set off && echo 0 >"$NFS_MAXRATIO"
	fi || { diag "cannot set the switch $sw"; return 1; }
	# NFSv3 locks (nfstest_lock, fcntl in nfstest_posix) need rpc.statd.
	[ "$vers" != 3 ] || pgrep -x rpc.statd >/dev/null || rpc.statd --no-notify ||
		{ diag "rpc.statd failed"; return 1; }
	step "mount $CELL" mount -t nfs -o "vers=$vers" "127.0.0.1:$EXPORT" "$SUITE_MNT" || return 1
	# The I/O path: 2 MiB written and fsynced must go through nfsd over
	# RPC, and must not with LOCALIO.
	# LOCALIO's probe may take a while under KASAN: up to 10 tries.
	local try
	for try in 1 2 3 4 5 6 7 8 9 10; do
		w0=$(nfsd_written)
		dd if=/dev/zero of="$SUITE_MNT/.iopath" bs=1M count=2 conv=fsync status=none ||
			{ diag "cannot write to $SUITE_MNT"; return 1; }
		w1=$(nfsd_written)
		case "$w0$w1" in '' | *[!0-9]*) diag "no nfsd write counter" && return 1 ;; esac
		[ "$io" = localio ] && [ $((w1 - w0)) -ge 65536 ] || break
		sleep 1
	done
	rm -f "$SUITE_MNT/.iopath"
	diag "nfsd wrote $((w1 - w0)) bytes of a 2 MiB write ($io, try $try)"
	if [ "$io" = rpc ] && [ $((w1 - w0)) -lt 2097152 ]; then
		diag "the cell asks for RPC, but the write did not go through nfsd"
		return 1
	elif [ "$io" = localio ] && [ $((w1 - w0)) -ge 65536 ]; then
		diag "the cell asks for LOCALIO, but the write went through nfsd"
		return 1
	fi
	CELL_DIRTY="vm.dirty_ratio=$(sysctl -n vm.dirty_ratio)"
	CELL_DIRTY+=" vm.dirty_background_ratio=$(sysctl -n vm.dirty_background_ratio)"
	if [ "$load" = hog ]; then
		sysctl -q -w vm.dirty_ratio=5 vm.dirty_background_ratio=2
		stress-ng --vm 1 --vm-bytes "$HOG%" --vm-keep --timeout 3600s >/dev/null 2>&1 &
		CELL_HOG_PID=$!
		sleep 2
		kill -0 "$CELL_HOG_PID" 2>/dev/null || { diag "the memory hog did not start"; return 1; }
	fi
	return 0
}

# cell_end: undo cell_begin; the memory hog must have run to the end.
cell_end() {
	if [ -n "$CELL_HOG_PID" ]; then
		kill -0 "$CELL_HOG_PID" 2>/dev/null || diag "the memory hog died during the cell"
		{ kill "$CELL_HOG_PID" && wait "$CELL_HOG_PID"; } 2>/dev/null
	fi
	pkill -x stress-ng 2>/dev/null
	[ -z "$CELL_DIRTY" ] || sysctl -q -w $CELL_DIRTY
	CELL_DIRTY=""
	suite_umount "$NFSTEST_MNT"
	suite_umount "$SUITE_MNT"
	local rc=0
	timeout -k 10 120 bash -c '. ./lib.sh >/dev/null; nfs_server_stop' || rc=$?
	case $rc in
	0) ;;
	124 | 137) diag "stopping nfsd did not finish within 120 s" ;;
	*) diag "stopping nfsd failed (exit $rc)" ;;
	esac
	scope_set on
	[ ! -w "$NFS_MAXRATIO" ] || [ -z "$MAXRATIO0" ] || echo "$MAXRATIO0" >"$NFS_MAXRATIO"
}

# run_fsx: two fsx processes on two files, $FSX_OPS operations each, with
# the operations this NFS version supports (ALLOCATE and DEALLOCATE from
# 4.2 on; copy_file_range everywhere: COPY on 4.2, the splice fallback
# before). Each must end with fsx's "All operations completed A-OK!".
run_fsx() {
	local cfg=$SUITE_WORK/fsx.toml r0 h0 t0 i p pids="" rc=0 prc pass=0 mis
	r0=$(suite_reports)
	h0=$(suite_hung)
	t0=$(date +%s)
	suite_mnt_ok || { suite_setup_failed fsx "$SUITE_MNT is not an NFS mount"; return; }
	{
		echo 'flen = 1048576'
		echo '[weights]'
		echo 'close_open = 2'
		echo 'invalidate = 1'
		echo 'truncate = 2'
		echo 'fsync = 1'
		echo 'fdatasync = 1'
		echo 'sendfile = 1'
		echo 'posix_fadvise = 1'
		echo 'copy_file_range = 1'
		if [ "$CELL_VERS" = 4.2 ]; then
			echo 'posix_fallocate = 1'
			echo 'punch_hole = 1'
		fi
	} >"$cfg"
	for i in 1 2; do
		mkdir -p "$SUITE_WORK/fsx$i"
		timeout -k 30 "$SUITE_LIMIT" "$FSX" -q -N "$FSX_OPS" -S "$((i * 7919))" -f "$cfg" \
			-P "$SUITE_WORK/fsx$i" "$SUITE_MNT/fsx.$i" >"$SUITE_WORK/fsx$i.out" 2>&1 &
		pids="$pids $!"
	done
	i=0
	for p in $pids; do
		i=$((i + 1))
		prc=0
		wait "$p" || prc=$?
		if [ "$prc" = 0 ] && grep -q 'All operations completed A-OK' "$SUITE_WORK/fsx$i.out"; then
			pass=$((pass + 1))
		else
			[ "$prc" != 0 ] || prc=95
			rc=$prc
			diag "fsx $i exited $prc (its messages, without the operation log):"
			grep -avE '^\[ERROR fsx\] +[0-9]+ ' "$SUITE_WORK/fsx$i.out" | head -n 30 |
				cut -c1-200 | sed 's/^/#   /'
			suite_tail "$SUITE_WORK/fsx$i.out" 3
		fi
	done
	mis=$(cat "$SUITE_WORK"/fsx?.out | grep -c 'miscompare')
	suite_row fsx 2 "$pass" $((2 - pass)) "$mis" "$rc" $(($(date +%s) - t0)) "$r0" "$h0" \
		"$FSX_OPS ops each"
	rm -f "$SUITE_MNT"/fsx.*
}

# run_fio_verify: random writes with a crc32c header in every block, read
# back and checked by the same job, then checked again (verify_only) after
# an unmount and drop_caches, which reads what the server stored. With
# verify_fatal fio stops at its first bad block: the mismatch count says
# whether one was seen.
run_fio_verify() {
	local r0 h0 t0 rc=0 rc2=0 pass=0 mis args
	r0=$(suite_reports)
	h0=$(suite_hung)
	t0=$(date +%s)
	suite_mnt_ok || { suite_setup_failed fio_verify "$SUITE_MNT is not an NFS mount"; return; }
	args="--name=verify --directory=$SUITE_MNT --rw=randwrite --bs=4k --size=${FIO_MIB}m"
	args="$args --numjobs=2 --ioengine=psync --fsync=64 --verify=crc32c"
	args="$args --verify_fatal=1 --randrepeat=1 --randseed=4242 --group_reporting"
	timeout -k 30 "$SUITE_LIMIT" fio $args --do_verify=1 >"$SUITE_WORK/fio1.out" 2>&1 || rc=$?
	[ "$rc" = 0 ] && pass=1
	suite_umount "$SUITE_MNT" && nfslb_drop_caches &&
		mount -t nfs -o "vers=$CELL_VERS" "127.0.0.1:$EXPORT" "$SUITE_MNT" && suite_mnt_ok ||
		rc2=99
	if [ "$rc2" = 0 ]; then
		timeout -k 30 "$SUITE_LIMIT" fio $args --verify_only >"$SUITE_WORK/fio2.out" 2>&1 ||
			rc2=$?
	fi
	[ "$rc2" = 0 ] && pass=$((pass + 1))
	mis=$(cat "$SUITE_WORK"/fio?.out 2>/dev/null | grep -Ec 'verify: bad|verify failed|bad magic')
	[ "$rc" = 0 ] || { diag "fio write+verify exited $rc:"; suite_tail "$SUITE_WORK/fio1.out"; }
	[ "$rc2" = 0 ] || { diag "fio verify_only exited $rc2 (99: no remount)"; }
	[ "$rc2" = 0 ] || [ "$rc2" = 99 ] || suite_tail "$SUITE_WORK/fio2.out"
	[ "$rc" = 0 ] || rc2=$rc
	suite_row fio_verify 2 "$pass" $((2 - pass)) "$mis" "$rc2" $(($(date +%s) - t0)) \
		"$r0" "$h0" "${FIO_MIB} MiB x 2 jobs"
	rm -f "$SUITE_MNT"/verify.*
}

# nfstest_counts OUT FAILS: NT_RUN and NT_PASS from nfstest's summary
# line in OUT; its FAIL/BUG lines, one a line, into FAILS.
nfstest_counts() {
	local sum
	NT_RUN=0
	NT_PASS=0
	sum=$(grep -aE '^[0-9]+ tests \([0-9]+ passed, [0-9]+ failed' "$1" | tail -n 1)
	if [ -n "$sum" ]; then
		NT_RUN=${sum%% *}
		NT_PASS=$(echo "$sum" | sed -E 's/.*\(([0-9]+) passed.*/\1/')
	fi
	grep -aE '^ *(FAIL|BUG):' "$1" | sed -E 's/^ +//' >"$2"
}

# nfsd_ops: how many ALLOCATE (op 59), DEALLOCATE (62) and SEEK (69)
# operations nfsd served (the "proc4ops" line of /proc/net/rpc/nfsd;
# op N is field N + 3).
nfsd_ops() {
	awk '$1 == "proc4ops" { print "ALLOCATE=" $62, "DEALLOCATE=" $65, "SEEK=" $72 }' \
		/proc/net/rpc/nfsd 2>/dev/null
}

# run_nfstest NAME TOOL [ARGS...]: one tool of the NFS Test Suite. It
# mounts the export itself (at $NFSTEST_MNT, with this cell's version)
# and prints "N tests (P passed, F failed...)" at the end; known bugs
# (BUG:) count as failed here.
run_nfstest() {
	local name=$1 tool=$2 r0 h0 t0 rc=0 out ops0
	shift 2
	r0=$(suite_reports)
	h0=$(suite_hung)
	t0=$(date +%s)
	out=$SUITE_WORK/$name.out
	ops0=$(nfsd_ops)
	timeout -k 30 "$SUITE_LIMIT" "$tool" -s 127.0.0.1 -e "$EXPORT" --nfsversion "$CELL_VERS" \
		-m "$NFSTEST_MNT" --client-ipaddr 127.0.0.1 --interface lo --notty --rmtraces \
		--tmpdir "$SUITE_WORK" "$@" >"$out" 2>&1 || rc=$?
	nfstest_counts "$out" "$SUITE_WORK/$name.fails"
	diag "$name: nfsd served, before: $ops0; after: $(nfsd_ops);" \
		"nfstest's assertions that an operation was sent: $(grep -ac 'should be sent to' "$out")"
	if [ "$rc" != 0 ] || [ "$NT_RUN" != "$NT_PASS" ] || [ "$NT_RUN" = 0 ]; then
		diag "$tool exited $rc; its failed tests (TEST: and the FAIL: lines after it):"
		grep -aE '^ *(TEST|FAIL|BUG):' "$out" | grep -aE -B1 '^ *(FAIL|BUG):' |
			grep -av '^--' | uniq -c | head -n 30 | cut -c1-200 | sed 's/^/#   /'
		suite_tail "$out" 8
	fi
	suite_umount "$NFSTEST_MNT"
	suite_row "$name" "$NT_RUN" "$NT_PASS" $((NT_RUN - NT_PASS)) 0 "$rc" \
		$(($(date +%s) - t0)) "$r0" "$h0" "$*"
}

# nfstest_posix minus its "open" test: every POSIX call it checks.
POSIX_TESTS="access,chdir,close,closedir,creat,fcntl,fdatasync,fstat,fstatvfs,fsync,link,lseek"
POSIX_TESTS="$POSIX_TESTS,lstat,mkdir,mmap,munmap,opendir,read,readdir,readlink,rename"
POSIX_TESTS="$POSIX_TESTS,rewinddir,rmdir,seekdir,stat,statvfs,symlink,sync,telldir,unlink"
POSIX_TESTS="$POSIX_TESTS,write,chmod"

# run_posix_open: nfstest_posix's "open" test (every combination of open
# flags on an existent, a non-existent file and a symbolic link; each
# combination a result, --tverbose verbose), on the NFS mount and, as the
# reference, on a local ext4 directory (--nomount, the guest's root): NFS
# must fail exactly where the local file system fails (the same FAIL
# lines, flags included). nfstest 3.2
# expects EEXIST for O_CREAT|O_EXCL|O_DIRECTORY on an existent file,
# where Linux returns EINVAL since 6.4 for any O_CREAT|O_DIRECTORY; the
# reference run shows that failure is the suite's, not NFS's.
run_posix_open() {
	local r0 h0 t0 rc=0 lrc=0 local_dir=/var/tmp/posix-local nfs_run nfs_pass diff einval
	local opts="--notty --rmtraces --tmpdir $SUITE_WORK --runtest open --tverbose verbose"
	r0=$(suite_reports)
	h0=$(suite_hung)
	t0=$(date +%s)
	timeout -k 30 "$SUITE_LIMIT" nfstest_posix -s 127.0.0.1 -e "$EXPORT" \
		--nfsversion "$CELL_VERS" -m "$NFSTEST_MNT" $opts >"$SUITE_WORK/open.out" 2>&1 ||
		rc=$?
	suite_umount "$NFSTEST_MNT"
	nfstest_counts "$SUITE_WORK/open.out" "$SUITE_WORK/open.fails"
	nfs_run=$NT_RUN
	nfs_pass=$NT_PASS
	rm -rf "$local_dir"
	mkdir -p "$local_dir"
	timeout -k 30 "$SUITE_LIMIT" nfstest_posix -s 127.0.0.1 -e "$EXPORT" -m "$local_dir" \
		--nomount $opts >"$SUITE_WORK/open-local.out" 2>&1 || lrc=$?
	nfstest_counts "$SUITE_WORK/open-local.out" "$SUITE_WORK/open-local.fails"
	rm -rf "$local_dir"
	diff=$(diff "$SUITE_WORK/open-local.fails" "$SUITE_WORK/open.fails")
	einval="$(grep -ac 'expecting EEXIST, got EINVAL' "$SUITE_WORK/open.out") on NFS,"
	einval="$einval $(grep -ac 'expecting EEXIST, got EINVAL' "$SUITE_WORK/open-local.out") local"
	diag "open on NFS: $nfs_pass of $nfs_run passed; on local ext4: $NT_PASS of $NT_RUN"
	diag "results that got EINVAL where nfstest wants EEXIST: $einval"
	if [ -s "$SUITE_WORK/open.fails" ]; then
		diag "failures on NFS ($(wc -l <"$SUITE_WORK/open.fails")), the first 4:"
		head -n 4 "$SUITE_WORK/open.fails" | cut -c1-200 | sed 's/^/#   /'
	fi
	# The number of results may differ: where POSIX leaves an outcome
	# unspecified (O_RDONLY|O_TRUNC, O_EXCL without O_CREAT), nfstest
	# passes either, but checks the file further only after an open that
	# succeeded; NFS and ext4 may take different branches there.
	[ "$nfs_run" = "$NT_RUN" ] ||
		diag "results: $nfs_run on NFS, $NT_RUN local (may be unspecified outcomes)"
	if [ -n "$diff" ] || [ "$nfs_run" = 0 ] || [ "$NT_RUN" = 0 ] || [ "$rc" != "$lrc" ]; then
		diag "NFS differs from local ext4 (exit $rc vs $lrc):"
		echo "$diff" | head -n 20 | cut -c1-200 | sed 's/^/#   /'
		[ "$rc" != 0 ] || rc=94
		suite_row nfstest_posix_open "$nfs_run" "$nfs_pass" $((nfs_run - nfs_pass)) 0 "$rc" \
			$(($(date +%s) - t0)) "$r0" "$h0" "NFS differs from local ext4"
	else
		# The failures, and so the exit code, are the local file system's.
		SUITE_XFAIL=$((nfs_run - nfs_pass))
		suite_row nfstest_posix_open "$nfs_run" "$nfs_pass" $((nfs_run - nfs_pass)) 0 0 \
			$(($(date +%s) - t0)) "$r0" "$h0" "same as local ext4, exit $rc on both"
	fi
}

# run_nfstest_io: nfstest_io's random create/read/write/rename/lock load
# on the mounted export, with its statistics (-v info). It does not check
# data (fsx and fio do); nfstest_io counts the errors of its operations
# and prints them, and exits 0 regardless, so the result is read from
# its output: statistics present, no ERROR line.
run_nfstest_io() {
	local r0 h0 t0 rc=0 pass=0 out=$SUITE_WORK/io.out errs
	r0=$(suite_reports)
	h0=$(suite_hung)
	t0=$(date +%s)
	suite_mnt_ok || { suite_setup_failed nfstest_io "$SUITE_MNT is not an NFS mount"; return; }
	timeout -k 30 "$SUITE_LIMIT" nfstest_io -d "$SUITE_MNT/io" -s 4242 -n 2 -r "$IO_SECS" \
		-v info --exiterr >"$out" 2>&1 || rc=$?
	errs=$(grep -acE 'ERROR|Traceback' "$out")
	if [ "$rc" = 0 ] && [ "$errs" = 0 ] && grep -aq 'WRITE: ' "$out"; then
		pass=1
	else
		diag "nfstest_io exited $rc, $errs error lines:"
		grep -aE -A3 'ERROR|Traceback' "$out" | head -n 20 | cut -c1-200 | sed 's/^/#   /'
		suite_tail "$out" 8
		[ "$rc" != 0 ] || rc=93
	fi
	suite_row nfstest_io 1 "$pass" $((1 - pass)) 0 "$rc" $(($(date +%s) - t0)) "$r0" "$h0" \
		"2 processes, $IO_SECS s, $(grep -aoE '(WRITE|READ): +[0-9]+' "$out" | tr -s ' ' |
			tr '\n' ' ')"
	rm -rf "$SUITE_MNT/io"
}

# run_ackcheck: the control of the fault cells' check. ackwriter.py
# writes for 10 s without faults and its verify must find nothing lost;
# then one byte of an acknowledged record is changed on the exported
# file system itself, and verify, over a fresh mount, must find it.
run_ackcheck() {
	local r0 h0 t0 rc=0 out1 out2 lost1 lost2 pass=0
	r0=$(suite_reports)
	h0=$(suite_hung)
	t0=$(date +%s)
	suite_mnt_ok ||
		{ suite_setup_failed ackwriter_control "$SUITE_MNT is not an NFS mount"; return; }
	timeout -k 30 120 python3 ./ackwriter.py write "$SUITE_MNT" "$SUITE_WORK/acks" 10 0 \
		>"$SUITE_WORK/ack.out" 2>&1 || rc=$?
	suite_umount "$SUITE_MNT" && nfslb_drop_caches &&
		mount -t nfs -o "vers=$CELL_VERS" "127.0.0.1:$EXPORT" "$SUITE_MNT" || rc=98
	out1=$(timeout -k 30 300 python3 ./ackwriter.py verify "$SUITE_MNT" "$SUITE_WORK/acks")
	lost1=$(echo "$out1" | sed -n 's/^lost=//p')
	suite_umount "$SUITE_MNT"
	printf 'X' | dd of="$EXPORT/a" bs=1 seek=100 conv=notrunc,fsync status=none || rc=97
	nfslb_drop_caches
	mount -t nfs -o "vers=$CELL_VERS" "127.0.0.1:$EXPORT" "$SUITE_MNT" || rc=98
	out2=$(timeout -k 30 300 python3 ./ackwriter.py verify "$SUITE_MNT" "$SUITE_WORK/acks")
	lost2=$(echo "$out2" | sed -n 's/^lost=//p')
	diag "ackwriter: $(grep -a acked= "$SUITE_WORK/ack.out"); before the change" \
		"lost=${lost1:-?}, after changing one byte on the export lost=${lost2:-?}"
	[ "$rc" = 0 ] && [ "${lost1:-x}" = 0 ] && [ "${lost2:-x}" = 1 ] && pass=1
	[ "$pass" = 1 ] || [ "$rc" != 0 ] || rc=92
	suite_row ackwriter_control 1 "$pass" $((1 - pass)) 0 "$rc" $(($(date +%s) - t0)) \
		"$r0" "$h0" "lost ${lost1:-?} before, ${lost2:-?} after a 1-byte change (want 0, 1)"
	rm -f "$SUITE_MNT/a" "$SUITE_MNT/b"
}

# suites_cell CELL SUITE...: run the SUITEs (plan keys: fsx fio io posix
# open lock alloc sparse dio ackcheck) in CELL; a cell that cannot be set
# up fails each of its suites.
suites_cell() {
	local cell=$1 s
	shift
	diag "cell $cell: $*"
	if ! cell_begin "$cell"; then
		for s in "$@"; do suite_setup_failed "$(suite_name "$s")" "cell setup failed"; done
		cell_end
		return 0
	fi
	for s in "$@"; do
		case $s in
		fsx) run_fsx ;;
		fio) run_fio_verify ;;
		io) run_nfstest_io ;;
		posix) run_nfstest nfstest_posix nfstest_posix --runtest "${GUEST_POSIX_TESTS:-$POSIX_TESTS}" ;;
		open) run_posix_open ;;
		# nptest/optest (a second process) die in nfstest 3.2's rexec
		# under trixie's Python ("KeyError: 'fcntl'").
		lock) run_nfstest nfstest_lock nfstest_lock --runtest "${GUEST_LOCK_TESTS:-btest01}" ;;
		alloc) run_nfstest nfstest_alloc nfstest_alloc --runtest alloc,dealloc ;;
		sparse) run_nfstest nfstest_sparse nfstest_sparse ;;
		dio) run_nfstest nfstest_dio nfstest_dio ;;
		ackcheck) run_ackcheck ;;
		*) suite_setup_failed "$(suite_name "$s")" "unknown suite" ;;
		esac
	done
	cell_end
}

# The fault-injection cells (kernels with CONFIG_FAULT_INJECTION_DEBUG_FS,
# make suites' KASAN build). KIND failslab or fail_page_alloc: faults in
# nfsd's threads (task-filter, /proc/PID/make-it-fail), sleeping and page
# cache (highmem) allocations included; over RPC in nfsd only, with
# LOCALIO also in the writer's open(), pwrite() and fsync() calls (the
# LOCALIO I/O runs in its workers, which like rpciod and xprtiod have no
# make-it-fail, and nfsd does only the metadata operations). fail_sunrpc:
# transport disconnects of client and server (not cache-wait failures).
# ackwriter.py writes, fsyncs and records what was acknowledged; when the
# faults stop, a new file must be written and fsynced (the export
# recovered), and a fresh mount must read back every acknowledged byte.
FI=/sys/kernel/debug
fault_setup() {
	local kind=$1 d=$FI/$1
	[ -d "$d" ] || return 1
	echo 0 >"$d/probability" && echo "$FAULT_TIMES" >"$d/times" && echo 1 >"$d/interval" &&
		echo 0 >"$d/space" && echo 0 >"$d/verbose" || return 1
	case $kind in
	failslab)
		echo N >"$d/ignore-gfp-wait" && echo Y >"$d/task-filter"
		;;
	fail_page_alloc)
		echo N >"$d/ignore-gfp-wait" && echo N >"$d/ignore-gfp-highmem" &&
			echo 0 >"$d/min-order" && echo Y >"$d/task-filter"
		;;
	fail_sunrpc)
		echo N >"$d/ignore-client-disconnect" && echo N >"$d/ignore-server-disconnect" &&
			echo Y >"$d/ignore-cache-wait" && echo N >"$d/task-filter"
		;;
	*) false ;;
	esac
}

fault_off() { [ ! -d "$FI/$1" ] || echo 0 >"$FI/$1/probability"; }

# fault_row_missing KIND VERS IO SW INJECTED RC WHY: the FAULT-ROW of a
# cell that has no figures (-1: none), so the table lists every cell.
fault_row_missing() {
	printf '# FAULT-ROW {"kind": "%s", "vers": "%s", "io": "%s", "switch": "%s", ' "$1" "$2" "$3" "$4"
	printf '"injected": %d, "nfsd_threads": -1, "errors": -1, "acked": -1, "checked": -1, ' "$5"
	printf '"lost": -1, "recovered": 0, "rc": %d, "spent": "%s"}\n' "$6" "$7"
}
FAULT_STUCK=""

# fault_cell KIND VERS IO [SWITCH]: one fault-injection result (SWITCH on
# by default; off: the same faults on vanilla behaviour).
fault_cell() {
	local kind=$1 vers=$2 io=$3 sw=${4:-on} r0 h0 t0 rc=0 left injected p nthr=0 out errs acked lost
	local checked pid deadline spent="" after=0 t1
	r0=$(suite_reports)
	h0=$(suite_hung)
	t0=$(date +%s)
	CELL="$vers:ext4:$io:$sw:$kind"
	if [ -n "$FAULT_STUCK" ]; then
		fault_row_missing "$kind" "$vers" "$io" "$sw" 0 99 "not run"
		suite_setup_failed "fault_$kind" "not run: the writer of $FAULT_STUCK hangs"
		return 0
	fi
	if ! fault_setup "$kind"; then
		suite_setup_failed "fault_$kind" "cannot set up $FI/$kind"
		return 0
	fi
	if ! cell_begin "$vers:ext4:$io:$sw:idle"; then
		CELL="$vers:ext4:$io:$sw:$kind"
		suite_setup_failed "fault_$kind" "cell setup failed"
		cell_end
		return 0
	fi
	CELL="$vers:ext4:$io:$sw:$kind"
	if [ "$kind" != fail_sunrpc ]; then
		for p in $(nfslb_nfsd_pids); do
			echo 1 >"/proc/$p/make-it-fail" && nthr=$((nthr + 1))
		done
	fi
	echo "$FAULT_PROB" >"$FI/$kind/probability"
	# Over RPC the faults are nfsd's alone; with LOCALIO, whose I/O nfsd
	# does not do, the writer's own calls are in them.
	python3 ./ackwriter.py write "$SUITE_MNT" "$SUITE_WORK/acks" "$FAULT_SECS" \
		"$([ "$kind" != fail_sunrpc ] && [ "$io" = localio ] && echo 1 || echo 0)" \
		>"$SUITE_WORK/aw.out" 2>&1 &
	pid=$!
	t1=$(date +%s)
	# The writer stops starting batches after its time; a batch may take
	# longer while faults make nfsd ask for retries. At its time plus
	# 60 s the faults stop; it must then end within 120 s more (a retry),
	# or it hangs. Note when the faults ran out (times reached 0).
	deadline=$((t1 + FAULT_SECS + 60))
	while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
		[ -n "$spent" ] || [ "$(cat "$FI/$kind/times")" != 0 ] ||
			spent="all $FAULT_TIMES faults spent after $(($(date +%s) - t1)) s"
		sleep 1
	done
	fault_off "$kind"
	if kill -0 "$pid" 2>/dev/null; then
		diag "the writer still runs $((FAULT_SECS + 60)) s in: faults stopped"
		spent="${spent:+$spent; }faults stopped at $((FAULT_SECS + 60)) s with the writer running"
		deadline=$(($(date +%s) + 120))
		while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$deadline" ]; do
			sleep 1
		done
	fi
	if kill -0 "$pid" 2>/dev/null; then
		diag "the writer did not end 120 s after the faults stopped; blocked tasks:"
		echo w >/proc/sysrq-trigger
		sleep 2
		dmesg | grep -E -A 40 'task:.* state:D' | head -n 400 | cut -c1-200 |
			sed 's/^/#   /'
		kill -9 "$pid" 2>/dev/null
		sleep 5
		if kill -0 "$pid" 2>/dev/null; then
			# Its fsync cannot be killed: the mount is stuck, and so
			# would be every step after this one.
			FAULT_STUCK="$kind $vers $io $sw"
			diag "the writer cannot be killed; the later fault cells do not run"
			fault_row_missing "$kind" "$vers" "$io" "$sw" "$((FAULT_TIMES - $(cat \
				"$FI/$kind/times")))" 124 "hung"
			suite_row "fault_$kind" 1 0 1 0 124 $(($(date +%s) - t0)) "$r0" "$h0" \
				"hung: the writer blocked after the faults stopped"
			return 0
		fi
		rc=124
	fi
	p=0
	wait "$pid" 2>/dev/null || p=$?
	[ "$rc" != 0 ] || rc=$p
	left=$(cat "$FI/$kind/times")
	injected=$((FAULT_TIMES - left))
	for p in $(nfslb_nfsd_pids); do echo 0 >"/proc/$p/make-it-fail"; done
	errs=$(sed -n 's/^errors=//p' "$SUITE_WORK/aw.out")
	acked=$(sed -n 's/^acked=//p' "$SUITE_WORK/aw.out")
	# The export recovered: a new file written and fsynced.
	timeout -k 30 120 dd if=/dev/zero of="$SUITE_MNT/after" bs=1M count=4 conv=fsync \
		status=none 2>"$SUITE_WORK/after.err" && after=1
	[ "$after" = 1 ] || { diag "writing after the faults failed:"; suite_tail "$SUITE_WORK/after.err"; }
	# A fresh mount, after the caches are dropped.
	suite_umount "$SUITE_MNT" && nfslb_drop_caches &&
		mount -t nfs -o "vers=$vers" "127.0.0.1:$EXPORT" "$SUITE_MNT" || rc=98
	out=$(timeout -k 30 300 python3 ./ackwriter.py verify "$SUITE_MNT" "$SUITE_WORK/acks" 2>&1) ||
		{ [ "$rc" != 0 ] || rc=96; }
	lost=$(echo "$out" | sed -n 's/^lost=//p')
	checked=$(echo "$out" | sed -n 's/^checked=//p')
	diag "$kind: $injected faults injected (nfsd threads with make-it-fail: $nthr)," \
		"${errs:-?} errors surfaced to the writer, ${acked:-?} bytes acknowledged," \
		"${checked:-?} bytes checked at the end, ${lost:-?} lost${spent:+; $spent}"
	grep -a '^error' "$SUITE_WORK/aw.out" | head -n 5 | cut -c1-200 | sed 's/^/#   /'
	[ "$rc" = 0 ] || { suite_tail "$SUITE_WORK/aw.out" 10; echo "$out" | tail -n 5 | sed 's/^/#   /'; }
	printf '# FAULT-ROW {"kind": "%s", "vers": "%s", "io": "%s", "switch": "%s", ' \
		"$kind" "$vers" "$io" "$sw"
	printf '"injected": %d, ' "$injected"
	# -1: the writer or the check printed no figure.
	printf '"nfsd_threads": %d, "errors": %d, "acked": %d, "checked": %d, "lost": %d, ' \
		"$nthr" "${errs:--1}" "${acked:--1}" "${checked:--1}" "${lost:--1}"
	printf '"recovered": %d, "rc": %d, "spent": "%s"}\n' "$after" "$rc" "$spent"
	# A fault test that injected nothing could not have failed.
	if [ "$rc" = 0 ] && [ "$injected" -gt 0 ] && [ "${lost:-x}" = 0 ] &&
		[ "${checked:-0}" -gt 0 ] && [ "$after" = 1 ] &&
		{ [ "$kind" = fail_sunrpc ] || [ "$nthr" -gt 0 ]; }; then
		suite_row "fault_$kind" 1 1 0 0 "$rc" $(($(date +%s) - t0)) "$r0" "$h0" \
			"$injected injected, $errs errors surfaced, 0 of $checked bytes checked lost"
	else
		[ "$rc" != 0 ] || rc=91
		suite_row "fault_$kind" 1 0 1 "${lost:-0}" "$rc" $(($(date +%s) - t0)) "$r0" "$h0" \
			"$injected injected, ${lost:-?} of ${checked:-?} bytes lost, recovered $after"
	fi
	cell_end
}
