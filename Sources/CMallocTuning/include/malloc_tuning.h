#ifndef OVERENS_MALLOC_TUNING_H
#define OVERENS_MALLOC_TUNING_H

/// Blocks of at least `bytes` are mapped on their own and returned to the system when
/// freed (glibc's M_MMAP_THRESHOLD, fixed, so it no longer rises as large blocks are freed).
/// Returns 1 on success, 0 where the C library has no such setting.
int overens_return_blocks_from(int bytes);

#endif
