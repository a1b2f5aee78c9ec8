// Swift's Glibc module does not show renameat2; this file is its only caller.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "rename_exchange.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int overens_rename_exchange(const char *from, const char *to) {
#ifdef SYS_renameat2
    // The raw system call, so an older glibc without the wrapper works too.
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}
