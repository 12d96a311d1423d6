#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the BENCH blocks of a make bench console log.

Each block holds fio's JSON for one run (target x pressure level x
repeat) and the reclaim counters and nfsd probe counts of that run. Writes
all runs to a JSON file, prints medians and spread per target and level
with the ratio to the local file system, and draws a PNG.
"""

import argparse
import json
import re
import statistics
import sys
from collections import defaultdict

BEGIN = re.compile(r'^BENCH-BEGIN level=(\d+) rep=(\d+) target=(\w+)')
ENV = re.compile(r'^BENCH-ENV (.*)$')


def bench_env(path):
	"""The accelerator, CPUs and memory the guest ran with."""
	with open(path, errors='replace') as f:
		for line in f:
			m = ENV.match(line.strip())
			if m:
				return dict(kv.split('=', 1) for kv in m.group(1).split())
	return {}


def parse(path):
	"""The runs of the log. A run that did not end (no BENCH-END before the
	next run or the end of the log: the guest hung or was killed) is
	kept as a stall, and any run that timed out or failed counts as
	0 MB/s: none is dropped."""
	runs = []
	cur = None
	body = []

	def close(end):
		cur.update(end)
		try:
			text = '\n'.join(body)
			fio, _ = json.JSONDecoder().raw_decode(text[text.index('{'):])
			w = fio['jobs'][0]['write']
			pct = w['clat_ns'].get('percentile', {})
			cur['mb_s'] = w['bw_bytes'] / 1e6
			cur['p50_ms'] = pct.get('50.000000', 0) / 1e6
			cur['p99_ms'] = pct.get('99.000000', 0) / 1e6
		except (ValueError, KeyError, IndexError):
			cur['mb_s'] = None
		if cur.get('stall') or cur.get('rc', 0) != 0 or cur.get('lb_rc', 0) != 0:
			cur['failed'] = True
			cur['mb_s'] = 0.0
		runs.append(cur)

	with open(path, errors='replace') as f:
		for line in f:
			line = line.rstrip('\r\n')
			m = BEGIN.match(line)
			if m:
				if cur is not None:
					close({'rc': 124, 'stall': 1, 'unfinished': True})
				cur = {'level': int(m.group(1)), 'rep': int(m.group(2)),
				       'target': m.group(3)}
				body = []
			elif cur is not None and line.startswith('BENCH-END '):
				close(json.loads(line[len('BENCH-END '):]))
				cur = None
			elif cur is not None:
				body.append(line)
	if cur is not None:
		close({'rc': 124, 'stall': 1, 'unfinished': True})
	return runs


# nfsd probes that only inform: direct reclaim, dirty throttling, the inode
# shrinker entry, and nfs_release_folio, which NOFS reclaim enters but
# leaves at once.
INFO_PROBES = ('reclaim', 'release_folio', 'dirty_throttle', 'prune_icache')


def getattr_runs(path):
	"""The BENCH-GETATTR lines of the log: one dict per run."""
	out = []
	with open(path, errors='replace') as f:
		for line in f:
			line = line.strip()
			if line.startswith('BENCH-GETATTR '):
				try:
					out.append(json.loads(line[len('BENCH-GETATTR '):]))
				except ValueError:
					print(f'bad BENCH-GETATTR line: {line}', file=sys.stderr)
	return out


def getattr_table(all_runs):
	"""Per-request time of the GETATTR storm (getattr_runs()), scope on and off."""
	runs = [r for r in all_runs if r.get('rc') == 0 and r.get('requests', 0) > 0]
	bad = len(all_runs) - len(runs)
	if not runs and not bad:
		return
	ns = defaultdict(dict)
	for r in runs:
		ns[r['rep']][r['scope']] = r['ms'] * 1e6 / r['requests']
	for sc in ('on', 'off'):
		vals = [d[sc] for d in ns.values() if sc in d]
		if vals:
			lo, hi = spread(vals)
			print(f'getattr storm, scope {sc}: {med(vals):.0f} ns/request '
			      f'(min-max {lo:.0f}-{hi:.0f}, n={len(vals)})')
	diffs = [d['on'] - d['off'] for d in ns.values() if 'on' in d and 'off' in d]
	if diffs:
		lo, hi = spread(diffs)
		print(f'getattr storm, on - off per repeat: {med(diffs):+.0f} ns/request '
		      f'(min-max {lo:+.0f} to {hi:+.0f}, n={len(diffs)})')
	if bad:
		print(f'getattr storm: {bad} runs failed or made no request (left out)')


def risk(run):
	"""Calls from nfsd into NFS client paths that can wait for nfsd."""
	return sum(v for k, v in run.get('nfsd', {}).items() if k not in INFO_PROBES)


def med(vals):
	vals = [v for v in vals if v is not None]
	return statistics.median(vals) if vals else float('nan')


def spread(vals):
	vals = [v for v in vals if v is not None]
	return (min(vals), max(vals)) if vals else (float('nan'), float('nan'))


HITS = re.compile(r'^(?:# )+(\S+): nfsd probe hits:(.*)$')


def kselftest_table(path):
	"""Per kselftest case: nfsd direct reclaim and deadlock opportunities per round."""
	cases = defaultdict(list)
	with open(path, errors='replace') as f:
		for line in f:
			m = HITS.match(line.strip())
			if m:
				hits = dict(kv.split('=') for kv in m.group(2).split())
				cases[m.group(1)].append({k: int(v) for k, v in hits.items()})
	if not cases:
		return
	print()
	print(f"{'kselftest case':<34} {'rounds':>6} {'nfsd reclaim':>14} {'nfsd->client per round':<30}")
	for name, rounds in cases.items():
		rec = [r.get('reclaim', 0) for r in rounds]
		risks = [risk({'nfsd': r}) for r in rounds]
		print(f"{name:<34} {len(rounds):>6} {min(rec):>6}-{max(rec):<7} {' '.join(map(str, risks)):<30}")


def main():
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('log')
	ap.add_argument('--json', required=True)
	ap.add_argument('--png')
	args = ap.parse_args()

	runs = parse(args.log)
	getattr_log = getattr_runs(args.log)
	env = bench_env(args.log)
	print(f"guest: accelerator {env.get('accel', '?')}, {env.get('cpus', '?')} CPUs, "
	      f"{env.get('mem_mib', '?')} MiB; a run that timed out or failed counts as 0 MB/s (column failed)")
	if not runs:
		if getattr_log:
			getattr_table(getattr_log)
			return 0
		print('no BENCH blocks in the log', file=sys.stderr)
		return 1
	with open(args.json, 'w') as f:
		json.dump({'env': env, 'runs': runs}, f, indent=1)

	groups = defaultdict(list)
	for r in runs:
		groups[(r['level'], r['target'])].append(r)
	levels = sorted({r['level'] for r in runs})
	order = ('local', 'rpc', 'rpc_off', 'localio', 'remote', 'remote_off', 'mixed', 'mixed_off',
		 'mixed_unbounded', 'mixed_local')
	targets = [t for t in order if any(r['target'] == t for r in runs)]

	hdr = (f"{'pressure':>8} {'target':>10} {'runs':>4} {'MB/s':>7} {'min-max':>13} {'x local':>7} "
	       f"{'p50 ms':>7} {'p99 ms':>8} {'failed':>6} {'allocst':>7} {'nfsd reclaim':>12} "
	       f"{'nfsd->client':>14}")
	print(hdr)
	for lv in levels:
		base = med([r['mb_s'] for r in groups.get((lv, 'local'), [])])
		for t in targets:
			g = groups.get((lv, t), [])
			if not g:
				continue
			bw = med([r['mb_s'] for r in g])
			lo, hi = spread([r['mb_s'] for r in g])
			risks = [risk(r) for r in g]
			risky = f"{sum(1 for v in risks if v)}/{len(risks)} max {max(risks)}"
			rel = bw / base if base > 0 else float('nan')
			print(f"{lv:>7}% {t:>10} {len(g):>4} {bw:>7.1f} {lo:>6.1f}-{hi:<6.1f} {rel:>7.2f} "
			      f"{med([r.get('p50_ms') for r in g]):>7.1f} {med([r.get('p99_ms') for r in g]):>8.1f} "
			      f"{sum(1 for r in g if r.get('failed')):>6} {med([r.get('allocstall') for r in g]):>7.0f} "
			      f"{med([r.get('nfsd', {}).get('reclaim', 0) for r in g]):>12.0f} {risky:>14}")
	# What the scope costs: throughput with the switch on over off, for
	# the loop-back client and for a remote one while a loop-back client
	# is connected.
	# Per repeat, on over off (the two ran in the same repeat, in an
	# order that alternates): median and min-max of those ratios.
	# The remote writer beside a busy loop-back writer over the same
	# writer beside an idle loop-back client, per repeat: with the
	# loop-back mount's dirty pages bounded (mixed) and not (unbounded).
	for on, off, what in (('rpc', 'rpc_off', 'scope on/off throughput per repeat, rpc'),
			      ('remote', 'remote_off', 'scope on/off throughput per repeat, remote'),
			      ('mixed', 'mixed_off', 'scope on/off throughput per repeat, mixed'),
			      ('mixed', 'remote', 'remote writer beside a busy loop-back writer '
			       'over beside an idle one, bounded (mixed/remote)'),
			      ('mixed_unbounded', 'remote', 'the same, loop-back mount unbounded '
			       '(mixed_unbounded/remote)'),
			      ('mixed_local', 'remote', 'the same beside a writer on the exported '
			       'file system itself, no NFS client (mixed_local/remote)')):
		parts = []
		for lv in levels:
			by_rep = defaultdict(dict)
			for t in (on, off):
				for r in groups.get((lv, t), []):
					by_rep[r['rep']][t] = r.get('mb_s')
			ratios = [d[on] / d[off] for d in by_rep.values()
				  if d.get(on) is not None and d.get(off)]
			zero_off = sum(1 for d in by_rep.values() if d.get(off) == 0.0)
			note = f', {zero_off} with off at 0 MB/s left out' if zero_off else ''
			if ratios:
				lo, hi = spread(ratios)
				parts.append(f'{lv}% {med(ratios):.2f} ({lo:.2f}-{hi:.2f}, n={len(ratios)}{note})')
			elif zero_off:
				parts.append(f'{lv}% n/a ({zero_off} with off at 0 MB/s)')
		if parts:
			print(f'{what}: ' + ', '.join(parts))
	print(f'runs: {args.json}')
	getattr_table(getattr_log)
	kselftest_table(args.log)

	if args.png:
		import matplotlib
		matplotlib.use('Agg')
		import matplotlib.pyplot as plt
		fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
		width = 0.8 / len(targets)
		for i, t in enumerate(targets):
			xs = [j + i * width for j in range(len(levels))]
			for ax, key, label in ((axes[0], 'mb_s', 'write throughput (MB/s)'),
					       (axes[1], 'p99_ms', 'p99 write latency (ms)')):
				vals = [med([r.get(key) for r in groups.get((lv, t), [])]) for lv in levels]
				errs = [spread([r.get(key) for r in groups.get((lv, t), [])]) for lv in levels]
				lo = [max(v - e[0], 0) for v, e in zip(vals, errs)]
				hi = [max(e[1] - v, 0) for v, e in zip(vals, errs)]
				ax.bar(xs, vals, width, yerr=[lo, hi], capsize=3, label=t)
				ax.set_ylabel(label)
			vals = [max([risk(r) for r in groups.get((lv, t), [])] or [0]) for lv in levels]
			axes[2].bar(xs, vals, width, label=t)
			axes[2].set_ylabel('nfsd calls into the NFS client (max of runs)')
		for ax in axes:
			ax.set_xticks([j + 0.4 - width / 2 for j in range(len(levels))])
			ax.set_xticklabels([f'{lv}% hog' for lv in levels])
			ax.legend()
		fig.suptitle(f"[{env.get('accel', '?')}] " 'local file system vs loop-back NFS (scope on: rpc, off: rpc_off) vs LOCALIO; '
			     'remote client, idle or busy loop-back client (remote, mixed; O_DIRECT)')
		fig.tight_layout()
		fig.savefig(args.png, dpi=100)
		print(f'plot: {args.png}')
	return 0


if __name__ == '__main__':
	sys.exit(main())
