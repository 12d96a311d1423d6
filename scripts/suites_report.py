#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tabulate make suites: the SUITE-ROW and FAULT-ROW lines of its consoles.

suites_report.py --txt OUT.txt --json OUT.json VARIANT=CONSOLE.log...

Three tables:
1. per kernel variant, suite and switch (on: the series; off: vanilla
   behaviour): cells, cases run/passed/failed, of the failed those that
   fail on local ext4 too (xfail), data mismatches, kernel reports and
   hung-task reports seen while the suite ran, seconds;
2. each suite and cell (version:fs:io:load) with the switch on and off
   side by side;
3. the fault-injection cells: faults injected, errors the writer saw,
   bytes acknowledged (fsync returned 0, rewrites included), bytes
   checked at the end, acknowledged bytes lost, whether a write after the
   faults succeeded.
Then the guest's own kernel checks after each boot (kernel_log,
kernel_hung_tasks). Exits 1 if a console is missing, holds no rows or
lacks the job's end line; the verdict on the results themselves is
scripts/results.py's.
"""

import argparse
import json
import re
import sys
from collections import OrderedDict

ROW = re.compile(r'^# (SUITE|FAULT)-ROW (\{.*\})\s*$')
CHECK = re.compile(r'^(not )?ok \d+ (kernel_log|kernel_hung_tasks|kernel_taint) (.*)$')


def parse(path):
	rows, faults, checks, ended = [], [], {}, False
	with open(path, errors='replace') as f:
		for line in f:
			line = line.rstrip('\r\n')
			m = ROW.match(line)
			if m:
				(rows if m.group(1) == 'SUITE' else faults).append(json.loads(m.group(2)))
				continue
			if line.startswith('=== harness: suites end'):
				ended = True
			m = CHECK.match(line)
			if m:
				checks[m.group(2)] = ('FAIL ' if m.group(1) else 'ok ') + m.group(3)
	return rows, faults, checks, ended


def cell_parts(cell):
	p = cell.split(':')
	return p if len(p) == 5 else p + [''] * (5 - len(p))


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument('--txt', required=True)
	ap.add_argument('--json', required=True)
	ap.add_argument('logs', nargs='+', help='VARIANT=CONSOLE')
	a = ap.parse_args()
	out, data, bad = [], {}, False
	for arg in a.logs:
		if '=' not in arg:
			print(f'suites_report.py: {arg}: want VARIANT=CONSOLE', file=sys.stderr)
			return 2
		v, path = arg.split('=', 1)
		try:
			rows, faults, checks, ended = parse(path)
		except OSError as e:
			print(f'suites_report.py: {e}', file=sys.stderr)
			return 1
		if not rows and not faults:
			print(f'suites_report.py: {path}: no SUITE-ROW lines', file=sys.stderr)
			bad = True
		data[v] = {'rows': rows, 'faults': faults, 'checks': checks, 'ended': ended}

	out.append('1. Per kernel, suite and switch (on: the series; off: vanilla behaviour)')
	hdr = f"{'kernel':7} {'suite':22} {'sw':3} {'cells':>5} {'run':>6} {'passed':>6} " \
		f"{'failed':>6} {'xfail':>5} {'mism.':>5} {'reports':>7} {'hung':>4} {'secs':>6}"
	out += [hdr, '-' * len(hdr)]
	for v, d in data.items():
		agg = OrderedDict()
		for r in d['rows']:
			sw = cell_parts(r['cell'])[3]
			k = (r['suite'], sw)
			s = agg.setdefault(k, dict(cells=0, run=0, passed=0, failed=0, xfail=0,
						   mismatch=0, reports=0, hung=0, secs=0, bad=0))
			s['cells'] += 1
			for f in ('run', 'passed', 'failed', 'xfail', 'mismatch', 'reports', 'hung',
				  'secs'):
				s[f] += r.get(f, 0)
			s['bad'] += r['rc'] != 0
		for (suite, sw), s in agg.items():
			out.append(f"{v:7} {suite:22} {sw:3} {s['cells']:5} {s['run']:6} {s['passed']:6} "
				   f"{s['failed']:6} {s['xfail']:5} {s['mismatch']:5} {s['reports']:7} "
				   f"{s['hung']:4} {s['secs']:6}"
				   + (f"  ({s['bad']} cells exited non-zero)" if s['bad'] else ''))
		if not d['ended']:
			out.append(f'{v:7} (the suites job did not reach its end)')
			bad = True
	out.append('')
	out.append('2. Each cell, switch on | off (passed/run, mismatches, kernel reports, hung; secs)')
	for v, d in data.items():
		cells = OrderedDict()
		for r in d['rows']:
			vers, fs, io, sw, load = cell_parts(r['cell'])
			cells.setdefault((r['suite'], f'{vers}:{fs}:{io}:{load}'), {})[sw] = r
		if not cells:
			continue
		out.append(f'kernel {v}:')

		def fmt(r):
			if r is None:
				return '-'
			return (f"{r['passed']}/{r['run']} m{r['mismatch']} k{r['reports']} h{r['hung']}"
				f" {r['secs']}s" + ('' if r['rc'] == 0 else f" rc{r['rc']}"))
		for (suite, cell), by in cells.items():
			out.append(f"  {suite:22} {cell:18} on: {fmt(by.get('on')):30} "
				   f"off: {fmt(by.get('off'))}")
	out.append('')
	out.append('3. Fault injection (in nfsd threads; with LOCALIO also the writer; fail_sunrpc: all transports)')
	hdr = f"{'kernel':7} {'kind':16} {'vers':4} {'io':7} {'sw':3} {'injected':>8} {'nfsd':>4} " \
		f"{'errors':>6} {'acked MiB':>9} {'checked MiB':>11} {'lost B':>6} {'recov.':>6} " \
		f"{'rc':>3}"
	out += [hdr, '-' * len(hdr)]
	nf = 0
	for v, d in data.items():
		for f in d['faults']:
			nf += 1
			def n(x, mib=False):
				if x < 0:
					return '?'
				return f'{x / 1048576:.1f}' if mib else str(x)
			out.append(f"{v:7} {f['kind']:16} {f['vers']:4} {f['io']:7} {f.get('switch', 'on'):3} "
				   f"{f['injected']:8} "
				   f"{n(f['nfsd_threads']):>4} {n(f['errors']):>6} {n(f['acked'], True):>9} "
				   f"{n(f['checked'], True):>11} {n(f['lost']):>6} "
				   f"{'yes' if f['recovered'] else 'NO':>6} {f['rc']:3}"
				   + (f"  ({f['spent']})" if f.get('spent') else ''))
	if not nf:
		out.append('(none: no kernel with fault injection was booted)')
	out.append('')
	out.append('4. Kernel checks after each boot (guest/init)')
	for v, d in data.items():
		for k in ('kernel_log', 'kernel_hung_tasks', 'kernel_taint'):
			out.append(f"{v:7} {k:18} {d['checks'].get(k, 'MISSING')}")
	with open(a.txt, 'w') as f:
		f.write('\n'.join(out) + '\n')
	with open(a.json, 'w') as f:
		json.dump(data, f, indent=1)
	return 1 if bad else 0


if __name__ == '__main__':
	sys.exit(main())
