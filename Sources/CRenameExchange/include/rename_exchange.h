#ifndef OVERENS_RENAME_EXCHANGE_H
#define OVERENS_RENAME_EXCHANGE_H

/// Swaps two paths in one step (renameat2 with RENAME_EXCHANGE): both must exist.
/// Returns 0, or -1 with errno set (EINVAL or ENOSYS where the file system cannot).
int overens_rename_exchange(const char *from, const char *to);

#endif
