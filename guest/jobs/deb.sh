#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make deb: install the kernel package that make deb built (on the
# payload disk) with dpkg -i and check what it installed. When the guest
# runs the packaged kernel itself (GUEST_DEB_BOOTED=1), its modules must
# load and a loop-back NFS round trip must work with the series' switch.
. ./lib.sh

deb=./${GUEST_DEB:?no GUEST_DEB}
ktap_header 6
uname -a
if out=$(dpkg -i "$deb" 2>&1); then
	ktap_ok "deb_install dpkg -i $GUEST_DEB"
else
	ktap_fail "deb_install dpkg -i $GUEST_DEB"
	printf '%s\n' "$out" | tail -n 20 | sed 's/^/#   /'
fi
rel=$(dpkg-deb -c "$deb" | sed -n 's|.* \./lib/modules/\([^/]*\)/$|\1|p' | head -n1)
[ -n "$rel" ] || rel=$(dpkg-deb -c "$deb" | sed -n 's|.* \./boot/vmlinuz-\(.*\)$|\1|p' | head -n1)
if [ -n "$rel" ] && [ -f "/boot/vmlinuz-$rel" ] && dpkg -s "$(dpkg-deb -f "$deb" Package)" 2>/dev/null | grep -q '^Status: install ok installed'; then
	ktap_ok "deb_files /boot/vmlinuz-$rel, package status 'install ok installed'"
else
	ktap_fail "deb_files release '$rel': /boot/vmlinuz-$rel or the package status missing"
fi
# Every module of the package is installed, in modules.dep, and modinfo
# reads its vermagic as the package's release.
n=0 bad=0
mods=$(cat ./modules.list 2>/dev/null)
for m in $mods; do
	n=$((n + 1))
	f=/$m
	if [ ! -f "$f" ] || ! grep -q "^${m#lib/modules/$rel/}:" "/lib/modules/$rel/modules.dep" ||
		[ "$(modinfo -F vermagic "$f" | awk '{ print $1 }')" != "$rel" ]; then
		bad=$((bad + 1))
		diag "module $m: missing, not in modules.dep or another vermagic"
	fi
done
if [ "$n" -gt 0 ] && [ "$bad" = 0 ]; then
	ktap_ok "deb_modules $n of $n installed, in modules.dep, vermagic $rel"
else
	ktap_fail "deb_modules $bad of $n bad (a package without modules fails too)"
fi
if [ "${GUEST_DEB_BOOTED:-0}" != 1 ]; then
	ktap_skip "deb_modprobe" "the guest runs the harness kernel, not the package's"
	ktap_skip "deb_series" "the guest runs the harness kernel, not the package's"
	ktap_skip "deb_roundtrip" "the guest runs the harness kernel, not the package's"
	[ "$KTAP_FAILED" = 0 ]
	exit
fi
# The packaged kernel runs: its release is the package's, and its
# modules load (each that this machine has the hardware for: a module
# that probes for a device may fail with ENODEV, which is shown).
loaded=0 tried=0
for m in $mods; do
	name=$(basename "$m"); name=${name%%.ko*}
	tried=$((tried + 1))
	if out=$(modprobe "$name" 2>&1) && grep -q "^${name//-/_} " /proc/modules; then
		loaded=$((loaded + 1))
	else
		diag "modprobe $name: ${out:-not in /proc/modules}"
	fi
done
if [ "$(uname -r)" = "$rel" ] && [ "$loaded" -gt 0 ]; then
	ktap_ok "deb_modprobe uname -r $rel; $loaded of $tried modules loaded"
else
	ktap_fail "deb_modprobe uname -r $(uname -r), package $rel; $loaded of $tried modules loaded"
fi
if nfslb_has_switch && scope_set off && scope_set on; then
	ktap_ok "deb_series nfsd's loopback_scope switch present and settable"
else
	ktap_fail "deb_series no settable $NFSLB_SWITCH in the packaged kernel"
fi
if nfs_server_start ext4 && roundtrip 4.2 16; then
	ktap_ok "deb_roundtrip loop-back NFSv4.2, 16 MiB, checksums match"
else
	ktap_fail "deb_roundtrip loop-back NFSv4.2"
fi
nfs_server_stop
[ "$KTAP_FAILED" = 0 ]
