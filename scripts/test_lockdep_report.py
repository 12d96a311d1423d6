#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit tests of lockdep_report.py on a console fixture (scripts/fixtures/):
a circular locking report modelled on print_circular_bug() as the guest
shows it, cut (kernel_log's dump) and in full (lockdep_dump)."""

import os
import unittest
from typing import List

import lockdep_report as lr

HERE = os.path.dirname(os.path.abspath(__file__))
FIX = os.path.join(HERE, 'fixtures')

RCU = '''
=============================
WARNING: suspicious RCU usage
7.3.4+ #76 Tainted: G                 N
-----------------------------
fs/nfsd/nfs4state.c:6512 suspicious rcu_dereference_check() usage!

other info that might help us debug this:


rcu_scheduler_active = 2, debug_locks = 1
locks held by kworker/u8:3/77: 1, last CPU#0:
 #0: ffff888004a1c0e8 (&nn->client_lock){+.+.}-{3:3}, at: nfs4_laundromat+0x5c/0x5a0

stack backtrace:
CPU: 0 UID: 0 PID: 77 Comm: kworker/u8:3 Tainted: G                 N  7.3.4+ #76
Workqueue: nfsd4 laundromat_main
Call Trace:
 <TASK>
 dump_stack_lvl+0x6f/0xb0
 lockdep_rcu_suspicious+0x150/0x1c0
 nfs4_laundromat+0x3f1/0x5a0
 laundromat_main+0x16/0x40
 process_one_work+0x21e/0x5b0
 </TASK>
'''.splitlines()


def fixture(name: str) -> List[str]:
	with open(os.path.join(FIX, name)) as f:
		return f.readlines()


def without_full_dump(lines: List[str]) -> List[str]:
	"""The fixture as a guest without lockdep_dump shows it (the cut dump only)."""
	i = next(i for i, l in enumerate(lines) if 'reports of the kernel log in full' in l)
	j = next(i for i, l in enumerate(lines) if l.startswith('=== harness: end'))
	return lines[:i] + lines[j:]


class LockdepReport(unittest.TestCase):
	def test_circular(self) -> None:
		reports, dl, line = lr.evaluate(fixture('lockdep-circular.log'))
		self.assertEqual(len(reports), 1, [r.kind for r in reports])
		r = reports[0]
		self.assertEqual(r.kind, 'WARNING: possible circular locking dependency detected')
		self.assertEqual(r.locks, ['wq_pool_mutex', 'fs_reclaim'])
		self.assertEqual(r.chain, 'wq_pool_mutex -> fs_reclaim')
		self.assertEqual(r.task, 'nfsd/1187')
		self.assertEqual(r.frames, ['nfsd4_exchange_id', 'nfsd4_proc_compound',
					    'nfsd_dispatch'])
		self.assertIn('nfsd_loopback_serve', r.stack)
		self.assertNotIn('__pfx_nfsd', r.stack)  # "? " frames are unreliable
		# The cut dump and the full one: one report, the full copy kept.
		self.assertEqual(r.copies, 2)
		self.assertEqual(r.stack[-1], 'ret_from_fork_asm')
		self.assertEqual(dl, 0)
		self.assertIn('lockdep turned itself off', line)

	def test_console_copy_is_merged(self) -> None:
		lines = fixture('lockdep-circular.log')
		# The same report as printk puts it on the console (before the
		# guest's "dmesg -n 1"): no "# ", no timestamps, no indent.
		i = next(i for i, l in enumerate(lines) if 'reports of the kernel log in full' in l)
		raw = [l[2:].split('] ', 1)[-1].strip() + '\n' for l in lines[i + 1:]
		       if l.startswith('# ')]
		reports, _, _ = lr.evaluate(lines[:3] + raw + lines[3:])
		self.assertEqual([(r.copies, r.chain, r.at) for r in reports],
				 [(3, 'wq_pool_mutex -> fs_reclaim', 4)])

	def test_cut_dump_only(self) -> None:
		reports, _, _ = lr.evaluate(without_full_dump(fixture('lockdep-circular.log')))
		self.assertEqual(len(reports), 1)
		r = reports[0]
		self.assertEqual((r.chain, r.task, r.stack), ('wq_pool_mutex -> fs_reclaim',
							       'nfsd/1187', []))
		# No backtrace: the frames of the lock it wants (-> #0) are cut
		# too, so those of the chain's other entries stand in.
		self.assertEqual(r.frames, ['nfs4_state_start', 'nfsd_svc',
					    'nfsctl_transaction_write'])

	def test_chain_exists_line(self) -> None:
		lines = ['======================================================',
			 'WARNING: possible circular locking dependency detected',
			 '------------------------------------------------------',
			 'nfsd/9 is trying to acquire lock:',
			 'other info that might help us debug this:',
			 'Chain exists of:',
			 '  &sb->s_type->i_mutex_key#12 --> sb_internal --> fs_reclaim',
			 '']
		reports, _, _ = lr.evaluate(lines)
		self.assertEqual(reports[0].chain,
				 '&sb->s_type->i_mutex_key#12 -> sb_internal -> fs_reclaim')

	def test_rcu_and_circular(self) -> None:
		lines = fixture('lockdep-circular.log')
		reports, _, _ = lr.evaluate(RCU + lines)
		self.assertEqual([r.kind for r in reports], ['WARNING: suspicious RCU usage',
							     'WARNING: possible circular locking '
							     'dependency detected'])
		r = reports[0]
		self.assertEqual((r.task, r.locks), ('kworker/u8:3/77', ['&nn->client_lock']))
		self.assertEqual(r.frames, ['nfs4_laundromat', 'laundromat_main'])

	def test_clean(self) -> None:
		lines = without_full_dump(fixture('lockdep-circular.log'))
		i = next(i for i, l in enumerate(lines) if l.startswith('not ok 2 kernel_log'))
		j = next(i for i, l in enumerate(lines) if l.startswith('ok 3 kernel_hung'))
		lines = lines[:i] + ['ok 2 kernel_log no WARNING, BUG, oops, lockdep, UBSAN or'
				     ' KASAN report\n'] + lines[j:]
		lines = [l.replace('not ok 4 kernel_debug_locks 0 (lockdep turned itself off)',
				   'ok 4 kernel_debug_locks 1 (lockdep still on)') for l in lines]
		reports, dl, _ = lr.evaluate(lines)
		self.assertEqual((reports, dl), ([], 1))

	def test_no_debug_locks_line(self) -> None:
		reports, dl, _ = lr.evaluate(fixture('pass.log'))
		self.assertEqual((reports, dl), ([], None))

	def test_closing_banner_is_no_report(self) -> None:
		lines = ['==================================================================',
			 'Disabling lock debugging due to kernel taint']
		self.assertEqual(lr.evaluate(lines)[0], [])


if __name__ == '__main__':
	unittest.main()
