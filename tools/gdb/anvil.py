"""GDB helpers for anvil, loaded by the checked-in .gdbinit.

anvil-connect: attach to the QEMU that `make qemu-gdb` started.  The port
comes from $ANVIL_GDBPORT, else from build/gdb-port (written by
`make qemu-gdb`), else 1234.
"""

import os

import gdb


class AnvilConnect(gdb.Command):
    """Connect to anvil's QEMU gdbstub: anvil-connect [PORT]"""

    def __init__(self):
        super().__init__("anvil-connect", gdb.COMMAND_RUNNING)

    def invoke(self, arg, from_tty):
        port = arg.strip() or os.environ.get("ANVIL_GDBPORT")
        if not port and os.path.exists("build/gdb-port"):
            with open("build/gdb-port") as f:
                port = f.read().strip()
        gdb.execute("target remote localhost:%s" % (port or "1234"))


AnvilConnect()
