/*
 * The kernel profiler (kernel/profile.c): boot with `profile[=shift]`,
 * read the hits from /proc/profile, make a table with readprofile.
 */
#ifndef ANVIL_PROFILE_H
#define ANVIL_PROFILE_H

void profile_init(void);

#endif
