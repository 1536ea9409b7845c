// zlib (Debian's zlib1g-dev): gzip-compressed corpora, embeddings and IDX files.
#include <zlib.h>
