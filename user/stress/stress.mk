# user/stress/stress.mk: programs that put anvil's memory manager under pressure
# (swapstress, oomtest, swapctl, swapregress, mlockswap, shmemswap, threadswap, smpstress),
# used by tools/run-tests and tools/run-bench.
# Included by the top-level Makefile after user/user.mk, whose flags it uses.

USTRESS_NAMES := swapstress oomtest swapctl swapregress mlockswap shmemswap threadswap smpstress
USTRESS := $(addprefix $(B)/user/stress/,$(USTRESS_NAMES))

$(B)/user/stress/%: user/stress/%.c $(UCRT0) $(B)/user/libc.a | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) $(ULDFLAGS) -o $@ $(UCRT0) $< $(B)/user/libc.a $(LIBGCC)

# mlockswap, swapregress, shmemswap, threadswap and smpstress use the test library (its page pattern,
# memory_pressure, threads)
USTRESS_UT := $(B)/user/stress/mlockswap $(B)/user/stress/swapregress $(B)/user/stress/shmemswap \
	$(B)/user/stress/threadswap $(B)/user/stress/smpstress
$(USTRESS_UT): $(B)/user/stress/%: user/stress/%.c $(UCRT0) $(UT_LIB) $(B)/user/libc.a | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) $(ULDFLAGS) -o $@ $(UCRT0) $< $(UT_LIB) $(B)/user/libc.a $(LIBGCC)

test bench grade: $(USTRESS)
