# user/bench/bench.mk: the user-level benchmark program run by tools/run-bench.
# (Included by the top-level Makefile after user/user.mk, whose flags it uses.)

UBENCH := $(B)/user/bench/vmbench

$(UBENCH): user/bench/vmbench.c $(UCRT0) $(B)/user/libc.a | deps
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(UCFLAGS) $(ULDFLAGS) -o $@ $(UCRT0) $< $(B)/user/libc.a $(LIBGCC)

bench: $(UBENCH)
