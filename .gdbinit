# anvil's GDB setup, loaded by `make gdb` (or by a plain `gdb` started in this
# folder once its path is in auto-load safe-path; see the README).
# It loads the kernel's symbols -- $ANVIL_KERNEL, which `make gdb RMAP=<scheme>`
# sets to build/rmap-<scheme>'s, else build/kernel.elf -- and the anvil GDB helpers,
# and connects to the QEMU started by `make qemu-gdb` (port from $ANVIL_GDBPORT,
# the gdb-port file beside the kernel, or 1234).
set confirm off
set pagination off
set disassembly-flavor intel
python
import os
gdb.execute("file " + os.environ.get("ANVIL_KERNEL", "build/kernel.elf"))
end
source tools/gdb/anvil.py
anvil-connect
