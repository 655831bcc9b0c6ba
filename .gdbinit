# anvil's GDB setup, loaded by `make gdb` (or by a plain `gdb` started in this
# folder once its path is in auto-load safe-path; see the README).
# It loads the kernel's symbols, the anvil GDB helpers and connects to the
# QEMU started by `make qemu-gdb` (port from $ANVIL_GDBPORT, build/gdb-port or 1234).
set confirm off
set pagination off
set disassembly-flavor intel
file build/kernel.elf
source tools/gdb/anvil.py
anvil-connect
