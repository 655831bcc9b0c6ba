# user/bench/bench.mk: the user-level benchmark programs run by tools/run-bench:
# vmbench (process and VM rows) and filebench (the file rows, on an ext2 disk);
# mmbench, the workloads tools/bench-linux runs under anvil and under Linux; and smpbench
# (the SMP rows, threads from the test library's uthread).
# (Included by the top-level Makefile after user/user.mk, whose flags it uses.)

UBENCH := $(B)/user/bench/vmbench $(B)/user/bench/filebench $(B)/user/bench/mmbench

$(UBENCH): $(B)/user/bench/%: user/bench/%.c $(UCRT0) $(B)/user/libc.a | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) $(ULDFLAGS) -o $@ $(UCRT0) $< $(B)/user/libc.a $(LIBGCC)

SMPBENCH := $(B)/user/bench/smpbench
$(SMPBENCH): user/bench/smpbench.c $(UCRT0) $(UT_LIB) $(B)/user/libc.a | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) $(ULDFLAGS) -o $@ $(UCRT0) $< $(UT_LIB) $(B)/user/libc.a $(LIBGCC)

bench bench-linux: $(UBENCH) $(SMPBENCH)

# make test runs them too: the profile suite profiles vmbench, the benchlinux suite
# runs mmbench (tools/benchlinuxtests.py)
all test: $(UBENCH)
