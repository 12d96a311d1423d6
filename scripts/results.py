#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Count the results in a harness console log.

The log holds the boot, with KUnit's KTAP output (the series' doctests and
#[kunit_tests] suites run at boot), then the job's output between the
"=== harness: job start" and "=== harness: job exit N" lines (KTAP lines
of its own and kselftest TAP, whose nested results carry "# " prefixes),
then the guest's own kernel checks (taint, lockdep, kernel log) as one
more KTAP block up to "=== harness: end".

KUnit output is parsed with the kernel's own kunit_parser; the rest by
counting leaf results (a result with nested results is counted through
them). A run fails when any of these holds:
- a result failed; with --strict, a result was skipped (a test that did
  not run proves nothing);
- a KTAP/TAP plan ("1..N") does not match the results that follow it
  (a test that crashed mid-way);
- the job exited non-zero, or did not reach its end, or the kernel checks
  did not run;
- a suite named in --expect is missing or has fewer results than listed;
- nothing passed;
- the console shows a kernel report (WARNING, BUG, oops, lockdep, hung
  task, soft lockup, RCU stall).
Prints the failures and a closing line "N passed, N failed" (", N
skipped" when any) and exits 1 on any failure.
"""

import argparse
import re
import sys
from typing import Dict, List, Optional, Tuple

RESULT = re.compile(r'^(not )?ok (\d+)\s*(?:- )?([^#]*?)\s*(?:#\s*(\S+).*)?$')
PLAN = re.compile(r'^1\.\.(\d+)\s*(?:#.*)?$')
VERSION = re.compile(r'^(?:K?TAP) version \d+')
JOB_START = '=== harness: job start'
JOB_EXIT = re.compile(r'^=== harness: job exit (-?\d+)')
CHECKS_START = '=== harness: kernel checks'
END = '=== harness: end'
# A kselftest program's own result line, as run_kselftest.sh prints it.
KSELFTEST = re.compile(r'^selftests: [^:]+: (\S+)')
# Kernel reports that fail a run wherever they appear on the console.
KERNEL_REPORT = re.compile(
	r'^(?:<\d+>)?(?:\[[ \d.]+\] ?)?(?:\[ *[TC]\d+\] )?(?:\w+: )?'
	r'(WARNING: |BUG: |Oops|general protection fault|INFO: possible |'
	r'INFO: task .* blocked (?:in I/O wait )?for more than|INFO: rcu_\w+ (?:self-)?detected stall|'
	r'watchdog: BUG: soft lockup|UBSAN: |Kernel panic|'
	r'======================================================)')


class Counts:
	"""Leaf results per suite, and the failures to report."""

	def __init__(self, strict: bool) -> None:
		self.strict = strict
		self.passed = 0
		self.failed = 0
		self.skipped = 0
		self.failures: List[str] = []
		self.suites: Dict[str, int] = {}

	def add(self, suite: str, ok: bool, skip: bool, name: str) -> None:
		self.suites[suite] = self.suites.get(suite, 0) + 1
		if skip and self.strict:
			self.failed += 1
			self.failures.append(f'{suite}: {name} (skipped: did not run)')
		elif skip:
			self.skipped += 1
		elif ok:
			self.passed += 1
		else:
			self.failed += 1
			self.failures.append(f'{suite}: {name}')

	def fail(self, what: str) -> None:
		"""A failure that is not a test result: counted as one failed result."""
		self.failed += 1
		self.failures.append(what)


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


class Block:
	"""One (K)TAP block at one depth: its plan and the results seen."""

	def __init__(self) -> None:
		self.plan: Optional[int] = None
		self.seen = 0
		self.failed = False


def count_tap(lines: List[str], counts: Counts, section: str) -> None:
	"""Count the leaf results of KTAP/TAP output and check every plan.

	Leaves at the top level belong to the suite named by the first word of
	their name (the job's own results) or to SECTION; nested output after
	a "selftests: DIR: PROG" line belongs to PROG. A result with nested
	results is counted through them; one that failed although its nested
	results all passed (a crash after them, a non-zero exit) is a failure
	of its own, and so is one whose nested results are missing."""
	blocks: Dict[int, Block] = {}
	prog: Optional[str] = None
	owner: Dict[int, str] = {}

	def close(depth: int) -> Tuple[int, bool]:
		b = blocks.pop(depth, None)
		name = owner.pop(depth, section)
		if b is None:
			return 0, False
		if b.plan is None and b.seen:
			counts.fail(f'{name}: results without a plan')
		elif b.plan is not None and b.plan != b.seen:
			counts.fail(f'{name}: plan 1..{b.plan} but {b.seen} results (crashed?)')
		return b.seen, b.failed

	def close_below(depth: int) -> None:
		for d in sorted([d for d in blocks if d > depth], reverse=True):
			close(d)

	def block(depth: int) -> Block:
		if depth not in blocks:
			blocks[depth] = Block()
			owner[depth] = prog if (prog and depth > 0) else section
		return blocks[depth]

	for raw in lines:
		depth, line = depth_of(raw)
		if depth == 1:
			m = KSELFTEST.match(line)
			if m and not RESULT.match(line):
				close_below(0)
				prog = m.group(1)
				continue
		if VERSION.match(line):
			close_below(depth - 1)
			block(depth)
			continue
		m = PLAN.match(line)
		if m:
			block(depth).plan = int(m.group(1))
			continue
		m = RESULT.match(line)
		if not m:
			continue
		ok = m.group(1) is None
		skip = (m.group(4) or '').upper().startswith('SKIP')
		name = m.group(3).strip()
		kid_owner = owner.get(depth + 1)
		kids, kids_failed = close(depth + 1)
		close_below(depth + 1)
		b = block(depth)
		b.seen += 1
		k = KSELFTEST.match(name)
		suite = owner[depth]
		if depth == 0 and section == 'job':
			suite = k.group(1) if k else re.split(r'[ :(]', name, maxsplit=1)[0]
		if kids:
			# A parent: its children were counted.
			if not ok and not skip and not kids_failed:
				counts.fail(f'{kid_owner or suite}: {name} failed after its results')
			elif skip and counts.strict:
				counts.fail(f'{kid_owner or suite}: {name} skipped after its results')
			b.failed |= kids_failed or (not ok and not skip)
		else:
			# A leaf, or a program that printed no results of its own
			# (skipped entirely, or died before its plan).
			if k:
				name = f'{name} (no results of its own)'
				suite = k.group(1)
			counts.add(suite, ok, skip, name)
			b.failed |= not ok and not skip
		if depth == 0:
			prog = None
	close_below(-1)


def count_job(lines: List[str], counts: Counts) -> None:
	"""The job's output: its own KTAP and the kselftests' TAP."""
	count_tap(lines, counts, 'job')


def count_kunit(lines: List[str], counts: Counts, kunit_dir: str) -> None:
	sys.path.insert(0, kunit_dir)
	import kunit_parser  # type: ignore
	import kunit_printer  # type: ignore

	test = kunit_parser.parse_run_tests(lines, kunit_printer.null_printer)

	def walk(t, suite: str, parent: str) -> None:
		name = f'{parent}.{t.name}' if parent else t.name
		if not t.subtests:
			status = t.status.name
			counts.add(f'kunit:{suite}', status == 'SUCCESS', status == 'SKIPPED',
				   name)
			return
		for s in t.subtests:
			walk(s, suite or s.name, name if t.name else '')

	for s in test.subtests:
		walk(s, s.name, '')
	if test.counts.errors:
		counts.fail(f'kunit: {test.counts.errors} parse error(s)')


def read_expect(path: str) -> List[Tuple[str, int]]:
	"""Lines "SUITE MIN" (# comments): suites that must have at least MIN
	results. KUnit suites are named "kunit:NAME"."""
	out = []
	with open(path) as f:
		for line in f:
			line = line.split('#', 1)[0].strip()
			if not line:
				continue
			try:
				name, n = line.split()
				out.append((name, int(n)))
			except ValueError:
				raise SystemExit(f'{path}: bad line "{line}" (want "SUITE MIN")')
	return out


def split_log(lines: List[str]) -> Tuple[List[str], List[str], Optional[int], Optional[List[str]]]:
	"""Boot, job output, job exit code (None if the job did not end),
	kernel checks (None if they did not run)."""
	try:
		start = lines.index(JOB_START)
	except ValueError:
		return lines, [], None, None
	boot, rest = lines[:start], lines[start + 1:]
	for i, l in enumerate(rest):
		m = JOB_EXIT.match(l)
		if m:
			job, after = rest[:i], rest[i + 1:]
			checks = None
			if CHECKS_START in after:
				c = after[after.index(CHECKS_START) + 1:]
				checks = c[:c.index(END)] if END in c else None
			return boot, job, int(m.group(1)), checks
	return boot, rest, None, None


def evaluate(lines: List[str], kunit_dir: Optional[str], expect: List[Tuple[str, int]],
	     strict: bool) -> Counts:
	counts = Counts(strict)
	boot, job, exit_code, checks = split_log(lines)
	if kunit_dir:
		count_kunit(boot, counts, kunit_dir)
	count_job(job, counts)
	if exit_code is None:
		counts.fail('the guest job did not reach its end (crash, hang or timeout)')
	elif exit_code != 0:
		counts.fail(f'the guest job exited {exit_code}')
	if checks is None:
		counts.fail("the guest's kernel checks did not run")
	else:
		count_tap(checks, counts, 'kernel')
	for name, n in expect:
		have = counts.suites.get(name, 0)
		if have == 0:
			counts.fail(f'{name}: missing (expected at least {n} results)')
		elif have < n:
			counts.fail(f'{name}: {have} results, expected at least {n}')
	# The console up to the end of the guest's checks: after that it
	# powers off, which is no part of the run.
	upto = lines.index(END) if END in lines else len(lines)
	reports = [l for l in lines[:upto] if KERNEL_REPORT.match(l)]
	for l in reports[:10]:
		print(f'kernel report: {l}')
	if reports:
		counts.fail(f'kernel reports on the console: {len(reports)}')
	if counts.passed == 0:
		counts.fail('nothing passed')
	return counts


def main() -> int:
	ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	ap.add_argument('log', help='console log')
	ap.add_argument('--kunit-dir', help='tools/testing/kunit of the kernel tree')
	ap.add_argument('--expect', help='file of "SUITE MIN" lines: suites that must be there')
	ap.add_argument('--strict', action='store_true', help='a skipped result is a failure')
	ap.add_argument('--summary', action='store_true', help='print results per suite')
	args = ap.parse_args()

	with open(args.log, errors='replace') as f:
		lines = [l.rstrip('\r\n').replace('\r', '') for l in f]
	expect = read_expect(args.expect) if args.expect else []
	counts = evaluate(lines, args.kunit_dir, expect, args.strict)
	if args.summary:
		for name in sorted(counts.suites):
			print(f'  {name}: {counts.suites[name]} results')
	for name in counts.failures:
		print(f'FAILED: {name}')
	line = f'{counts.passed} passed, {counts.failed} failed'
	if counts.skipped:
		line += f', {counts.skipped} skipped'
	print(line)
	return 1 if counts.failed else 0


if __name__ == '__main__':
	sys.exit(main())
