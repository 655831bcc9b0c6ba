/*
 * rmapcheck: check anvil's reverse-mapping invariant now (anvil_rmap_verify):
 * every present user PTE is found by the rmap walk of its page, and every
 * page's mapcount matches its PTEs.  Exit 0 if it holds, 1 if not, 2 when
 * not running on anvil (Linux has no such call: ENOSYS).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <abi/anvil.h>

int main(void)
{
	long r = syscall(__NR_anvil_rmap_verify);

	if (r < 0 && errno == ENOSYS) {
		printf("rmapcheck: not running on anvil\n");
		return 2;
	}
	if (r < 0) {
		printf("rmapcheck: %s\n", strerror(errno));
		return 1;
	}
	if (r == 0)
		printf("rmap_verify: ok\n");
	else
		printf("rmap_verify: %ld violations\n", r);
	return r == 0 ? 0 : 1;
}
