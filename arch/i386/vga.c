/*
 * VGA text-mode console: a mirror of the kernel log on the 80x25 screen
 * at physical 0xb8000 (reached through the direct map).  It scrolls and
 * moves the hardware cursor; it never reads input.
 */
#include <anvil/kernel.h>
#include <asm/io.h>
#include <asm/page.h>
#include <anvil/setup.h>

#define VGA_TEXT_PHYS 0xb8000
#define VGA_COLS 80
#define VGA_ROWS 25
#define VGA_ATTR_GREY_ON_BLACK 0x07
#define VGA_CRTC_INDEX 0x3d4
#define VGA_CRTC_DATA 0x3d5
#define VGA_CRTC_CURSOR_HIGH 0x0e
#define VGA_CRTC_CURSOR_LOW 0x0f
#define VGA_TAB_STOP 8

static u16 *const vga_buf = (u16 *)(PAGE_OFFSET + VGA_TEXT_PHYS);
static int vga_row, vga_col;

static u16 vga_cell(char c)
{
	return (u16)(VGA_ATTR_GREY_ON_BLACK << 8) | (u8)c;
}

static void vga_scroll(void)
{
	memmove(vga_buf, vga_buf + VGA_COLS, (VGA_ROWS - 1) * VGA_COLS * sizeof(u16));
	for (int i = 0; i < VGA_COLS; i++)
		vga_buf[(VGA_ROWS - 1) * VGA_COLS + i] = vga_cell(' ');
	vga_row = VGA_ROWS - 1;
}

static void vga_move_cursor(void)
{
	u16 pos = vga_row * VGA_COLS + vga_col;

	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_HIGH);
	outb(VGA_CRTC_DATA, pos >> 8);
	outb(VGA_CRTC_INDEX, VGA_CRTC_CURSOR_LOW);
	outb(VGA_CRTC_DATA, pos & 0xff);
}

static void vga_putc(char c)
{
	switch (c) {
	case '\n':
		vga_col = 0;
		vga_row++;
		break;
	case '\r':
		vga_col = 0;
		break;
	case '\b':
		if (vga_col > 0)
			vga_col--;
		break;
	case '\t':
		vga_col = ALIGN_UP(vga_col + 1, VGA_TAB_STOP);
		break;
	default:
		vga_buf[vga_row * VGA_COLS + vga_col++] = vga_cell(c);
		break;
	}
	if (vga_col >= VGA_COLS) {
		vga_col = 0;
		vga_row++;
	}
	if (vga_row >= VGA_ROWS)
		vga_scroll();
}

static void vga_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vga_putc(s[i]);
	vga_move_cursor();
}

static struct console vga_console = {
	.name = "vga",
	.write = vga_write,
};

void vga_init(void)
{
	for (int i = 0; i < VGA_ROWS * VGA_COLS; i++)
		vga_buf[i] = vga_cell(' ');
	vga_row = vga_col = 0;
	register_console(&vga_console);
}
