# user/tests/tests.mk: the user-level test programs that tools/usertests.py runs.
# (Included by the top-level Makefile after user/user.mk, whose flags it uses.)
#
#   build/user/tests/usertests      the anvil-only suite: user/tests/usertests/*.c
#   build/user/tests/diff/<name>    one Linux-differential program: user/tests/diff/<name>.c
#   build/user/tests/smp/<name>     one that needs 2 CPUs, for tools/smptests.py: user/tests/smp/
#   build/user/tests/fuzz           the system-call fuzzer: user/tests/fuzz/*.c
#   build/user/tests/crashme        a core dump for the host's GDB: user/tests/core/crashme.c
#   build/user/tests/ext2walk       lists an ext2 disk for tools/ext2tests.py: user/tests/ext2/
#   build/user/tests/ext2write      writes one (a script run on the host and on anvil): same place
#   build/user/tests/workingset     file pages under reclaim, for tools/filecachetests.py: same
#   build/user/tests/ext2fault      a disk that fails and a write load cut, tools/ext2faulttests.py
#   build/user/tests/icache         the page cache outliving the open file (ext2tests.py)
#   build/user/tests/readahead      disk requests of file reads, for tools/filecachetests.py
#   build/user/tests/libtest.a      user/tests/common/*.c, linked into all of them
#   build/user/tests/glibc/<name>   a Linux-differential program against Debian's static
#                                   i386 glibc (libc6-dev-i386-cross): user/tests/glibc/<name>.c

UT_OBJ := $(B)/user/tests/obj
UT_LIB := $(B)/user/tests/libtest.a
UT_COMMON_OBJS := $(patsubst user/tests/%.c,$(UT_OBJ)/%.o,$(sort $(wildcard user/tests/common/*.c)))
USERTESTS := $(B)/user/tests/usertests
USERTESTS_OBJS := $(patsubst user/tests/%.c,$(UT_OBJ)/%.o,$(sort $(wildcard user/tests/usertests/*.c)))
FUZZ := $(B)/user/tests/fuzz
FUZZ_OBJS := $(patsubst user/tests/%.c,$(UT_OBJ)/%.o,$(sort $(wildcard user/tests/fuzz/*.c)))
CRASHME := $(B)/user/tests/crashme
EXT2WALK := $(B)/user/tests/ext2walk
EXT2WRITE := $(B)/user/tests/ext2write
WORKINGSET := $(B)/user/tests/workingset
EXT2FAULT := $(B)/user/tests/ext2fault
ICACHE := $(B)/user/tests/icache
READAHEAD := $(B)/user/tests/readahead
DIFF_PROGS := $(patsubst user/tests/diff/%.c,$(B)/user/tests/diff/%,$(sort $(wildcard user/tests/diff/*.c)))
SMP_PROGS := $(patsubst user/tests/smp/%.c,$(B)/user/tests/smp/%,$(sort $(wildcard user/tests/smp/*.c)))
GLIBC_PROGS := $(patsubst user/tests/%.c,$(B)/user/tests/%,$(sort $(wildcard user/tests/glibc/*.c)))

$(UT_OBJ)/%.o: user/tests/%.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) -c $< -o $@

$(UT_LIB): $(UT_COMMON_OBJS)
	@echo "  AR      $@"
	$(Q)rm -f $@ && $(CROSS)ar rcs $@ $^

$(USERTESTS): $(USERTESTS_OBJS) $(UT_LIB) $(UCRT0) $(B)/user/libc.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ULDFLAGS) -o $@ $(UCRT0) $(USERTESTS_OBJS) $(UT_LIB) $(B)/user/libc.a $(LIBGCC)

$(FUZZ): $(FUZZ_OBJS) $(UT_LIB) $(UCRT0) $(B)/user/libc.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ULDFLAGS) -o $@ $(UCRT0) $(FUZZ_OBJS) $(UT_LIB) $(B)/user/libc.a $(LIBGCC)

$(DIFF_PROGS) $(SMP_PROGS): $(B)/user/tests/%: $(UT_OBJ)/%.o $(UT_LIB) $(UCRT0) $(B)/user/libc.a
	@mkdir -p $(dir $@)
	@echo "  LD      $@"
	$(Q)$(CC) $(ULDFLAGS) -o $@ $(UCRT0) $< $(UT_LIB) $(B)/user/libc.a $(LIBGCC)

# glibc's own crt and libraries, static, threads included: what Debian's binaries are built with
$(GLIBC_PROGS): $(B)/user/tests/glibc/%: user/tests/glibc/%.c | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) -static -pthread -O2 -Wall -Wextra -Werror -o $@ $<

$(CRASHME): $(UT_OBJ)/core/crashme.o $(UT_LIB) $(UCRT0) $(B)/user/libc.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ULDFLAGS) -o $@ $(UCRT0) $< $(UT_LIB) $(B)/user/libc.a $(LIBGCC)

$(EXT2WALK) $(EXT2WRITE) $(WORKINGSET) $(EXT2FAULT) \
		$(ICACHE) $(READAHEAD): $(B)/user/tests/%: $(UT_OBJ)/ext2/%.o $(UT_LIB) $(UCRT0) \
		$(B)/user/libc.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ULDFLAGS) -o $@ $(UCRT0) $< $(UT_LIB) $(B)/user/libc.a $(LIBGCC)

all test fuzz: $(USERTESTS) $(FUZZ) $(DIFF_PROGS) $(SMP_PROGS) $(GLIBC_PROGS) $(CRASHME) $(EXT2WALK) $(EXT2WRITE) \
	$(WORKINGSET) $(EXT2FAULT) $(ICACHE) $(READAHEAD)
# keep the diff programs' objects (make would delete them as intermediates)
.SECONDARY: $(patsubst $(B)/user/tests/%,$(UT_OBJ)/%.o,$(DIFF_PROGS) $(SMP_PROGS))

-include $(wildcard $(UT_OBJ)/*/*.d)
