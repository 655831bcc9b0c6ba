# anvil - the one entry point.
#
#   make            build build/kernel.elf (and the user programs and initramfs)
#   make iso        build/anvil.iso, bootable by GRUB
#   make qemu       boot the ISO in QEMU, serial console on this terminal (Ctrl-A X quits), / on
#                   the ext2 disk anvil-disk.img (made if missing, kept between runs)
#   make fresh-disk anvil-disk.img made anew from today's programs
#   make qemu-gdb   the same, but QEMU waits for GDB (run `gdb` in this folder)
#   make test       every test; ends with "N passed, N failed"
#   make bench      benchmark table (ratios measured in one run)
#   make bench-rmap the four rmap schemes side by side in one table (build/bench-rmap.md)
#   make profile    the kernel functions busiest while a program runs: PROFILE_PROG=<program>
#                   (default vmbench), PROFILE_ARGS=<its arguments>
#   make bench-linux anvil against Linux 6.1 in the same QEMU (build/bench-linux.md)
#   make grade LAB=rmap   one lab's tests and score (labs/README.md)
#   make fuzz       a system-call fuzzing campaign: SEED=<n[,n...]> (default 1), CALLS=<per seed>,
#                   FUZZ_MEM=<MiB> (default 16), THREADS=<n>: batches of n threads (fuzz -t)
#   make clean      remove build/ (not anvil-disk.img)
#
# Variables: ACCEL=kvm (default tcg), MEM=<MiB> (default 128), SMP=<CPUs> (default 2; 1 in a lab tree),
# GDBPORT=<port>,
# ROOT_DISK=<file> (default anvil-disk.img) and ROOT_DISK_MB=<MiB> (default 64),
# LAB=<lab> and GRADE_EXTRA=<dir> for make grade, RMAP=<scheme> (anon_vma,
# anon_vma_chain, anonmm, pte_chain: the reverse-mapping scheme, built in
# build/rmap-<scheme> unless it is the default anon_vma).

VERSION := 0.1
CROSS ?= i686-linux-gnu-
CC := $(CROSS)gcc
LD := $(CROSS)ld
NM := $(CROSS)nm
OBJCOPY := $(CROSS)objcopy
NASM ?= nasm
QEMU ?= qemu-system-i386
SWAP_MB ?= 64
ROOT_DISK ?= anvil-disk.img
ROOT_DISK_MB ?= 64
ACCEL ?= tcg
MEM ?= 128
# a lab's student tree (labs/HANDOUT) has the tlb lab's stubs, which flush only the local TLB
SMP ?= $(if $(wildcard labs/HANDOUT),1,2)
GDBPORT ?= 1234
# The anonymous reverse-mapping scheme (anvil/rmap.h, docs/rmap-schemes.md);
# a kernel with another scheme is built apart, in build/rmap-<scheme>.
RMAP_SCHEMES := anon_vma anon_vma_chain anonmm pte_chain
RMAP ?= anon_vma
ifeq ($(filter $(RMAP),$(RMAP_SCHEMES)),)
$(error RMAP=$(RMAP): pick one of $(RMAP_SCHEMES))
endif
B ?= $(if $(filter anon_vma,$(RMAP)),build,build/rmap-$(RMAP))
RMAP_CONFIG := CONFIG_RMAP_$(shell echo $(RMAP) | tr a-z A-Z)

GIT_REV := $(shell git rev-parse --short HEAD 2>/dev/null || echo unknown)

# `make V=1` shows the full commands.
ifeq ($(V),1)
Q :=
else
Q := @
endif

# ---- the kernel ---------------------------------------------------------

# Evaluated on first use (after `deps` may have installed the compiler), then kept.
GCC_INCLUDE = $(eval GCC_INCLUDE := $(shell $(CC) -print-file-name=include))$(GCC_INCLUDE)
LIBGCC = $(eval LIBGCC := $(shell $(CC) -print-libgcc-file-name))$(LIBGCC)

KINCLUDE = -nostdinc -isystem $(GCC_INCLUDE) -Iinclude -Iarch/i386/include
WARN := -Wall -Wextra -Werror -Wno-unused-parameter -Wmissing-prototypes \
	-Wstrict-prototypes -Wshadow -Wpointer-arith -Wvla
KCFLAGS = -std=gnu11 -O2 -g -march=i686 -ffreestanding -fno-pie -fno-pic \
	-fno-stack-protector -fno-omit-frame-pointer -fno-optimize-sibling-calls \
	-fno-strict-aliasing -fno-common -fno-builtin-printf -mgeneral-regs-only \
	-fno-asynchronous-unwind-tables \
	$(WARN) $(KINCLUDE) -MMD -MP \
	-DANVIL_VERSION='"$(VERSION)"' -DANVIL_GIT_REV='"$(GIT_REV)"' \
	-D$(RMAP_CONFIG)

# Every scheme's files are mm/rmap_<scheme>.c and mm/rmap_<scheme>_test.c; one is built in,
# with mm/rmap_anon_vma_common.c for the two schemes in which a VMA names an anon_vma.
RMAP_COMMON := mm/rmap_anon_vma_common.c
RMAP_SRC := $(foreach s,$(RMAP_SCHEMES),mm/rmap_$(s).c mm/rmap_$(s)_test.c) $(RMAP_COMMON)
KSRC_C := $(sort $(filter-out $(RMAP_SRC),$(wildcard arch/i386/*.c kernel/*.c kernel/fs/*.c kernel/fs/proc/*.c kernel/fs/ext2/*.c mm/*.c lib/*.c)) \
	$(wildcard mm/rmap_$(RMAP).c mm/rmap_$(RMAP)_test.c) \
	$(if $(filter anon_vma anon_vma_chain,$(RMAP)),$(RMAP_COMMON)))
KSRC_ASM := $(sort $(wildcard boot/*.asm arch/i386/*.asm))
KOBJS := $(KSRC_ASM:%.asm=$(B)/k/%.o) $(KSRC_C:%.c=$(B)/k/%.o)

# An instructor's hidden tests (tools/grade --extra DIR): DIR's *_test.c,
# compiled into a kernel built apart (B=build/grade-extra) -- labs/README.md.
EXTRA_KSRC := $(if $(GRADE_EXTRA),$(wildcard $(abspath $(GRADE_EXTRA))/*_test.c))
EXTRA_KOBJS := $(EXTRA_KSRC:%.c=$(B)/k/%.o)
KOBJS += $(EXTRA_KOBJS)
$(EXTRA_KOBJS): KCFLAGS += -Imm

.PHONY: all iso qemu qemu-gdb gdb test bench bench-rmap bench-linux profile grade fuzz stress \
	clean deps rmap-kernels fresh-disk figures
all: $(B)/kernel.elf

deps:
	@tools/install-deps

$(B)/k/%.o: %.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(KCFLAGS) -c $< -o $@

$(B)/k/%.o: %.asm boot/layout.inc | deps
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf32 -g -F dwarf -I. $< -o $@

# The embedded symbol table takes two link passes: pass 1 without it,
# then tools/gen-ksyms turns pass 1's symbols into .ksyms and pass 2
# links it in.  .ksyms lies after all code, so no function moves; the
# cmp below proves it.
$(B)/k/ksyms-empty.o: tools/gen-ksyms | deps
	@mkdir -p $(dir $@)
	$(Q)tools/gen-ksyms /dev/null > $(B)/k/ksyms-empty.S
	$(Q)$(CC) -c $(B)/k/ksyms-empty.S -o $@

$(B)/kernel.pass1.elf: $(KOBJS) $(B)/k/ksyms-empty.o arch/i386/kernel.ld
	@echo "  LD      $@"
	$(Q)$(LD) -T arch/i386/kernel.ld -o $@ $(KOBJS) $(B)/k/ksyms-empty.o $(LIBGCC)

$(B)/k/ksyms.o: $(B)/kernel.pass1.elf tools/gen-ksyms
	@echo "  KSYMS   $@"
	$(Q)$(NM) -n -S $< | tools/gen-ksyms - > $(B)/k/ksyms.S
	$(Q)$(CC) -c $(B)/k/ksyms.S -o $@

$(B)/kernel.elf: $(B)/kernel.pass1.elf $(B)/k/ksyms.o
	@echo "  LD      $@"
	$(Q)$(LD) -T arch/i386/kernel.ld -o $@ $(KOBJS) $(B)/k/ksyms.o $(LIBGCC)
	@$(NM) -n $(B)/kernel.pass1.elf | grep -i ' t ' > $(B)/k/syms1.txt
	@$(NM) -n $@ | grep -i ' t ' > $(B)/k/syms2.txt
	@cmp -s $(B)/k/syms1.txt $(B)/k/syms2.txt || \
		{ echo "error: functions moved between link passes"; rm -f $@; exit 1; }

# Tests run in the order they are written in their file.
$(B)/k/%_test.o: KCFLAGS += -fno-toplevel-reorder

-include $(KOBJS:.o=.d)

# ---- user space: libc, programs, the initramfs (user/user.mk) -----------

include user/user.mk
# the user-level test programs (usertests, the Linux-differential suite)
-include user/tests/tests.mk
# the user-level benchmark program, and the memory-pressure programs
include user/bench/bench.mk
include user/stress/stress.mk

# ---- the GRUB ISO -------------------------------------------------------

ISO_FILES := $(B)/kernel.elf $(B)/initramfs.cpio

$(B)/anvil.iso: $(ISO_FILES) iso/grub.cfg
	@rm -rf $(B)/iso && mkdir -p $(B)/iso/boot/grub
	cp iso/grub.cfg $(B)/iso/boot/grub/grub.cfg
	cp $(ISO_FILES) $(B)/iso/boot/
	grub-mkrescue -o $@ $(B)/iso 2>/dev/null

# The test ISO differs only in grub.cfg: it runs the command-line tests.
$(B)/anvil-test.iso: $(ISO_FILES) iso/grub-test.cfg
	@rm -rf $(B)/iso-test && mkdir -p $(B)/iso-test/boot/grub
	cp iso/grub-test.cfg $(B)/iso-test/boot/grub/grub.cfg
	cp $(ISO_FILES) $(B)/iso-test/boot/
	grub-mkrescue -o $@ $(B)/iso-test 2>/dev/null

iso: $(B)/anvil.iso

# ---- running ------------------------------------------------------------

# The swap disk: SWAP_MB MiB formatted by Linux's mkswap, the primary
# slave (hdb), which iso/grub.cfg's swap=hdb activates at boot.
$(B)/swap.img:
	@mkdir -p $(B)
	dd if=/dev/zero of=$@ bs=1M count=$(SWAP_MB) status=none
	chmod 600 $@                    # else mkswap warns of "insecure permissions"
	PATH="$$PATH:/sbin:/usr/sbin" mkswap $@ >/dev/null

# The root disk: ext2, made by the host's mke2fs from the tree the initramfs holds, the primary
# master (hda), which iso/grub.cfg's root=/dev/hda mounts as /.  It lives outside build/ so that
# `make clean` keeps what was written to it; `make qemu` makes it only when it is missing (the
# programs on it stay those of that day), `make fresh-disk` makes it anew.
$(ROOT_DISK): | $(B)/initramfs.cpio
	tools/mkrootdisk $(B)/rootfs $@ $(ROOT_DISK_MB) $(STUDENT_IDS)

fresh-disk: $(B)/initramfs.cpio
	rm -f $(ROOT_DISK)
	$(MAKE) --no-print-directory $(ROOT_DISK)

QEMU_COMMON := -machine pc,accel=$(ACCEL) -m $(MEM) -smp $(SMP) -no-reboot -display none \
	-drive file=$(ROOT_DISK),format=raw,if=ide,index=0 \
	-drive file=$(B)/swap.img,format=raw,if=ide,index=1
ROOT_DISK_NOTE = @echo "*** / is $(ROOT_DISK): ext2, kept between runs (make clean leaves it);" \
	"'make fresh-disk' makes it anew from today's programs."

qemu: $(B)/anvil.iso $(B)/swap.img $(ROOT_DISK)
	$(ROOT_DISK_NOTE)
	$(QEMU) $(QEMU_COMMON) -serial mon:stdio -cdrom $<

qemu-gdb: $(B)/anvil.iso $(B)/swap.img $(ROOT_DISK)
	$(ROOT_DISK_NOTE)
	@echo $(GDBPORT) > $(B)/gdb-port
	@echo "*** QEMU waits for GDB on port $(GDBPORT): run 'make gdb' in another terminal."
	$(QEMU) $(QEMU_COMMON) -serial mon:stdio -cdrom $< -S -gdb tcp:127.0.0.1:$(GDBPORT)

# GDB with the checked-in .gdbinit (symbols, helpers, connection), on RMAP's kernel.
gdb:
	ANVIL_KERNEL=$(B)/kernel.elf gdb -q -iex "set auto-load safe-path $(CURDIR)"

# The other rmap schemes' kernels, for their suites in make test.
RMAP_OTHERS := $(filter-out anon_vma,$(patsubst mm/rmap_%.c,%,$(wildcard $(RMAP_SCHEMES:%=mm/rmap_%.c))))
rmap-kernels: | deps
	$(Q)for s in $(RMAP_OTHERS); do \
		$(MAKE) --no-print-directory RMAP=$$s B=build/rmap-$$s build/rmap-$$s/kernel.elf || exit 1; \
	done

test: $(B)/kernel.elf $(B)/anvil-test.iso rmap-kernels
	@tools/run-tests

bench: $(B)/kernel.elf $(B)/anvil.iso
	@tools/run-bench

# Where the kernel's time goes while a program runs (tools/profile, docs/performance.md):
# make profile [PROFILE_PROG=program] [PROFILE_ARGS="args"].
PROFILE_PROG ?= $(B)/user/bench/vmbench
profile: all
	@tools/profile $(PROFILE_PROG) $(PROFILE_ARGS)

# Every scheme's kernel that exists, the same workloads on each (tools/rmapbench.py).
bench-rmap: all rmap-kernels $(USTRESS)
	@tools/rmapbench.py

# The book's figures: docs/figures/*.dot drawn as SVG into build/figures/ (generated,
# so not checked in), and a fork family drawn live on anvil by /bin/rmapdot.
FIGURES := $(patsubst docs/figures/%.dot,$(B)/figures/%.svg,$(wildcard docs/figures/*.dot))
figures: $(FIGURES) $(B)/figures/fork-family-live.svg

$(B)/figures/%.svg: docs/figures/%.dot | deps
	@mkdir -p $(dir $@)
	@echo "  DOT     $<"
	$(Q)dot -Tsvg -o $@ $<

$(B)/figures/fork-family-live.svg: $(B)/kernel.elf $(B)/initramfs.cpio | deps
	@mkdir -p $(dir $@)
	@echo "  RMAPDOT $(@:.svg=.dot)"
	$(Q)ANVIL_RMAP=$(RMAP) tools/run-elf $(B)/rootfs/bin/rmapdot --fork 2 > $(@:.svg=.dot)
	$(Q)dot -Tsvg -o $@ $(@:.svg=.dot)

# anvil and Debian's i686 Linux running user/bench/mmbench in turn (tools/bench-linux).
bench-linux: all
	@tools/bench-linux

# One lab's tests and its score (labs/README.md); GRADE_EXTRA=dir adds hidden tests.
grade: all $(B)/anvil-test.iso
	@tools/grade $(LAB) $(if $(GRADE_EXTRA),--extra $(GRADE_EXTRA))

SEED ?= 1
CALLS ?= 100000
FUZZ_MEM ?= 16
# smpstress under -smp 4 on each rmap scheme's kernel (minutes each: not in make test).
smp-stress: all rmap-kernels $(USTRESS)
	@status=0; for s in anon_vma $(RMAP_OTHERS); do \
		ANVIL_RMAP=$$s python3 tools/smptests.py stress || status=1; done; exit $$status

fuzz: $(B)/kernel.elf $(B)/initramfs.cpio
	@FUZZ_MEM=$(FUZZ_MEM) ANVIL_RMAP=$(RMAP) tools/fuzztests.py $(if $(SEGMENTS),--segments) \
		$(if $(EXT2),--ext2) $(if $(THREADS),--threads $(THREADS)) $(SEED) $(CALLS)

# The long file-system campaign make test runs a few seconds of: the fuzzer on an ext2 disk.
STRESS_SEEDS ?= 1,2,3,4,5,6,7,8
STRESS_CALLS ?= 25000
stress: $(B)/kernel.elf $(B)/initramfs.cpio
	@FUZZ_MEM=$(FUZZ_MEM) ANVIL_RMAP=$(RMAP) tools/fuzztests.py --segments --ext2 \
		$(STRESS_SEEDS) $(STRESS_CALLS)

clean:
	rm -rf $(B)
