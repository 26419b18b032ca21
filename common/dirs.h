/* dirs.h: the directory a program writes its files into: created with
 * its parents, locked against a second writer, cleared of the
 * temporaries a killed writer left (atomic.h names them ".NAME.XXXXXX"). */
#ifndef HF_DIRS_H
#define HF_DIRS_H

/* mkdir -p: create dir and the parents it lacks (mode 0777 less the
 * umask). 0 if dir then is a directory, else -1 with the reason warned
 * ("PATH: error", PATH the part of dir that failed). */
int	dir_make(const char *dir);
/* Take an exclusive flock(2) on the directory dir itself, so that no
 * lock file is left in it (a caller such as hf-scraper locks the same
 * directory, and its lock excludes ours). Its descriptor, to be kept
 * open as long as the lock is wanted (it ends with the process), or -1
 * with errno set. When another process holds the lock, warns "DIR:
 * waiting for another WHO" and waits for it. */
int	dir_lock(const char *dir, const char *who);
/* Remove from dir the temporaries ".NAME.XXXXXX" (six letters or
 * digits) of each name in names (NULL-terminated). For a caller that
 * holds the directory's lock, so that none belongs to a live writer. A
 * directory that cannot be read is left alone; an unlink that fails is
 * warned about. */
void	dir_remove_stale(const char *dir, const char *const names[]);

#endif
