// OpenBLAS's CBLAS interface (Debian: /usr/include/<triplet>/openblas-pthread/cblas.h, found
// through pkg-config), including openblas_set_num_threads.
#include <cblas.h>
