#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of results.py on small console fixtures (scripts/fixtures/)."""

import contextlib
import io
import os
import unittest

import results

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures')


def run(name: str, strict: bool = True, expect: bool = True) -> results.Counts:
	with open(os.path.join(FIX, name)) as f:
		lines = [l.rstrip('\n') for l in f]
	exp = results.read_expect(os.path.join(FIX, 'expect.txt')) if expect else []
	with contextlib.redirect_stdout(io.StringIO()):
		return results.evaluate(lines, None, exp, strict)


class Results(unittest.TestCase):
	def test_pass(self) -> None:
		c = run('pass.log')
		self.assertEqual((c.passed, c.failed, c.skipped), (10, 0, 0), c.failures)
		self.assertEqual(c.suites['gfp_scope.sh'], 2)
		self.assertEqual(c.suites['nfs_loopback.sh'], 3)
		self.assertEqual(c.suites['kernel'], 3)

	def test_crash_mid_run(self) -> None:
		c = run('crash.log')
		self.assertGreater(c.failed, 0)
		self.assertTrue(any('plan 1..3 but 1 results' in f for f in c.failures), c.failures)
		self.assertTrue(any('nfs_loopback.sh: 1 results, expected at least 3' in f
				    for f in c.failures), c.failures)

	def test_missing_suite(self) -> None:
		c = run('skipall.log', strict=False)
		self.assertEqual(c.failed, 1, c.failures)
		self.assertIn('gfp_scope.sh: 1 results, expected at least 2', c.failures)

	def test_skip_is_failure_when_strict(self) -> None:
		c = run('skipall.log', strict=True, expect=False)
		self.assertEqual(c.failed, 1, c.failures)
		self.assertIn('skipped', c.failures[0])

	def test_skip_after_results_is_failure_when_strict(self) -> None:
		c = run('skip-after-results.log')
		self.assertEqual(len(c.failures), 1, c.failures)
		self.assertIn('skipped after its results', c.failures[0])

	def test_rcu_stall_with_prefix(self) -> None:
		with open(os.path.join(FIX, 'pass.log')) as f:
			lines = [l.rstrip('\n') for l in f]
		lines.insert(1, '[    9.000000] rcu: INFO: rcu_preempt self-detected stall on CPU')
		with contextlib.redirect_stdout(io.StringIO()):
			c = results.evaluate(lines, None, [], True)
		self.assertIn('kernel reports on the console: 1', c.failures)

	def test_hung_task_in_io_wait(self) -> None:
		# 7.3's wording for a task in I/O wait; the "is blocked on"
		# lines that may follow it are not a second report.
		with open(os.path.join(FIX, 'pass.log')) as f:
			lines = [l.rstrip('\n') for l in f]
		lines.insert(1, '[  130.000000] INFO: task python3:1 blocked in I/O wait for more than 122 '
			     'seconds.')
		lines.insert(2, '[  130.000100] INFO: task python3:1 is blocked on a mutex likely owned by '
			     'task nfsd:2.')
		with contextlib.redirect_stdout(io.StringIO()):
			c = results.evaluate(lines, None, [], True)
		self.assertIn('kernel reports on the console: 1', c.failures)

	def test_nonzero_exit(self) -> None:
		c = run('exit.log')
		self.assertEqual(c.failures, ['the guest job exited 2'])

	def test_job_died_early(self) -> None:
		c = run('died.log')
		self.assertIn('the guest job exited 2', c.failures)
		self.assertTrue(any('missing' in f for f in c.failures), c.failures)

	def test_kernel_warning(self) -> None:
		c = run('warning.log')
		self.assertEqual(c.failures, ['kernel reports on the console: 1'])

	def test_checks_did_not_run(self) -> None:
		c = run('timeout.log')
		self.assertIn('the guest job did not reach its end (crash, hang or timeout)', c.failures)
		self.assertIn("the guest's kernel checks did not run", c.failures)

	def test_block_after_kselftests(self) -> None:
		# The job's second KTAP block (the daemons again) after the
		# kselftests' TAP: its own plan, its results in their suites.
		with open(os.path.join(FIX, 'pass.log')) as f:
			lines = [l.rstrip('\n') for l in f]
		i = lines.index('=== harness: kselftest end')
		lines[i + 1:i + 1] = [
			'KTAP version 1', '1..2',
			'ok 1 io_flusher_rpc.mountd pid 301 flags 0x00580140 (both, after)',
			'not ok 2 io_flusher_nfsdcld not running (want both flags, after)']
		with contextlib.redirect_stdout(io.StringIO()):
			c = results.evaluate(lines, None, [('io_flusher_rpc.mountd', 1)], True)
		self.assertEqual(c.failures, ['io_flusher_nfsdcld: io_flusher_nfsdcld not running '
					      '(want both flags, after)'])
		self.assertEqual((c.suites['io_flusher_rpc.mountd'], c.suites['gfp_scope.sh']),
				 (1, 2))

	def test_nothing_passed(self) -> None:
		c = results.evaluate([], None, [], True)
		self.assertIn('nothing passed', c.failures)


if __name__ == '__main__':
	unittest.main()
