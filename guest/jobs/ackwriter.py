#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write, fsync, record what was acknowledged; later check it is all there.

ackwriter.py write DIR ACKS SECONDS FAIL [STOP]: for SECONDS (or until the
file STOP exists), two files in DIR
(32 MiB each, written round and round) get batches of eight 64 KiB
records and an fsync after each batch. Every batch has its own sequence
number, and each record is a pattern made of the file, the offset and
that number, so a rewrite that was lost shows. Before a batch,
"p FILE OFFSET SEQ T" goes to ACKS (a local file, flushed); after its
fsync returned 0, "a FILE OFFSET SEQ T": that batch is acknowledged (T:
CLOCK_MONOTONIC in seconds, the guest's uptime). An
error (open, write, fsync) is counted and printed; the writer closes the
file and writes the same offsets again as a new batch. FAIL 1: the
writer's open(), pwrite() and fsync() calls, and only they, are in the fault
injection too (/proc/self/make-it-fail 1 around them, 0 around its own
log and output). Prints errors=N and acked=BYTES (all acknowledged
batches, rewrites included).

ackwriter.py verify DIR ACKS: read every record back; each must hold the
pattern of its last acknowledged batch, unless a later batch over it was
begun and never acknowledged (killed, or time ran out: not checked).
Prints checked=BYTES and lost=BYTES (acknowledged bytes that differ or
are missing); exits 1 if any are lost.
"""
import os
import sys
import time

REC = 64 * 1024
BATCH = 8
FILE = 32 * 1024 * 1024


def pattern(name, off, seq):
    head = f"{name}:{off}:{seq}:".encode()
    return (head * (REC // len(head) + 1))[:REC]


class Faults:
    """make-it-fail for this task, on only while the writer does I/O."""

    def __init__(self, on):
        self.fd = os.open("/proc/self/make-it-fail", os.O_WRONLY) if on else None

    def set(self, v):
        if self.fd is not None:
            os.pwrite(self.fd, b"1" if v else b"0", 0)


def write(d, acks, secs, fail, stop=None):
    faults = Faults(fail)
    end = time.monotonic() + secs
    errors = 0
    acked = 0
    seq = 0
    offs = {"a": 0, "b": 0}
    fds = {}
    with open(acks, "w") as log:
        while time.monotonic() < end and not (stop and os.path.exists(stop)):
            for n in offs:
                off = offs[n]
                seq += 1
                bufs = [pattern(n, off + i * REC, seq) for i in range(BATCH)]
                log.write(f"p {n} {off} {seq} {time.monotonic():.3f}\n")
                log.flush()
                err = None
                faults.set(True)
                try:
                    if n not in fds:
                        fds[n] = os.open(os.path.join(d, n), os.O_RDWR | os.O_CREAT, 0o644)
                    for i in range(BATCH):
                        if os.pwrite(fds[n], bufs[i], off + i * REC) != REC:
                            raise OSError("short write")
                    os.fsync(fds[n])
                except OSError as e:
                    err = e
                    fd = fds.pop(n, None)
                    if fd is not None:
                        try:
                            os.close(fd)
                        except OSError:
                            pass
                finally:
                    faults.set(False)
                if err is None:
                    log.write(f"a {n} {off} {seq} {time.monotonic():.3f}\n")
                    log.flush()
                    acked += BATCH * REC
                    offs[n] = (off + BATCH * REC) % FILE
                else:
                    errors += 1
                    print(f"error on {n} at {off} (batch {seq}): {err}", flush=True)
                    time.sleep(0.2)
    for fd in fds.values():
        try:
            os.close(fd)
        except OSError as e:
            errors += 1
            print(f"error at close: {e}", flush=True)
    print(f"errors={errors}")
    print(f"acked={acked}")
    return 0


def verify(d, acks):
    want = {}
    pending = {}
    with open(acks) as f:
        for line in f:
            # A line still being written when ACKS was copied is no record.
            if not line.endswith("\n"):
                continue
            w = line.split()
            if len(w) not in (4, 5) or w[0] not in ("p", "a"):
                continue
            n, off, seq = w[1], int(w[2]), int(w[3])
            if w[0] == "p":
                pending[(n, off)] = seq
                continue
            pending.pop((n, off), None)
            for i in range(BATCH):
                want.setdefault(n, {})[off + i * REC] = seq
    # A batch begun and never acknowledged leaves its records undefined.
    unsettled = {(n, off + i * REC) for (n, off) in pending for i in range(BATCH)}
    lost = 0
    checked = 0
    for n, recs in sorted(want.items()):
        try:
            with open(os.path.join(d, n), "rb") as f:
                for off, seq in sorted(recs.items()):
                    if (n, off) in unsettled:
                        continue
                    f.seek(off)
                    got = f.read(REC)
                    exp = pattern(n, off, seq)
                    checked += REC
                    if got != exp:
                        bad = sum(1 for a, b in zip(got, exp) if a != b) + REC - len(got)
                        lost += bad
                        print(f"{n}: record at {off} (batch {seq}): {bad} bytes differ")
        except OSError as e:
            print(f"{n}: {e}")
            lost += REC * sum(1 for off in recs if (n, off) not in unsettled)
    print(f"checked={checked}")
    print(f"lost={lost}")
    return 1 if lost else 0


def main(argv):
    if len(argv) in (6, 7) and argv[1] == "write" and argv[5] in ("0", "1"):
        return write(argv[2], argv[3], int(argv[4]), argv[5] == "1",
                     argv[6] if len(argv) == 7 else None)
    if len(argv) == 4 and argv[1] == "verify":
        return verify(argv[2], argv[3])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
