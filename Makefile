# SPDX-License-Identifier: GPL-2.0
# Harness for the loop-back NFS series: build the patched kernel with the
# pinned toolchain, boot it in QEMU, run the tests. Run as root. See
# README.md. Each target is one small script in scripts/.

SHELL := /bin/bash
.SUFFIXES:
.DEFAULT_GOAL := help

# Variables that may be set on the command line; anything else is a typo.
KNOWN_VARS := CACHE JOBS MEM SMP TIMEOUT ACCEL MIRROR FORCE APPEND HUNG_TASK_SECS \
	GUEST_MIB GUEST_FS GUEST_VERS GUEST_IO GUEST_SECONDS GUEST_REPS GUEST_LEVELS \
	GUEST_TARGETS GUEST_THREADS GUEST_ROUNDS GUEST_TESTS CHECK_CONFIG LOCKDEP \
	KASAN SUITES_VARIANTS GUEST_MATRIX GUEST_FAULTS GUEST_HOG GUEST_FSX_OPS \
	GUEST_FIO_MIB GUEST_SUITE_LIMIT GUEST_FAULT_TIMES GUEST_FAULT_PROB GUEST_FAULT_SECS \
	GUEST_LOCK_TESTS GUEST_POSIX_TESTS GUEST_IO_SECS CONFIG \
	FAILOVER_RUNS GUEST_KILL_AFTER GUEST_RESUME_BOUND
$(foreach v,$(.VARIABLES),$(if $(filter command line,$(origin $(v))),\
	$(if $(filter $(v),$(KNOWN_VARS)),,\
	$(error unknown variable $(v) (known: $(KNOWN_VARS))))))
export $(foreach v,$(KNOWN_VARS),$(if $(filter undefined,$(origin $(v))),,$(v)))
export T0 := $(shell date +%s)

S := scripts

.PHONY: help run test bench tree export kernel check qemu toolchain rootfs bisect baseline \
	copyexp netnsexp lockdep suites deb failover

help:
	@echo "make run      build the patched kernel, boot it, loop-back NFS round trip"
	@echo "make test     checks, build, boot, KUnit + kselftests; 'N passed, N failed'"
	@echo "make tree     base tree + git am patches/   make export  tree -> patches/"
	@echo "make kernel   build only                    make check   checkpatch/rustfmt/clippy/rustdoc"
	@echo "make qemu     interactive guest shell       make bisect  build every patch on its own"
	@echo "make bench    local vs loop-back NFS (RPC, LOCALIO) under memory pressure: table, JSON, PNG"
	@echo "make baseline make test's tests on base 7.3.4 + the selftest patches: they must fail"
	@echo "make copyexp  a loop-back async COPY under memory and dirty pressure, switch on/off"
	@echo "make netnsexp buffered writes of a client in another netns of this kernel, on/off"
	@echo "make lockdep  make test's tests on a lockdep build; a table of every lockdep report"
	@echo "make suites   nfstest, fsx, fio verify, fault injection over loop-back mounts;"
	@echo "              normal and KASAN kernels, switch on and off: a table"
	@echo "make failover two guests: node A serves, node B mounts and writes; A is powered"
	@echo "              off, B takes over and its mount becomes loop-back: table, JSON, PNG"
	@echo "make deb      Debian kernel packages (bindeb-pkg) from CONFIG=path (default the"
	@echo "              harness's) + configs/deb/series.config; the guest installs them"

toolchain:
	@$(S)/toolchain.sh

rootfs: toolchain
	@$(S)/rootfs.sh

tree: toolchain
	@$(S)/tree.sh

kernel: tree
	@$(S)/kernel.sh

export:
	@$(S)/export.sh

check: kernel
	@$(S)/check.sh

bisect: tree
	@$(S)/bisect.sh

run: kernel rootfs
	@$(S)/run.sh

test: check rootfs
	@$(S)/test.sh

bench: kernel rootfs
	@$(S)/bench.sh

baseline: tree rootfs
	@$(S)/baseline.sh

copyexp: kernel rootfs
	@$(S)/copyexp.sh

netnsexp: kernel rootfs
	@$(S)/netnsexp.sh

# The lockdep kernel (LOCKDEP=1, build-lockdep) is built by the script.
lockdep: tree rootfs
	@$(S)/lockdep.sh

# The KASAN kernel (KASAN=1, build-kasan) is built by the script.
suites: kernel rootfs
	@$(S)/suites.sh

failover: kernel rootfs
	@$(S)/failover.sh

deb: kernel rootfs
	@$(S)/deb.sh

qemu: kernel rootfs
	@INTERACTIVE=1 TIMEOUT=$${TIMEOUT:-86400} $(S)/boot.sh shell
