# user/user.mk: builds the user C library, the programs and build/initramfs.cpio.
# (Included by the top-level Makefile; owned by user space.)
#
#   build/user/obj/...     objects (+ .d dependency files)
#   build/user/libc.a      the C library: user/lib plus the shared lib/string.c, lib/vsprintf.c
#   build/user/bin/<prog>  the linked programs, with debug info (for GDB)
#   build/rootfs/          the staging tree (debug info stripped), recreated on every rebuild
#   build/initramfs.cpio   the rootfs as a "cpio -H newc" archive (the Linux initramfs format),
#                          every file root's but the student's home (a second archive after it)

UOBJ := $(B)/user/obj
USTRIP := $(CROSS)strip

UCFLAGS = -std=gnu11 -O2 -g -march=i686 -static -nostdlib -nostdinc \
	-isystem $(GCC_INCLUDE) -Iuser/include -Iinclude -fno-pie -fno-stack-protector \
	-fno-builtin -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
ULDFLAGS := -static -nostdlib -no-pie

# The C library.  crt0 stays outside libc.a: it is linked first, like crt1.o.
ULIBC_SRC := $(sort $(wildcard user/lib/*.c user/lib/*.S))
ULIBC_OBJS := $(patsubst user/lib/%,$(UOBJ)/lib/%.o,$(basename $(filter-out user/lib/crt0.S,$(ULIBC_SRC)))) \
	$(UOBJ)/common/string.o $(UOBJ)/common/vsprintf.o
UCRT0 := $(UOBJ)/lib/crt0.o

# Programs: user/bin/<name>.c, or several files in user/bin/<name>/.
USER_PROG_NAMES := $(sort $(basename $(notdir $(wildcard user/bin/*.c))) \
	$(notdir $(patsubst %/,%,$(dir $(wildcard user/bin/*/*.c)))))
USER_PROGS := $(addprefix $(B)/user/bin/,$(USER_PROG_NAMES))
# init lives in /sbin, everything else in /bin.
USER_SBIN := init
# The users (user/etc/passwd) and their groups; the student's uid:gid owns /home/student.
USER_ETC := rc passwd group
STUDENT_IDS := $(shell awk -F: '$$1 == "student" { print $$3 ":" $$4 }' user/etc/passwd)

$(UOBJ)/lib/%.o: user/lib/%.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(UOBJ)/lib/%.o: user/lib/%.S | deps
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(UOBJ)/common/%.o: lib/%.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $< (user)"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(UOBJ)/bin/%.o: user/bin/%.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(B)/user/libc.a: $(ULIBC_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(CROSS)ar rcs $@ $^

# A program's objects: its one file, or every file of its folder.
uprog_objs = $(patsubst user/bin/%.c,$(UOBJ)/bin/%.o,$(wildcard user/bin/$(1).c user/bin/$(1)/*.c))

define uprog_rule
$(B)/user/bin/$(1): $(call uprog_objs,$(1)) $(UCRT0) $(B)/user/libc.a
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	$$(Q)$$(CC) $$(ULDFLAGS) -o $$@ $(UCRT0) $(call uprog_objs,$(1)) $(B)/user/libc.a $$(LIBGCC)
endef
$(foreach p,$(USER_PROG_NAMES),$(eval $(call uprog_rule,$(p))))

# The names of the programs, rewritten only when they change: so that the
# archive is rebuilt (without it) when a program is removed.
$(UOBJ)/programs: user-programs-changed
	@mkdir -p $(dir $@)
	@echo "$(USER_PROG_NAMES)" | cmp -s - $@ || echo "$(USER_PROG_NAMES)" > $@

.PHONY: user-programs-changed

$(B)/initramfs.cpio: $(USER_PROGS) $(UOBJ)/programs $(addprefix user/etc/,$(USER_ETC)) user/user.mk
	@echo "  CPIO    $@"
	$(Q)rm -rf $(B)/rootfs
	$(Q)mkdir -p $(addprefix $(B)/rootfs/,bin sbin etc dev proc tmp root home/student)
	$(Q)chmod 1777 $(B)/rootfs/tmp
	$(Q)chmod 0755 $(B)/rootfs/home/student
	$(Q)for p in $(USER_PROG_NAMES); do \
		case " $(USER_SBIN) " in *" $$p "*) d=sbin;; *) d=bin;; esac; \
		$(USTRIP) --strip-debug -o $(B)/rootfs/$$d/$$p $(B)/user/bin/$$p || exit 1; \
	done
	$(Q)cp $(addprefix user/etc/,$(USER_ETC)) $(B)/rootfs/etc/
	$(Q)cd $(B)/rootfs && { find . | sort | cpio -o -H newc -R 0:0 --quiet && \
		echo home/student | cpio -o -H newc -R $(STUDENT_IDS) --quiet; } > ../initramfs.cpio

all: $(B)/initramfs.cpio

-include $(wildcard $(UOBJ)/*/*.d $(UOBJ)/bin/*/*.d)
