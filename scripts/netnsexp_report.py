#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise make netnsexp's NETNSEXP lines per mode, and plot them.

Usage: netnsexp_report.py LINES [PNG]
"""
import re
import sys


def parse(path):
	rounds = []
	for line in open(path, encoding='utf-8', errors='replace'):
		if not line.startswith('NETNSEXP round='):
			continue
		kv = dict(re.findall(r'(\S+?)=(\S+)', line))
		rounds.append(kv)
	return rounds


def med(xs):
	s = sorted(xs)
	n = len(s)
	if not n:
		return 0
	return s[n // 2] if n % 2 else (s[n // 2 - 1] + s[n // 2]) / 2


def fmt(xs):
	if not xs:
		return 'none'
	return f'median {med(xs):g} ({min(xs):g}-{max(xs):g})'


def main():
	if len(sys.argv) not in (2, 3):
		sys.exit(__doc__)
	rounds = parse(sys.argv[1])
	if not rounds:
		sys.exit(f'{sys.argv[1]}: no NETNSEXP round lines')
	modes = ['on', 'off']
	data = {}
	for m in modes:
		rs = [r for r in rounds if r.get('mode') == m]
		data[m] = rs
		if not rs:
			print(f'mode {m}: no rounds')
			continue
		fin = [r for r in rs if r['done'] == '1']
		print(f'mode {m} (n={len(rs)}): finished {len(fin)} of {len(rs)}; '
		      f'nfsd wrote MiB {fmt([int(r["nfsd_wrote_mib"]) for r in rs])}; '
		      f'MiB/s over the time {fmt([int(r["mbps"]) for r in rs])}; '
		      f'time s {fmt([int(r["ms"]) / 1000 for r in rs])} '
		      f'(an unfinished round counts its limit)')
		print(f'    nfsd balance_dirty_pages calls {fmt([int(r["nfsd_bdp_calls"]) for r in rs])}; '
		      f'sleeps {fmt([int(r["nfsd_bdp_sleeps"]) for r in rs])}; '
		      f'pause ms {fmt([int(r["nfsd_pause_ms"]) for r in rs])}')
		print(f'    uuid calls proved+marked/proved/not: '
		      f'{" ".join(r["proved_marked/proved/not"] for r in rs)}; '
		      f'bdi max_ratio/strict_limit: '
		      f'{" ".join(r["bdi_max_ratio"] + "/" + r["strict_limit"] for r in rs)}')
	if len(sys.argv) == 3:
		import matplotlib
		matplotlib.use('Agg')
		import matplotlib.pyplot as plt
		fig, axes = plt.subplots(1, 3, figsize=(13, 4))
		for ax, key, title in ((axes[0], 'ms', '4 fio writers, 15 s + fsync: time (s)'),
				       (axes[1], 'nfsd_wrote_mib', 'MiB that nfsd wrote meanwhile'),
				       (axes[2], 'nfsd_bdp_sleeps',
					"nfsd's sleeps in balance_dirty_pages()")):
			for x, m in enumerate(modes):
				ys = [int(r[key]) / (1000 if key == 'ms' else 1) for r in data[m]]
				done = [r['done'] == '1' for r in data[m]]
				for y, d in zip(ys, done):
					ax.plot(x, y, 'o' if d else 'x', color='tab:green' if m == 'on' else 'tab:red')
			ax.set_xticks([0, 1], ['series on', 'off (as before)'])
			ax.set_xlim(-0.5, 1.5)
			ax.set_ylim(bottom=0)
			ax.set_title(title)
		fig.suptitle('NFS client in another network namespace of this kernel '
			     '(o finished, x killed at the limit)')
		fig.tight_layout()
		fig.savefig(sys.argv[2], dpi=100)
		print(f'plot: {sys.argv[2]}')


if __name__ == '__main__':
	main()
