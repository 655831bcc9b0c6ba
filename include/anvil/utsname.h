/*
 * The kernel release anvil reports, in uname(2) and in
 * /proc/sys/kernel/osrelease: glibc compares it with its minimum
 * kernel, so it claims a recent Linux.
 */
#ifndef ANVIL_UTSNAME_H
#define ANVIL_UTSNAME_H

#define UTS_RELEASE "6.1.0-anvil-" ANVIL_VERSION

#endif
