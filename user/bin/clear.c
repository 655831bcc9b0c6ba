/*
 * clear: clear the terminal.  Writes what ncurses' clear writes for an
 * xterm (and QEMU's serial console behind one): cursor home, erase the
 * screen, erase the scroll-back.
 */
#include <unistd.h>

static const char clear_screen[] = "\x1b[H\x1b[2J\x1b[3J";

int main(void)
{
	return write(1, clear_screen, sizeof(clear_screen) - 1) == sizeof(clear_screen) - 1 ? 0 : 1;
}
