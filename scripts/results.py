#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results in a harness console log.

The log holds the boot, with KUnit's KTAP output (the series' doctests and
#[kunit_tests] suites run at boot), then the job's output between the
"=== harness: job start" and "=== harness: job exit N" lines: KTAP lines of
its own and kselftest TAP, whose nested results carry "# " prefixes.

KUnit output is parsed with the kernel's own kunit_parser; the job output
by counting leaf results (a result with nested results is counted through
them). A kernel warning, oops or lockdep report before the job's end is one
more failed result. Prints the failed tests and a closing line "N passed,
N failed" (", N skipped" when any), and exits 1 on any failure or when the
job did not run to its end.
"""

import argparse
import re
import sys
from typing import List, Tuple

RESULT = re.compile(r'^(not )?ok \d+\s*(?:- )?([^#]*?)\s*(?:#\s*(\S+).*)?$')
JOB_START = '=== harness: job start'
JOB_EXIT = re.compile(r'^=== harness: job exit (\d+)')
# Kernel reports that fail a run wherever they appear before the job ends:
# WARN(), BUG(), oopses, lockdep's reports (all "WARNING: ..." or
# "INFO: possible ..."), UBSAN, KASAN.
KERNEL_REPORT = re.compile(r'^(?:\[[ \d.]+\] )?(WARNING: |BUG: |Oops|general protection fault|'
			   r'INFO: possible |UBSAN: |Kernel panic)')


class Counts:
	def __init__(self) -> None:
		self.passed = 0
		self.failed = 0
		self.skipped = 0
		self.failures: List[str] = []

	def add(self, ok: bool, skip: bool, name: str) -> None:
		if skip:
			self.skipped += 1
		elif ok:
			self.passed += 1
		else:
			self.failed += 1
			self.failures.append(name)


def depth_of(line: str) -> Tuple[int, str]:
	"""Nesting depth of a kselftest/KTAP line: '# ' prefixes or 2-space indents."""
	depth = 0
	while True:
		if line.startswith('# '):
			line = line[2:]
		elif line.startswith('  '):
			line = line[2:]
		else:
			return depth, line
		depth += 1


def count_job(lines: List[str], counts: Counts) -> None:
	# pending[d]: failed flags of results at depth d not yet claimed by a parent.
	pending: dict = {}
	for raw in lines:
		depth, line = depth_of(raw)
		m = RESULT.match(line)
		if not m:
			continue
		ok = m.group(1) is None
		directive = (m.group(3) or '').upper()
		skip = directive == 'SKIP'
		name = m.group(2).strip()
		kids = pending.pop(depth + 1, [])
		for d in [d for d in pending if d > depth + 1]:
			del pending[d]
		if kids:
			# A parent: its children were counted. A parent failing with
			# passing children (a crash or timeout after them) is a failure.
			if not ok and not skip and not any(kids):
				counts.add(False, False, name)
		else:
			counts.add(ok, skip, name)
		pending.setdefault(depth, []).append(not ok and not skip)


def count_kunit(lines: List[str], counts: Counts, kunit_dir: str) -> None:
	sys.path.insert(0, kunit_dir)
	import kunit_parser  # type: ignore
	import kunit_printer  # type: ignore

	test = kunit_parser.parse_run_tests(lines, kunit_printer.null_printer)
	c = test.counts
	counts.passed += c.passed
	counts.skipped += c.skipped
	counts.failed += c.failed + c.crashed + c.errors

	def walk(t, parent: str) -> None:
		name = f'{parent}.{t.name}' if parent else t.name
		if not t.subtests and t.status.name in ('FAILURE', 'TEST_CRASHED'):
			counts.failures.append(f'kunit: {name}')
		for s in t.subtests:
			walk(s, name if t.name else '')

	walk(test, '')
	if c.errors:
		counts.failures.append(f'kunit: {c.errors} parse error(s)')


def main() -> int:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('log', help='console log')
	ap.add_argument('--kunit-dir', help='tools/testing/kunit of the kernel tree')
	args = ap.parse_args()

	with open(args.log, errors='replace') as f:
		lines = [l.rstrip('\r\n').replace('\r', '') for l in f]
	try:
		start = lines.index(JOB_START)
	except ValueError:
		start = len(lines)
	boot, job = lines[:start], lines[start + 1:]
	exit_code = None
	for i, l in enumerate(job):
		m = JOB_EXIT.match(l)
		if m:
			exit_code = int(m.group(1))
			job = job[:i]
			break

	counts = Counts()
	if args.kunit_dir:
		count_kunit(boot, counts, args.kunit_dir)
	count_job(job, counts)
	if exit_code is None:
		counts.add(False, False, 'guest job did not finish')
	reports = [l for l in boot + job if KERNEL_REPORT.match(l)]
	for l in reports[:10]:
		print(f'kernel report: {l}')
	counts.add(not reports, False, f'no kernel warnings or oopses ({len(reports)})')

	for name in counts.failures:
		print(f'FAILED: {name}')
	line = f'{counts.passed} passed, {counts.failed} failed'
	if counts.skipped:
		line += f', {counts.skipped} skipped'
	print(line)
	return 1 if counts.failed or counts.passed == 0 else 0


if __name__ == '__main__':
	sys.exit(main())
