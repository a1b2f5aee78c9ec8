#include "malloc_tuning.h"
#include <stdlib.h>  /* defines __GLIBC__ on glibc */

#if defined(__GLIBC__)
#include <malloc.h>

int overens_return_blocks_from(int bytes) {
    return mallopt(M_MMAP_THRESHOLD, bytes);
}
#else
int overens_return_blocks_from(int bytes) {
    (void)bytes;
    return 0;
}
#endif
