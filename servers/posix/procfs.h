/*
 * procfs.h - /proc: files that describe the running system and each
 * process, made when they are looked at (servers/posix/procfs.c)
 * (concepts: a synthetic file system, the process table seen as files,
 * Linux's procfs).
 *
 * The tree lives in the VFS like any other (vfs.h), but procfs brings a
 * directory's entries up to date whenever a path goes through it or a
 * program lists it (the file system's refresh hook), and writes a file's
 * bytes when the file is opened (its fill hook): so /proc/N exists while
 * process N does, /proc/self names the caller, and a read sees the state
 * at its open.  What is shown:
 *   /proc/self -> N (the caller's pid), /proc/thread-self -> N/task/T
 *   /proc/N/: stat, status, cmdline, comm, maps, environ (empty), enosys
 *     (the unknown system calls and how often each was made), exe and cwd
 *     (links), fd/ (a link per descriptor), task/T/ (per thread: stat,
 *     status, comm)
 *   /proc/: meminfo, cpuinfo, uptime, loadavg, mounts, stat, version,
 *     filesystems
 */
#ifndef POSIX_PROCFS_H
#define POSIX_PROCFS_H

#include "process.h"

/* Make /proc (if missing) and mount procfs on it: 0 or a negative error. */
int procfs_mount(struct vfs *v);

/* Record what /proc/N shows of p's program: started by path (its comm), running the file
 * image (exe: made absolute, links resolved) with arguments argv. */
void procfs_exec(struct process *p, const char *path, const char *image, unsigned argc,
                 const char *const *argv);

/* A forked child c shows its parent's program, and its own start time. */
void procfs_fork(struct process *c, const struct process *parent);

#endif
