#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Classify the lockdep reports in a harness console log.

A report starts with a banner of '=' and the line after it names its
kind ("WARNING: possible circular locking dependency detected",
"WARNING: inconsistent lock state", "WARNING: suspicious RCU usage",
"[ BUG: Invalid wait context ]", ...). For each report this gives:
- its kind;
- the locks: for a circular dependency the chain of the "-> #N (lock)"
  entries from #0 (the lock the task wants) to the lock it holds, or
  the "Chain exists of:" line when the entries were cut; for the other
  kinds the locks of the report's header, or else of its held locks;
- the task (comm/pid) that hit it;
- the first frames of its stack that belong to nfsd, SUNRPC or the NFS
  client (matching RELEVANT).

The console may hold one report more than once: as printk put it on the
console during boot, in the guest's cut dump of the kernel log after a
failed kernel_log check ("# "-prefixed, 30 lines after a match) and in
its full dump on lockdep kernels; copies are merged, keeping the most
complete. The guest's "kernel_debug_locks" KTAP line tells whether
lockdep was still on at the end (it turns itself off after its first
report).

Prints a table and "N reports, debug_locks D"; --txt and --json write
the same. Exits 0 only with no report and debug_locks 1.
"""

import argparse
import json
import re
import sys
from typing import Dict, List, Optional, Tuple

# A console or dmesg line: "# " prefixes of the guest's dumps, a syslog
# level, a timestamp and a caller id, all optional.
PREFIX = re.compile(r'^(?:# ?)*(?:<\d+>)?(?:\[ *\d+\.\d+\] ?)?(?:\[ *[TC]\d+\] ?)?')
BANNER = re.compile(r'^={20,}$')
# What follows a banner when it opens a report (a closing banner, as
# KASAN prints one, is followed by anything else).
KIND = re.compile(r'^(?:\[ )?(?:WARNING|BUG|INFO|UBSAN|KASAN|KCSAN|KFENCE|KMSAN)\b.*:|^\[ BUG: ')
# The end of a report: a harness marker or a TAP line.
OUTSIDE = re.compile(r'^(?:=== harness:|(?:not )?ok \d+\b|K?TAP version \d|1\.\.\d+$)')
# A lock as print_lock_name() prints it: " (name){usage}-{outer:inner}".
LOCK = re.compile(r'\((.+?)\)\{[-+.?]*\}-\{\d+:\d+\}')
ENTRY = re.compile(r'^-> #(\d+) ')
HELD = re.compile(r'^#\d+: ')
# A frame of a stack trace; unreliable ones ("? ") are left out.
FRAME = re.compile(r'^([A-Za-z_.$][\w.$]*)\+0x[0-9a-f]+/0x[0-9a-f]+')
TASK = [
	re.compile(r'^WARNING: (.+)/(\d+) still has locks held!'),
	re.compile(r'^(.+)/(\d+) (?:\[HC\d.*\] )?(?:is trying to|takes:|just changed'
		   r'|is freeing memory|is leaving the kernel)'),
	re.compile(r'^\d+ locks? held by (.+)/(\d+)'),
	re.compile(r'^(?:no )?locks held by (.+)/(\d+)'),
]
CPU_LINE = re.compile(r'^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: (\S+)')
# Frames of nfsd, SUNRPC and the NFS client (and their kernel threads).
RELEVANT = re.compile(r'nfsd|svc_|nfs|rpc|laundromat|copy')
DEBUG_LOCKS = re.compile(r'^(not )?ok \d+ kernel_debug_locks (\d+)')
CAP = 600  # lines of one report at most
NFRAMES = 3


def clean(line: str) -> str:
	return PREFIX.sub('', line.rstrip('\r\n').replace('\r', ''), count=1)


class Report:
	"""One report: its lines (prefixes removed) and what they say."""

	def __init__(self, lines: List[str], at: int) -> None:
		self.lines = lines
		self.at = at  # line number of its banner in the log, from 1
		self.copies = 1
		self.kind = lines[1].strip()
		self.header: List[str] = []
		self.task = ''
		self.locks: List[str] = []
		self.chain = ''
		self.stack: List[str] = []
		self.frames: List[str] = []
		self._parse()

	def _parse(self) -> None:
		# dmesg indents the lines of a record after its first: compare
		# the words of each line without its indent.
		body = [l.strip() for l in self.lines[2:]]
		# The header: after the "-----" line, up to the part that
		# explains it.
		start = next((i + 1 for i, l in enumerate(body[:3]) if l.startswith('---')), 0)
		for l in body[start:]:
			if l.startswith(('other info', 'the existing dependency',
					 'stack backtrace')):
				break
			if l:
				self.header.append(l)
		self.task = self._task()
		entries: Dict[int, str] = {}
		entry_frames: Dict[int, List[str]] = {}
		chain_line: Optional[str] = None
		held: List[str] = []
		in_bt = False
		entry = -1
		for i, l in enumerate(body):
			m = ENTRY.match(l)
			if m:
				entry = int(m.group(1))
				lk = LOCK.search(l)
				if lk:
					entries[entry] = lk.group(1)
			elif l.startswith('Chain exists of:') and i + 1 < len(body):
				chain_line = body[i + 1]
			elif HELD.match(l) and LOCK.search(l):
				held.append(LOCK.search(l).group(1))
			elif l.startswith('stack backtrace:'):
				in_bt = True
			f = FRAME.match(l)
			if f and in_bt:
				self.stack.append(f.group(1))
			elif f:
				entry_frames.setdefault(entry, []).append(f.group(1))
		header_locks = uniq([m for l in self.header for m in LOCK.findall(l)])
		kind = self.kind.lower()
		if 'circular' in kind and entries:
			self.locks = [entries[n] for n in sorted(entries)]
			self.chain = ' -> '.join(self.locks)
		elif 'circular' in kind and chain_line:
			self.locks = [s.strip() for s in chain_line.split('-->')]
			self.chain = ' -> '.join(self.locks)
		elif 'recursive' in kind and header_locks:
			# The lock it wants, then the one it holds (often one class).
			self.locks = [m for l in self.header for m in LOCK.findall(l)][:2]
			self.chain = ' -> '.join(self.locks)
		else:
			self.locks = header_locks or uniq(held)
			self.chain = ', '.join(self.locks)
		# The task's own stack: the backtrace, or else the trace of the
		# lock it wants (-> #0, the same stack), or else any trace.
		frames = self.stack or entry_frames.get(0) or [
			f for n in sorted(entry_frames) for f in entry_frames[n]]
		self.frames = uniq([f for f in frames if RELEVANT.search(f)])[:NFRAMES]

	def _task(self) -> str:
		for l in [self.kind] + self.header + self.lines[2:]:
			for r in TASK:
				m = r.match(l.strip())
				if m:
					return f'{m.group(1)}/{m.group(2)}'
		for l in self.lines:
			m = CPU_LINE.match(l)
			if m:
				return f'{m.group(2)}/{m.group(1)}'
		return ''

	def key(self) -> Tuple[str, ...]:
		"""Kind and the first two header lines: equal for copies of a report."""
		return (self.kind,) + tuple(self.header[:2])

	def as_dict(self, n: int) -> dict:
		return {'n': n, 'kind': self.kind, 'task': self.task, 'locks': self.locks,
			'chain': self.chain, 'frames': self.frames, 'stack': self.stack,
			'header': self.header, 'line': self.at, 'copies': self.copies,
			'lines': len(self.lines)}


def uniq(xs: List[str]) -> List[str]:
	out: List[str] = []
	for x in xs:
		if x not in out:
			out.append(x)
	return out


def split_reports(raw: List[str]) -> List[Report]:
	"""Every report of the log, copies included, in the order they appear."""
	lines = [clean(l) for l in raw]
	reports = []
	i = 0
	while i < len(lines) - 1:
		if not (BANNER.match(lines[i]) and KIND.match(lines[i + 1])):
			i += 1
			continue
		j = i + 2
		in_bt = False
		while j < len(lines) and j - i < CAP:
			l = lines[j]
			if OUTSIDE.match(l) or (BANNER.match(l) and j + 1 < len(lines) and
						KIND.match(lines[j + 1])):
				break
			j += 1
			if l.strip().startswith('stack backtrace:'):
				in_bt = True
			elif in_bt and l.strip() == '</TASK>':
				break
		reports.append(Report(lines[i:j], i + 1))
		i = j
	return reports


def same(a: Report, b: Report) -> bool:
	"""Copies of one report: the same kind, and header lines that agree
	as far as both go (a cut copy may have fewer)."""
	ka, kb = a.key(), b.key()
	k = min(len(ka), len(kb))
	return ka[:k] == kb[:k]


def merge(reports: List[Report]) -> List[Report]:
	out: List[Report] = []
	for r in reports:
		for i, o in enumerate(out):
			if same(o, r):
				best = r if len(r.lines) > len(o.lines) else o
				best.copies = o.copies + 1
				best.at = min(o.at, r.at)
				out[i] = best
				break
		else:
			out.append(r)
	return out


def debug_locks(raw: List[str]) -> Tuple[Optional[int], str]:
	"""debug_locks at the end, from the guest's last kernel_debug_locks line."""
	val: Optional[int] = None
	text = ''
	for l in raw:
		l = l.rstrip('\r\n')
		m = DEBUG_LOCKS.match(l)
		if m:
			val, text = int(m.group(2)), l
	return val, text


def short_kind(kind: str) -> str:
	return re.sub(r'^(?:WARNING: |\[ BUG: )|(?: detected| \])$', '', kind)


def table(reports: List[Report]) -> List[str]:
	head = ('n', 'kind', 'locks (chain: wants the first, holds the last)', 'task',
		'first nfsd/sunrpc/nfs frames')
	rows = [(str(n), short_kind(r.kind), r.chain or '-', r.task or '-',
		 ', '.join(r.frames) or '-') for n, r in enumerate(reports, 1)]
	width = [max(len(x[c]) for x in [head] + rows) for c in range(len(head))]

	def fmt(row: Tuple[str, ...]) -> str:
		return '  '.join(s.ljust(w) for s, w in zip(row, width)).rstrip()

	return [fmt(head), fmt(tuple('-' * w for w in width))] + [fmt(x) for x in rows]


def evaluate(raw: List[str]) -> Tuple[List[Report], Optional[int], str]:
	reports = merge(split_reports(raw))
	dl, dl_line = debug_locks(raw)
	return reports, dl, dl_line


def main() -> int:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('log', help='console log')
	ap.add_argument('--txt', help='write the table and the summary here')
	ap.add_argument('--json', help='write the reports as JSON here')
	args = ap.parse_args()

	with open(args.log, errors='replace') as f:
		raw = f.readlines()
	reports, dl, dl_line = evaluate(raw)
	out = [f'lockdep reports in {args.log}:']
	out += ['  ' + l for l in table(reports)] if reports else ['  none']
	out.append('debug_locks at the end: ' + (
		f'{dl} (guest: "{dl_line}")' if dl is not None else
		'unknown (no kernel_debug_locks line: not a lockdep kernel, '
		'or the checks did not run)'))
	n = len(reports)
	summary = (f'{n} report{"" if n == 1 else "s"}, '
		   f'debug_locks {dl if dl is not None else "unknown"}')
	out.append(summary)
	print('\n'.join(out))
	if args.txt:
		with open(args.txt, 'w') as f:
			f.write('\n'.join(out) + '\n')
	if args.json:
		with open(args.json, 'w') as f:
			json.dump({'log': args.log, 'reports': [r.as_dict(n) for n, r in
								 enumerate(reports, 1)],
				   'debug_locks': dl, 'debug_locks_line': dl_line,
				   'summary': summary}, f, indent=1)
			f.write('\n')
	return 0 if not reports and dl == 1 else 1


if __name__ == '__main__':
	sys.exit(main())
