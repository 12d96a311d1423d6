#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The table of make failover's runs, from node B's console logs.

Each log holds one FAILOVER-ROW JSON line (guest/jobs/failover.sh). Times
are seconds of B's clock from the writer's first acknowledgement:
t_alive is A's last sign of life seen by B (A was powered off within
about a second after it), t_detect when B declared A lost, t_disk the
shared disk mounted (journal replayed), t_addr the NFS service started and its address up,
t_resume the writer's first acknowledgement after A's loss. Prints one
line per run; --json writes the rows, --png a plot of the writer's
acknowledged MiB/s per second across each fail-over. Exits 1 when a log
has no row.
"""

import argparse
import json
import sys


def rows_of(path):
	rows = []
	with open(path, errors='replace') as f:
		for line in f:
			line = line.strip('\r\n')
			i = line.find('FAILOVER-ROW ')
			if i < 0:
				continue
			try:
				rows.append(json.loads(line[i + len('FAILOVER-ROW '):]))
			except json.JSONDecodeError as e:
				print(f'{path}: bad FAILOVER-ROW: {e}', file=sys.stderr)
	return rows


def d(a, b):
	if a is None or b is None:
		return None
	return b - a


def fmt(v, spec='.1f'):
	return '-' if v is None else format(v, spec)


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('logs', nargs='+')
	ap.add_argument('--json')
	ap.add_argument('--png')
	args = ap.parse_args()
	rows = []
	bad = 0
	for path in args.logs:
		r = rows_of(path)
		if not r:
			print(f'{path}: no FAILOVER-ROW (the run did not get to its end)')
			bad += 1
		for row in r:
			row['log'] = path
		rows.extend(r)
		with open(path, errors='replace') as f:
			if 'FAILOVER-INVALID' in f.read():
				print(f'{path}: INVALID run: node B took over from a live node A')
				bad += 1

	hdr = ('run', 'detect', 'disk', 'check', 'service', 'resume', 'outage', 'grace',
	       'acked MiB', 'lost', 'nfsd fs-alloc', 'window path', 'kthreadd',
	       'loop-back recv', 'nfsd MiB after/acked', 'hung')
	print(' | '.join(hdr))
	for r in rows:
		print(' | '.join([
			r['run'],
			fmt(d(r.get('t_alive'), r.get('t_detect'))),
			fmt(d(r.get('t_go'), r.get('t_disk'))),
			fmt(d(r.get('t_disk'), r.get('t_verified'))),
			fmt(d(r.get('t_verified'), r.get('t_addr'))),
			fmt(d(r.get('t_addr'), r.get('t_resume'))),
			fmt(d(r.get('t_alive'), r.get('t_resume'))),
			fmt(d(r.get('t_addr'), r.get('t_grace_end'))),
			f"{r.get('acked_bytes', 0) / 1048576:.1f}",
			f"{r.get('lost_pre')}/{r.get('lost_end')}",
			f"{r.get('nfsd_fs_alloc')}/{r.get('nfsd_alloc')}",
			str(r.get('window_path_fs_alloc')),
			f"{r.get('window_kthreadd_fs_alloc')}/{r.get('window_kthreadd_alloc')}",
			str(r.get('loopback_nofs')),
			f"{r.get('nfsd_written_after', 0) / 1048576:.0f}/{r.get('acked_after', 0) / 1048576:.0f}",
			str(r.get('hung')),
		]))
	print('(seconds of node B\'s clock. detect: A\'s last sign of life to B declaring it lost; '
	      'disk: the agent\'s mount of the shared disk with its journal replay; check: the '
	      'job\'s read of what was acknowledged before, from that disk; service: the agent '
	      'starting nfsdcld, rpc.mountd, nfsd and adding the address; resume: from there to '
	      'the writer\'s first acknowledgement; outage: A\'s last sign of life to it; grace: '
	      'the service up to nfsd ending its grace period. lost: bytes acknowledged but not '
	      'found, at the take-over/at the end. nfsd fs-alloc: nfsd page allocations that may '
	      'enter fs reclaim/all, after the take-over; window path: the same by the agent, its '
	      'programs, the job\'s check and nfsd from A\'s loss to the first acknowledgement; '
	      'kthreadd: its own in that window, that may enter fs reclaim/all. loop-back recv: '
	      'receives on loop-back transports in the NOFS scope.)')
	for r in rows:
		print(f"{r['run']}: window allocations with __GFP_FS by task: {r.get('window_fs_alloc') or 'none'}")
		probes = ', '.join(f"{k} {v.get('nfsd', 0)} by nfsd ({v.get('by_comm') or 'none'})"
				   for k, v in r.get('probes', {}).items())
		print(f"{r['run']}: NFS client reclaim paths since A was lost: {probes}")
	if args.json:
		with open(args.json, 'w') as f:
			json.dump(rows, f, indent=1)
		print(f'rows: {args.json}')
	if args.png and rows:
		import matplotlib
		matplotlib.use('Agg')
		import matplotlib.pyplot as plt
		n = len(rows)
		cols = 2 if n > 1 else 1
		nr = (n + cols - 1) // cols
		fig, axes = plt.subplots(nr, cols, figsize=(7 * cols, 2.6 * nr), squeeze=False)
		for ax, r in zip([a for row in axes for a in row], rows):
			tp = r.get('throughput', [])
			t0 = r.get('t_alive') or 0
			xs = [i - t0 for i in range(len(tp))]
			ax.step(xs, [b / 1048576 for b in tp], where='post', color='tab:blue')
			for key, col, lab in (('t_detect', 'tab:red', 'A declared lost'),
					      ('t_disk', 'tab:brown', 'disk mounted on B'),
					      ('t_addr', 'tab:green', 'service up on B'),
					      ('t_grace_end', 'tab:purple', 'grace ended'),
					      ('t_resume', 'tab:orange', 'first ack after')):
				if r.get(key) is not None:
					ax.axvline(r[key] - t0, color=col, linestyle='--', linewidth=1, label=lab)
			ax.axvline(0, color='black', linewidth=1, label="A's last sign of life")
			ax.set_title(f"NFSv{r['vers']}, {r['load']}, switch {r['switch']}, {r['io']}", fontsize=9)
			ax.set_xlabel('s from A\'s last sign of life (B\'s clock)')
			ax.set_ylabel('acked MiB/s')
		for ax in [a for row in axes for a in row][n:]:
			ax.axis('off')
		axes[0][0].legend(fontsize=7, loc='upper right')
		fig.suptitle('node B\'s writer across the fail-over of node A: fsync-acknowledged MiB/s')
		fig.tight_layout(rect=(0, 0, 1, 1 - 0.5 / (2.6 * nr)))
		fig.savefig(args.png, dpi=100)
		print(f'plot: {args.png}')
	return 1 if bad else 0


if __name__ == '__main__':
	sys.exit(main())
