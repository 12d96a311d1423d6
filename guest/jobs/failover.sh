#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make failover: one node of a two-node HA NFS cluster (scripts/failover.sh
# boots both). The nodes share a disk (/dev/vdd) and a private link
# (eth0, 192.0.2.0/24); 192.0.2.10 is the NFS service's floating address.
#
# GUEST_ROLE=a: make the shared file system, take the floating address,
# start the NFS service (ha_start), print "FAILOVER-A: serving" and wait
# to be powered off by the host.
#
# GUEST_ROLE=b: mount the service (NFS version GUEST_VERS, over RPC or
# LOCALIO: GUEST_IO) from A, run an fsync-recording writer
# (ackwriter.py) and, with GUEST_LOAD=hog, a memory hog with low dirty
# limits; print "FAILOVER-B: writing". Watch A through the link; when A
# is gone, take over: the shared disk (journal replay), the floating
# address and the NFS service with the switch as GUEST_SWITCH says. The
# writer's mount is now a loop-back one. Then check and print as KTAP
# results, plus one FAILOVER-ROW JSON line (scripts/failover_report.py):
#   - every batch acknowledged before A died is on the disk right after
#     the journal replay, before nfsd starts; every batch acknowledged
#     by the end is on the disk after the service stopped and the disk
#     was mounted again;
#   - the writer acknowledged again within the grace time plus
#     GUEST_RESUME_BOUND seconds of nfsd's start, and ended when told;
#   - nfsd's page allocations that may enter file-system reclaim after
#     the takeover (the deterministic signal of the kselftests): 0 with
#     the switch on, shown with it off;
#   - the requests nfsd served as loop-back ones after the takeover;
#   - what allocated with __GFP_FS and direct reclaim, and what called
#     into the NFS client's reclaim paths, in the fail-over window (from
#     A's loss to the writer's first acknowledgement after it).
. ./lib.sh

ROLE=${GUEST_ROLE:?GUEST_ROLE a or b}
VERS=${GUEST_VERS:-4.2}
LOAD=${GUEST_LOAD:-hog}
SWITCH=${GUEST_SWITCH:-on}
IO=${GUEST_IO:-rpc}
HOG=${GUEST_HOG:-80}
RESUME_BOUND=${GUEST_RESUME_BOUND:-30}
POST_SECS=${GUEST_SECONDS:-30}
GRACE=10
SHARED=/dev/vdd
HA=/srv/ha
HA_EXPORT=$HA/export
VIP=192.0.2.10
A_IP=192.0.2.1
B_IP=192.0.2.2
MNT=/mnt/ha
W=/tmp/fo
mkdir -p "$W"

case "$ROLE:$VERS:$LOAD:$SWITCH:$IO" in
[ab]:3:idle:on:rpc | [ab]:3:idle:off:rpc | [ab]:3:hog:on:rpc | [ab]:3:hog:off:rpc | \
	[ab]:4.2:idle:on:rpc | [ab]:4.2:idle:off:rpc | [ab]:4.2:hog:on:rpc | [ab]:4.2:hog:off:rpc | \
	[ab]:3:*:on:localio | [ab]:4.2:*:on:localio | [ab]:3:*:off:localio | [ab]:4.2:*:off:localio) ;;
*)
	echo "# bad run $ROLE:$VERS:$LOAD:$SWITCH:$IO: role a|b, NFS 3|4.2, idle|hog, on|off, rpc|localio"
	exit 2
	;;
esac

up() { awk '{ print $1 }' /proc/uptime; }
# stuck_dump: what a stall looks like from inside: the blocked tasks
# (sysrq-w, the last dump only), memory, nfsd's threads' stacks, the TCP
# connections and nfsd's counts.
stuck_dump() {
	local p
	echo w >/proc/sysrq-trigger
	dmesg | awk '/sysrq: Show Blocked State/ { buf = "" } { buf = buf $0 "\n" } END { printf "%s", buf }' |
		grep -v '^$' | tail -n 150 | sed 's/^/#   /'
	diag "memory:"
	grep -E '^(MemFree|MemAvailable|Dirty|Writeback|Active\(file\)|Inactive\(file\)):' /proc/meminfo | sed 's/^/#   /'
	for p in $(pgrep -x nfsd); do
		diag "nfsd $p: $(tr '\n' ' ' <"/proc/$p/stack" 2>/dev/null | cut -c1-400)"
	done
	diag "TCP:"
	ss -tn 2>/dev/null | sed 's/^/#   /'
	show_nfsd_stats
}

# nfsd_written: the bytes nfsd wrote (the "io" line of its statistics).
nfsd_written() { awk '$1 == "io" { print $3 }' /proc/net/rpc/nfsd 2>/dev/null; }
# ms A B: milliseconds from uptime A to uptime B.
ms() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%d\n", (b - a) * 1000 }'; }

# The node's identity: the NFSv4 client's id string is made from it.
hostname "node$ROLE"
ip link set eth0 up || { echo "# no eth0: the link between the nodes is missing"; exit 2; }
ip addr add "$([ "$ROLE" = a ] && echo $A_IP || echo $B_IP)/24" dev eth0

# The NFS service's configuration, the same on both nodes: the server
# scope is the service's, not the node's (a client reclaims its state
# only from a server of the same scope); nfsdcld keeps the NFSv4 client
# records on the shared disk, so the node that takes over knows the
# clients that may reclaim, and ends the grace period once they all did.
cat >/etc/nfs.conf <<EOF
[nfsd]
threads=8
grace-time=$GRACE
lease-time=$GRACE
scope=nfs-ha
vers3=y
vers4.2=y
[nfsdcld]
storagedir=$HA/nfsdcld
EOF
echo "$HA_EXPORT 192.0.2.0/24(rw,fsid=7,no_root_squash,no_subtree_check,insecure)" >/etc/exports

# upcs: the uptime in centiseconds, without a subprocess.
upcs() {
	local u
	read -r u _ </proc/uptime
	u=${u/./}
	echo $((10#$u))
}

# ha_start: what an HA resource agent does to start the NFS service on
# this node, the shared disk being mounted. The agent runs with
# PR_SET_IO_FLUSHER from before it may have to take over (see ha_agent),
# so that its own allocations and those of every process it starts
# (mount, nfsdcld, rpc.mountd, exportfs, rpc.nfsd, and through kthreadd
# nfsd's threads) neither start I/O nor enter file-system reclaim, which
# could wait for this node's own NFS mount of the service. It starts the
# daemons nfsd needs, nfsd (rpc.nfsd: threads, grace and lease time and
# scope from /etc/nfs.conf) and adds the floating address last. Prints
# the milliseconds of each step.
ha_start() {
	local t0 t1
	t0=$(upcs)
	mountpoint -q /proc/fs/nfsd || mount -t nfsd nfsd /proc/fs/nfsd || return 1
	mkdir -p /run/rpcbind "$HA/nfsdcld"
	pgrep -x rpcbind >/dev/null || rpcbind -w || return 1
	io_flusher_start nfsdcld || return 1
	exportfs -ra || return 1
	io_flusher_start rpc.mountd || return 1
	t1=$(upcs)
	echo "daemons_ms=$(((t1 - t0) * 10))"
	rpc.nfsd || return 1
	t0=$(upcs)
	echo "nfsd_ms=$(((t0 - t1) * 10))"
	ip addr add "$VIP/24" dev eth0 || return 1
	t1=$(upcs)
	echo "address_ms=$(((t1 - t0) * 10))"
	echo "address_at=$((t1 / 100)).$(printf %02d $((t1 % 100)))"
	# This node's own connections to the address, left from the node that
	# failed, are reset: its client reconnects now, over lo, instead of
	# at its next retransmission, which TCP's backoff can put up to 120 s
	# away (seen: over 160 s for an idle NFSv3 client). Needs
	# CONFIG_INET_DIAG_DESTROY; without it ss -K destroys nothing,
	# silently, so what is left is looked at.
	# (A new connection of the client may have the old one's addresses
	# and port: the sockets are told apart by their cookies, "sk:".)
	local stale left c
	ss -tnioH state established dst "$VIP" and not src "$VIP" 2>/dev/null | tr -s ' \t' ' ' |
		sed 's/^/stale: /'
	stale=$(ss -tneH state established dst "$VIP" and not src "$VIP" 2>/dev/null | grep -o 'sk:[0-9a-f]*')
	echo "reset_connections=$(ss -K -tnH dst "$VIP" and not src "$VIP" 2>/dev/null | grep -c .)"
	left=$(ss -tneH dst "$VIP" 2>/dev/null | grep -o 'sk:[0-9a-f]*')
	for c in $stale; do
		if grep -qx "$c" <<<"$left"; then
			echo "stale connection $c to $VIP left (no CONFIG_INET_DIAG_DESTROY?)"
			return 1
		fi
	done
}

# ha_agent: the resource agent of node B, started with PR_SET_IO_FLUSHER
# as the program ha-agent (a link to bash, whose name the task takes, so
# that its allocations can be told by name). On $W/go it takes the shared
# disk (the blocks it read at boot, in the partition scan, predate A's
# file system: they are dropped first), lets the job's check of the disk
# run as ha-check (a link to python3) with its output in $W/pre.out and
# its exit code in $W/pre.rc (the check runs in the agent's scope, as
# anything on the take-over's path must), and starts the service. Times
# (uptime) in $W/disk and $W/checked; its output in $W/agent.out, its
# exit code in $W/agent.rc.
ha_agent() {
	while [ ! -e "$W/go" ]; do sleep 0.1; done
	blockdev --flushbufs "$SHARED" && mkdir -p "$HA" && mount "$SHARED" "$HA" || { echo 1 >"$W/agent.rc"; return; }
	read -r u _ </proc/uptime && echo "$u" >"$W/disk"
	timeout -k 5 120 /usr/local/sbin/ha-check ./ackwriter.py verify "$HA/export/w" "$W/acks.before" >"$W/pre.out" 2>&1
	echo $? >"$W/pre.rc"
	read -r u _ </proc/uptime && echo "$u" >"$W/checked"
	ha_start
	echo $? >"$W/agent.rc"
}

if [ "$ROLE" = a ]; then
	ktap_header 1
	mkdir -p "$HA"
	if mkfs.ext4 -q -F "$SHARED" && mount "$SHARED" "$HA" && mkdir -p "$HA_EXPORT/w" &&
		chmod 1777 "$HA_EXPORT" && out=$(io_flusher bash -c '. ./lib.sh >/dev/null; '"$(declare -f upcs ha_start)"'; HA='"$HA"' VIP='"$VIP"' ha_start' 2>&1); then
		ktap_ok "failover_a_serving $(echo $out)"
		echo "FAILOVER-A: serving"
	else
		ktap_fail "failover_a_serving"
		printf '%s\n' "${out:-}" | sed 's/^/#   /'
		exit 1
	fi
	# Serve until the host powers this node off.
	sleep 3600
	exit 1
fi

# --- Node B --------------------------------------------------------------

# The checks and their order (KTAP).
ktap_header 10
declare -A ROW
row() { ROW[$1]=$2; }
row run "\"$VERS:$LOAD:$SWITCH:$IO\""

scope_set "$SWITCH" || { echo "# cannot set the loop-back switch to $SWITCH"; exit 2; }
localio_set "$IO" || { echo "# cannot set LOCALIO to $IO"; exit 2; }
for _ in $(seq 60); do
	timeout 1 bash -c "</dev/tcp/$VIP/2049" 2>/dev/null && break
	sleep 1
done
mkdir -p "$MNT"
o="vers=$VERS,proto=tcp,hard"
[ "$VERS" = 3 ] && o="$o,nolock"
if ! step "mount $VIP:$HA_EXPORT" mount -t nfs -o "$o" "$VIP:$HA_EXPORT" "$MNT"; then
	ktap_fail "failover_setup mount from A"
	exit 1
fi
# NFSv4: delegations on files that are closed, whose inodes memory
# pressure evicts: with a delegation, eviction returns it synchronously
# (DELEGRETURN), which waits for the server.
mkdir -p "$MNT/d"
for i in $(seq 200); do echo "$i" >"$MNT/d/f$i"; done
cat "$MNT"/d/f* >/dev/null
dirty0="vm.dirty_ratio=$(sysctl -n vm.dirty_ratio) vm.dirty_background_ratio=$(sysctl -n vm.dirty_background_ratio)"
HOG_PID=""
if [ "$LOAD" = hog ]; then
	sysctl -q -w vm.dirty_ratio=5 vm.dirty_background_ratio=2
	stress-ng --vm 1 --vm-bytes "$HOG%" --vm-keep --timeout 3600s >/dev/null 2>&1 &
	HOG_PID=$!
fi
rm -f "$W/stop" "$W/go" "$W/disk" "$W/checked" "$W/pre.out" "$W/pre.rc" "$W/agent.rc"
ln -sf "$(readlink -f /bin/bash)" /usr/local/sbin/ha-agent
# The job's own check of the disk during the take-over reads it with the
# client's pages still stuck: it runs as the agent does (ha-check, a link
# to python3, whose name the task takes, with PR_SET_IO_FLUSHER).
ln -sf "$(readlink -f "$(command -v python3)")" /usr/local/sbin/ha-check
io_flusher /usr/local/sbin/ha-agent -c '. ./lib.sh >/dev/null; '"$(declare -f upcs ha_start ha_agent)"'; HA='"$HA"' VIP='"$VIP"' W='"$W"' SHARED='"$SHARED"' ha_agent' >"$W/agent.out" 2>&1 &
AGENT=$!
python3 ./ackwriter.py write "$MNT/w" "$W/acks" 3600 0 "$W/stop" >"$W/writer.out" 2>&1 &
WRITER=$!
# A sign of life from A: a TCP connection to its rpcbind, over the link.
alive() { timeout 1 bash -c "</dev/tcp/$A_IP/111" 2>/dev/null; }
for _ in $(seq 30); do
	grep -q '^a ' "$W/acks" 2>/dev/null && break
	sleep 1
done
agent_flags=$(io_flusher_flags ha-agent)
agent_ok=$?
if ! grep -q '^a ' "$W/acks" 2>/dev/null || ! alive || [ "$agent_ok" != 0 ]; then
	ktap_fail "failover_setup the writer acknowledged nothing within 30 s, A is not reachable, or the agent lacks PR_SET_IO_FLUSHER ($agent_flags)"
	sed 's/^/#   /' "$W/writer.out"
	exit 1
fi
ktap_ok "failover_setup NFSv$VERS mount of $VIP from A, writer acknowledging, load $LOAD, agent $agent_flags"
T_START=$(awk '$1 == "a" { print $5; exit }' "$W/acks")
echo "FAILOVER-B: writing"

# Heartbeat: A is declared gone after 3 missed signs in a row, each
# given a second (a cluster manager's token timeout, shortened).
miss=0
T_ALIVE=$(up)
while [ "$miss" -lt 3 ]; do
	if alive; then
		miss=0
		T_ALIVE=$(up)
		sleep 0.5
	else
		miss=$((miss + 1))
	fi
	if ! kill -0 "$WRITER" 2>/dev/null; then
		ktap_fail "failover_detect the writer ended before A was lost"
		sed 's/^/#   /' "$W/writer.out"
		exit 1
	fi
done
T_DETECT=$(up)
# The host checks that this comes only after it powered A off (the
# harness's fencing: a node that takes over from a live one is a run
# that proves nothing).
echo "FAILOVER-B: A lost"
cp "$W/acks" "$W/acks.before"
ktap_ok "failover_detect A lost; $(ms "$T_ALIVE" "$T_DETECT") ms after its last sign of life"

# What the fail-over window allocates with __GFP_FS and direct reclaim,
# by task name; what enters the NFS client's reclaim paths, by task
# name, and by nfsd threads; nfsd's own count (the kselftests' signal)
# and the requests it serves as loop-back ones, all from now on.
WIN_TRIG="hist:keys=comm:vals=hitcount:size=512 if $NFSLB_RECLAIM_GFP"
nfslb_hist_arm "$NFSLB_PA" "$WIN_TRIG"
# kthreadd makes every kernel thread (nfsd's, and the kworkers), in its
# own context, which no scope of the agent or of nfsd reaches.
# (Keys apart from the kselftests' stack trigger, which it would replace.)
KT_ALL="hist:keys=migratetype:vals=hitcount if comm == \"kthreadd\""
nfslb_hist_arm "$NFSLB_PA" "$KT_ALL"
KT_TRIG="hist:keys=common_stacktrace,order:vals=hitcount:size=256 if comm == \"kthreadd\" && $NFSLB_RECLAIM_GFP"
nfslb_hist_arm "$NFSLB_PA" "$KT_TRIG"
nfslb_fsalloc_arm
GROUP=failover
PROBES="wb_folio_reclaim:nfs_wb_folio_reclaim commit:__nfs_commit_inode evict:nfs4_evict_inode delegreturn:nfs4_proc_delegreturn release_folio:nfs_release_folio reclaim:try_to_free_pages"
PT_ALL="hist:keys=comm:vals=hitcount:size=512"
PT_NFSD='hist:keys=common_pid:vals=hitcount if comm == "nfsd"'
probe_ok=1
for p in $PROBES; do
	nfslb_kprobe_add "$GROUP" "${p%%:*}" "${p#*:}" >/dev/null &&
		nfslb_hist_arm "$NFSLB_TRACE/events/$GROUP/${p%%:*}" "$PT_ALL" &&
		nfslb_hist_arm "$NFSLB_TRACE/events/$GROUP/${p%%:*}" "$PT_NFSD" || probe_ok=0
done
LB=$NFSLB_TRACE/events/nfsd_loopback/nfsd_loopback_work
LB_TRIG="hist:keys=work,nofs:vals=hitcount"
nfslb_hist_arm "$LB" "$LB_TRIG" || probe_ok=0

# The takeover, by the agent.
T0=$(up)
T_GO=$T0
: >"$W/go"
for _ in $(seq 600); do
	[ -e "$W/disk" ] || [ -e "$W/agent.rc" ] && break
	sleep 0.1
done
if [ ! -e "$W/disk" ]; then
	ktap_fail "failover_takeover the agent did not mount the shared disk within 60 s"
	sed 's/^/#   /' "$W/agent.out"
	exit 1
fi
replay=$(dmesg | grep -c 'EXT4-fs (vdd): recovery complete')
# The agent checks, as its second step, that every batch acknowledged
# while A served is on the disk after the journal replay, before nfsd
# runs (nothing can write it meanwhile); then it starts the service.
for _ in $(seq 1800); do
	[ -e "$W/agent.rc" ] && break
	sleep 0.1
done
T_DISK=$(cat "$W/disk")
T_VERIFIED=$(cat "$W/checked" 2>/dev/null)
T_NFSD=$(up)
pre=$(cat "$W/pre.out" 2>/dev/null)
pre_rc=$(cat "$W/pre.rc" 2>/dev/null || echo none)
takeover=$(cat "$W/agent.out")
if [ "$(cat "$W/agent.rc" 2>/dev/null)" != 0 ]; then
	ktap_fail "failover_takeover the NFS service did not start within 180 s (agent exit $(cat "$W/agent.rc" 2>/dev/null || echo none))"
	printf '%s\n' "$takeover" | sed 's/^/#   /'
	stuck_dump
	exit 1
fi
T_ADDR=$(sed -n 's/^address_at=//p' "$W/agent.out")
ktap_ok "failover_takeover disk $(ms "$T0" "$T_DISK") ms (journal replays: $replay), the job's check of it $(ms "$T_DISK" "$T_VERIFIED") ms, $(echo $takeover)"
diag "acknowledged before A was lost, read from the disk after the replay:"
printf '%s\n' "$pre" | tail -n 5 | sed 's/^/#   /'
checked_pre=$(sed -n 's/^checked=//p' <<<"$pre")
lost_pre=$(sed -n 's/^lost=//p' <<<"$pre")
if [ "$pre_rc" = 0 ] && [ "${lost_pre:-x}" = 0 ] && [ "${checked_pre:-0}" -gt 0 ]; then
	ktap_ok "failover_data_at_takeover $checked_pre bytes acknowledged by A found on the disk, 0 lost"
else
	ktap_fail "failover_data_at_takeover lost=${lost_pre:-?} of checked=${checked_pre:-?}"
fi

# The grace period's end (nfsd says Y in v4_end_grace), watched apart.
(
	for _ in $(seq 600); do
		[ "$(cat /proc/fs/nfsd/v4_end_grace 2>/dev/null)" = Y ] && { up >"$W/grace"; exit; }
		sleep 0.2
	done
) &
# The writer's first acknowledgement after A was declared lost (A was
# gone for three seconds by then: only B can have served it): within
# grace + RESUME_BOUND s of nfsd's start.
# Only B can serve the writer once its address is up; an acknowledgement
# between A's loss and that is shown (a late one of A's, or a bug).
T_RESUME=""
limit=$((GRACE + RESUME_BOUND))
while [ "$(ms "$T_NFSD" "$(up)")" -lt $((limit * 1000)) ]; do
	T_RESUME=$(awk -v t="$T_ADDR" 'NF == 5 && $1 == "a" && $5 > t { print $5; exit }' "$W/acks")
	[ -n "$T_RESUME" ] && break
	sleep 0.2
done
# A was gone for the three seconds of missed signs before B declared it
# lost.
early=$(awk -v a="$T_DETECT" -v b="$T_ADDR" 'NF == 5 && $1 == "a" && $5 > a - 3 && $5 <= b' "$W/acks" | wc -l)
[ "$early" = 0 ] || diag "$early acknowledgements while neither node served (A gone, B's address not up)"
WINDOW=$(cat "$NFSLB_PA/hist")
nfslb_hist_disarm "$NFSLB_PA" "$WIN_TRIG" "$KT_TRIG" "$KT_ALL"
if [ -n "$T_RESUME" ]; then
	ktap_ok "failover_resume first acknowledgement $(ms "$T_ADDR" "$T_RESUME") ms after the service was up, $(ms "$T_ALIVE" "$T_RESUME") ms after A's last sign of life (limit: grace ${GRACE} s + $RESUME_BOUND s)"
else
	ktap_fail "failover_resume no acknowledgement within $limit s of nfsd's start"
	stuck_dump
fi

# The writer runs on through the loop-back mount, then is told to stop.
[ -z "$T_RESUME" ] || sleep "$POST_SECS"
touch "$W/stop"
wrc=""
for _ in $(seq 120); do
	kill -0 "$WRITER" 2>/dev/null || { wait "$WRITER"; wrc=$?; break; }
	sleep 1
done
T_END=$(up)
T_GRACE=$(cat "$W/grace" 2>/dev/null)
werr=$(sed -n 's/^errors=//p' "$W/writer.out")
if [ "$wrc" = 0 ] && [ "$werr" = 0 ]; then
	ktap_ok "failover_writer ended when told, no error: $(tr '\n' ' ' <"$W/writer.out")"
else
	ktap_fail "failover_writer did not end within 120 s of being told, or saw errors (exit ${wrc:-still running}, errors=${werr:-?})"
	sed 's/^/#   /' "$W/writer.out" | tail -n 5
	stuck_dump
fi

# Read the counts before the service stops.
fsalloc=$(nfslb_fsalloc_read)
stacks=$(nfslb_fsalloc_stacks 3)
nfslb_fsalloc_disarm
nfsd_fs=$(nfslb_fsalloc_get nfsd "$fsalloc")
# nfsd's work outside requests (copy thread, callbacks, laundromat,
# file disposal, thread starts), by task and stack, as gfp_scope.sh.
tasks_fs=$(nfslb_fsalloc_get tasks "$fsalloc")
nfsd_all=$(nfslb_fsalloc_get nfsd_all "$fsalloc")
# keys=work,nofs: "{ work: N, nofs: M } hitcount: H", N of enum
# svc_scope_work.
lbhist() {
	awk 'BEGIN { split("accept handshake connection datagram busy", name, " ") }
		/^\{ work:/ { l = $0; gsub(/[{},:]/, " ", l); split(l, f, " ")
			w = name[f[2] + 1]; if (w == "") w = "work" f[2]
			if (f[4] + 0 == 1 && (w == "connection" || w == "datagram")) nofs += f[6]
			out = out sep w "/nofs=" f[4] ":" f[6]; sep = "," }
		END { print nofs + 0, (out == "" ? "none" : out) }' "$LB/hist"
}
read -r lb_nofs lbwork <<<"$(lbhist)"
nfslb_hist_disarm "$LB" "$LB_TRIG"
calls=$(awk '$1 == "rpc" { print $2 }' /proc/net/rpc/nfsd)
written=$(nfsd_written)
probes=""
for p in $PROBES; do
	n=${p%%:*}
	ev=$NFSLB_TRACE/events/$GROUP/$n
	all=$(awk '/^\{ comm:/ { c = $3; h = $0; sub(/.*hitcount: */, "", h); printf "%s%s=%d", sep, c, h; sep = "," }' "$ev/hist")
	nfsd=$(awk '/^\{ common_pid:/ { h = $0; sub(/.*hitcount: */, "", h); s += h } END { print s + 0 }' "$ev/hist")
	probes="$probes${probes:+, }\"$n\": {\"nfsd\": $nfsd, \"by_comm\": \"$all\"}"
	nfslb_hist_disarm "$ev" "$PT_ALL" "$PT_NFSD"
	nfslb_kprobe_del "$GROUP" "$n"
done
window=$(awk '/^\{ comm:/ { c = $3; h = $0; sub(/.*hitcount: */, "", h); printf "%s%s=%d", sep, c, h; sep = "," }' <<<"$WINDOW")
kt_stacks=$(awk '/^# trigger info: / { mine = index($0, "keys=common_stacktrace,order:") > 0 }
	!mine { next }
	/^\{ common_stacktrace:/ { s = ""; instack = 1; next }
	instack && /hitcount:/ { h = $0; sub(/.*hitcount: */, "", h); print h + 0 "\t" s; instack = 0; next }
	instack { f = $1; sub(/\+.*/, "", f); if (f != "," && f != "}") s = s " <- " f }' <<<"$WINDOW" | sort -rn | head -n 3)
diag "after the takeover: nfsd calls $calls, written $written bytes; loop-back work $lbwork"
diag "nfsd page allocations that may enter fs reclaim: $fsalloc"
[ -z "$stacks" ] || printf '%s\n' "$stacks"
diag "the window's allocations with __GFP_FS and direct reclaim, by task: ${window:-none}"
[ -z "$kt_stacks" ] || { diag "kthreadd's, by stack:"; printf '%s\n' "$kt_stacks" | cut -c1-400 | sed 's/^/#   /'; }
diag "calls into the NFS client's reclaim paths (by task) since A was lost: $probes"

if [ "$probe_ok" = 1 ] && [ "${nfsd_all:-0}" -gt 0 ]; then
	if [ "$SWITCH" = on ]; then
		if [ "$nfsd_fs" = 0 ] && [ "$tasks_fs" = 0 ]; then
			ktap_ok "failover_nfsd_fs_alloc 0 of $nfsd_all nfsd page allocations may enter fs reclaim, 0 by the work outside requests (switch on)"
		else
			ktap_fail "failover_nfsd_fs_alloc $nfsd_fs of $nfsd_all nfsd page allocations may enter fs reclaim, $tasks_fs by the work outside requests (switch on)"
		fi
	else
		ktap_ok "failover_nfsd_fs_alloc $nfsd_fs of $nfsd_all nfsd page allocations may enter fs reclaim, $tasks_fs by the work outside requests (switch off: shown, not judged)"
	fi
else
	ktap_fail "failover_nfsd_fs_alloc the probes did not attach, or nfsd allocated nothing (nfsd_all=${nfsd_all:-?})"
fi
# The fail-over window (A's loss to the first acknowledgement after it):
# the service's path is the agent and the programs that only it runs, by
# their names, and nfsd's threads; kthreadd (which made nfsd's threads,
# in the agent's scope, and made kworkers for others) and the rest (the
# job's own tools, the writer, the hog) are shown. Generic tools that the
# agent runs too (sleep, grep, cat, pgrep, mkdir) cannot be told apart by
# name. The agent's programs inherit its PR_SET_IO_FLUSHER, so this
# guards the agent's setup and nfsd more than it can find a new path.
PATH_COMMS="ha-agent ha-check blockdev mount rpcbind exportfs rpc.mountd nfsdcld rpc.nfsd perl ip ss timeout mountpoint nfsconf nfsd"
wcount() { tr ',' '\n' <<<"$window" | awk -F= -v c="$1" '$1 == c { s += $2 } END { print s + 0 }'; }
path_fs=0 path_list=""
for c in $PATH_COMMS; do
	n=$(wcount "$c")
	[ "$c" = nfsd ] && [ "$SWITCH" = off ] && { path_list="$path_list nfsd=$n(off: not judged)"; continue; }
	path_fs=$((path_fs + n))
	[ "$n" = 0 ] || path_list="$path_list $c=$n"
done
kt_fs=$(wcount kthreadd)
kt_all=$(awk '/^# trigger info: / { mine = index($0, "hist:keys=migratetype:") > 0 }
	mine && /^ *Hits:/ { print $2; exit }' <<<"$WINDOW")
kt_all=${kt_all:-0}
if [ "$path_fs" = 0 ]; then
	ktap_ok "failover_window 0 page allocations that may enter fs reclaim on the service's path (agent, its programs, the job's check, nfsd)${path_list:+:$path_list}; kthreadd $kt_fs of $kt_all"
else
	ktap_fail "failover_window $path_fs page allocations that may enter fs reclaim on the service's path:$path_list; kthreadd $kt_fs of $kt_all"
fi
if [ "$SWITCH" = on ] && [ "$lb_nofs" -gt 0 ]; then
	ktap_ok "failover_local_requests $lb_nofs receives on loop-back transports in the NOFS scope ($lbwork; $calls nfsd calls)"
elif [ "$SWITCH" = off ]; then
	ktap_ok "failover_local_requests switch off: $lbwork ($calls nfsd calls)"
else
	ktap_fail "failover_local_requests no receive on a loop-back transport in the NOFS scope after the takeover ($lbwork; $calls nfsd calls)"
fi

# Everything acknowledged is on the disk: stop the writer's mount and
# the service, unmount the disk, and read it from a fresh mount.
[ -z "$HOG_PID" ] || { kill "$HOG_PID"; wait "$HOG_PID"; } 2>/dev/null
pkill -x stress-ng 2>/dev/null
sysctl -q -w $dirty0
timeout -k 5 120 umount "$MNT" || diag "umount of the NFS mount failed or timed out"
timeout -k 5 60 rpc.nfsd 0 >/dev/null 2>&1 || diag "stopping nfsd failed"
exportfs -ua
# nfsdcld keeps its database on the shared disk open.
pkill -x nfsdcld
for _ in $(seq 20); do pgrep -x nfsdcld >/dev/null || break; sleep 0.5; done
timeout -k 5 60 umount "$HA" || diag "umount of the shared disk failed"
echo 3 >/proc/sys/vm/drop_caches
post=""
post_rc=1
# A disk still mounted would be read from its page cache, not from disk.
if mountpoint -q "$HA"; then
	post="the shared disk is still mounted: not checked"
elif mount -o ro "$SHARED" "$HA"; then
	post=$(python3 ./ackwriter.py verify "$HA_EXPORT/w" "$W/acks" 2>&1)
	post_rc=$?
	umount "$HA"
fi
checked=$(sed -n 's/^checked=//p' <<<"$post")
lost=$(sed -n 's/^lost=//p' <<<"$post")
acked=$(awk '$1 == "a"' "$W/acks" | wc -l)
acked=$((acked * 8 * 65536))
# What the writer had acknowledged since the service was up on B, beside
# what nfsd wrote: with LOCALIO in use after the take-over, much less.
acked_after=$(awk -v t="$T_ADDR" 'NF == 5 && $1 == "a" && $5 > t' "$W/acks" | wc -l)
acked_after=$((acked_after * 8 * 65536))
diag "acknowledged after the take-over: $acked_after bytes; nfsd wrote $written bytes"
if [ "$post_rc" = 0 ] && [ "${lost:-x}" = 0 ] && [ "${checked:-0}" -gt 0 ]; then
	ktap_ok "failover_data_at_end $checked of the $acked bytes acknowledged are the last state of their records, all found on the disk"
else
	ktap_fail "failover_data_at_end lost=${lost:-?} checked=${checked:-?} acknowledged=$acked"
	printf '%s\n' "$post" | tail -n 10 | sed 's/^/#   /'
fi

# The writer's acknowledged bytes per second, from its start.
tp=$(awk -v t0="$T_START" '$1 == "a" { s = int($5 - t0); if (s >= 0) b[s] += 524288; if (s > m) m = s }
	END { for (i = 0; i <= m; i++) printf "%s%d", (i ? "," : ""), b[i] + 0 }' "$W/acks")
rel() { [ -n "$1" ] && awk -v a="$T_START" -v b="$1" 'BEGIN { printf "%.2f", b - a }' || echo null; }
hung=$(dmesg | grep -Ec 'blocked for more than|blocked in I/O wait for more than')
printf 'FAILOVER-ROW {"run": "%s", "vers": "%s", "load": "%s", "hog_pct": %d, "switch": "%s", "io": "%s", ' \
	"$VERS:$LOAD:$SWITCH:$IO" "$VERS" "$LOAD" "$([ "$LOAD" = hog ] && echo "$HOG" || echo 0)" "$SWITCH" "$IO"
printf '"t_alive": %s, "t_detect": %s, "t_go": %s, "t_disk": %s, "t_verified": %s, "t_addr": %s, "t_grace_end": %s, "t_resume": %s, "t_end": %s, "early_acks": %d, ' \
	"$(rel "$T_ALIVE")" "$(rel "$T_DETECT")" "$(rel "$T_GO")" "$(rel "$T_DISK")" "$(rel "$T_VERIFIED")" "$(rel "$T_ADDR")" "$(rel "$T_GRACE")" "$(rel "$T_RESUME")" "$(rel "$T_END")" "$early"
printf '"acked_bytes": %d, "checked_pre": %d, "lost_pre": %d, "checked_end": %d, "lost_end": %s, ' \
	"$acked" "${checked_pre:-0}" "${lost_pre:--1}" "${checked:-0}" "${lost:--1}"
printf '"nfsd_tasks_fs_alloc": %d, "writer_errors": %d, "reset_connections": %d, ' \
	"${tasks_fs:--1}" "${werr:--1}" "$(sed -n 's/^reset_connections=//p' "$W/agent.out" | head -n1)"
printf '"nfsd_fs_alloc": %d, "nfsd_alloc": %d, "loopback_nofs": %d, "loopback_work": "%s", "nfsd_calls": %d, ' \
	"${nfsd_fs:--1}" "${nfsd_all:--1}" "$lb_nofs" "$lbwork" "${calls:-0}"
printf '"window_fs_alloc": "%s", "window_path_fs_alloc": %d, "window_kthreadd_fs_alloc": %d, "window_kthreadd_alloc": %d, ' \
	"$window" "$path_fs" "$kt_fs" "$kt_all"
printf '"nfsd_written_after": %d, "acked_after": %d, ' "${written:-0}" "$acked_after"
printf '"probes": {%s}, "hung": %d, "throughput": [%s]}\n' "$probes" "$hung" "$tp"
[ "$KTAP_FAILED" = 0 ]
