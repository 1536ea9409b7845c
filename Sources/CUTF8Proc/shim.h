// utf8proc: Unicode normalization (NFKC), case folding and character categories.
#include <utf8proc.h>
