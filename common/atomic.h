/* atomic.h: replace a file so that readers see the old or the new one. */
#ifndef HF_ATOMIC_H
#define HF_ATOMIC_H

#include <stddef.h>

/* Write data to a temporary ".NAME.XXXXXX" beside path, fsync it, rename
 * it over path and fsync the directory. 0, or -1 with errno set and path
 * untouched (the temporary file is removed). */
int	atomic_write(const char *path, const char *data, size_t len);
/* The same without the fsyncs: the old or the new file after a killed
 * process, not after a power cut (for state beside output that is not
 * fsynced either). */
int	atomic_write_nosync(const char *path, const char *data, size_t len);

#endif
