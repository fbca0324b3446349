/*
 * syscalls.h - the Linux system calls the posix server implements, by
 * number (servers/posix/syscall_table.c and sys_*.c) (concept: the
 * system-call interface, a dispatch table).
 *
 * Each handler gets the process and the six argument registers (rdi, rsi,
 * rdx, r10, r8, r9) and returns what the program's rax gets: a result, or
 * a negative Linux error number.  docs/linux-abi.md lists them all with
 * their differences from Linux.
 */
#ifndef POSIX_SYSCALLS_H
#define POSIX_SYSCALLS_H

#include <stdint.h>
#include "process.h"

struct linux_syscall {
    const char *name;
    unsigned nargs; /* arguments it reads: more than 3 means reading the thread's registers */
    syscall_fn fn;
};

/* The entry for number nr, or NULL for a call the server does not implement (ENOSYS). */
const struct linux_syscall *syscall_lookup(uint64_t nr);

/* sys_io.c: reading and writing descriptors (the console, files). */
int64_t sys_read(struct process *p, const uint64_t *a);
int64_t sys_write(struct process *p, const uint64_t *a);
int64_t sys_readv(struct process *p, const uint64_t *a);
int64_t sys_writev(struct process *p, const uint64_t *a);
int64_t sys_pread64(struct process *p, const uint64_t *a);
int64_t sys_pwrite64(struct process *p, const uint64_t *a);
int64_t sys_lseek(struct process *p, const uint64_t *a);
int64_t sys_ioctl(struct process *p, const uint64_t *a);
int64_t sys_sendfile(struct process *p, const uint64_t *a);

/* sys_pipe.c: pipes, and reading and writing their ends (which may wait). */
int64_t sys_pipe(struct process *p, const uint64_t *a);
int64_t sys_pipe2(struct process *p, const uint64_t *a);
/* read/readv (write/writev) on a pipe end f: the request's vectors iov[0..cnt), total bytes
 * in all. The bytes moved, an error, or POSIX_DEFERRED (the call waits). */
int64_t pipe_read_iov(struct process *p, struct ofile *f, const struct linux_iovec *iov,
                      int64_t cnt, uint64_t total);
int64_t pipe_write_iov(struct process *p, struct ofile *f, const struct linux_iovec *iov,
                       int64_t cnt, uint64_t total);
/* Wake the calls waiting for pipes when pipes change (at start-up). */
void pipe_setup(void);

/* sys_fd.c: the descriptor table. */
int64_t sys_close(struct process *p, const uint64_t *a);
int64_t sys_dup(struct process *p, const uint64_t *a);
int64_t sys_dup2(struct process *p, const uint64_t *a);
int64_t sys_dup3(struct process *p, const uint64_t *a);
int64_t sys_fcntl(struct process *p, const uint64_t *a);

/* sys_fs.c: paths and attributes. */
int64_t sys_openat(struct process *p, const uint64_t *a);
int64_t sys_open(struct process *p, const uint64_t *a);
int64_t sys_creat(struct process *p, const uint64_t *a);
int64_t sys_newfstatat(struct process *p, const uint64_t *a);
int64_t sys_stat(struct process *p, const uint64_t *a);
int64_t sys_lstat(struct process *p, const uint64_t *a);
int64_t sys_statx(struct process *p, const uint64_t *a);
int64_t sys_fstat(struct process *p, const uint64_t *a);
int64_t sys_getdents64(struct process *p, const uint64_t *a);
int64_t sys_mkdirat(struct process *p, const uint64_t *a);
int64_t sys_mkdir(struct process *p, const uint64_t *a);
int64_t sys_unlinkat(struct process *p, const uint64_t *a);
int64_t sys_unlink(struct process *p, const uint64_t *a);
int64_t sys_rmdir(struct process *p, const uint64_t *a);
int64_t sys_getcwd(struct process *p, const uint64_t *a);
int64_t sys_chdir(struct process *p, const uint64_t *a);
int64_t sys_faccessat(struct process *p, const uint64_t *a);
int64_t sys_faccessat2(struct process *p, const uint64_t *a);
int64_t sys_access(struct process *p, const uint64_t *a);
int64_t sys_umask(struct process *p, const uint64_t *a);
int64_t sys_ftruncate(struct process *p, const uint64_t *a);
/* Copy the path at addr into buf (VFS_PATH_MAX bytes) and find the directory a relative path
 * starts from (dirfd, or the cwd for AT_FDCWD): 0, -EFAULT, -ENAMETOOLONG, -EBADF, -ENOTDIR. */
int path_copy_start(struct process *p, int64_t dirfd, uint64_t addr, char *buf,
                    struct vnode **start);

/* sys_link.c: names - symbolic links, hard links, rename; statfs. */
int64_t sys_symlinkat(struct process *p, const uint64_t *a);
int64_t sys_symlink(struct process *p, const uint64_t *a);
int64_t sys_readlinkat(struct process *p, const uint64_t *a);
int64_t sys_readlink(struct process *p, const uint64_t *a);
int64_t sys_linkat(struct process *p, const uint64_t *a);
int64_t sys_link(struct process *p, const uint64_t *a);
int64_t sys_renameat2(struct process *p, const uint64_t *a);
int64_t sys_renameat(struct process *p, const uint64_t *a);
int64_t sys_rename(struct process *p, const uint64_t *a);
int64_t sys_statfs(struct process *p, const uint64_t *a);
int64_t sys_fstatfs(struct process *p, const uint64_t *a);

/* sys_memory.c */
int64_t sys_brk(struct process *p, const uint64_t *a);
int64_t sys_mmap(struct process *p, const uint64_t *a);
int64_t sys_munmap(struct process *p, const uint64_t *a);
int64_t sys_mprotect(struct process *p, const uint64_t *a);
int64_t sys_mremap(struct process *p, const uint64_t *a);
int64_t sys_madvise(struct process *p, const uint64_t *a);
int64_t sys_msync(struct process *p, const uint64_t *a);

/* sys_process.c */
int64_t sys_getpid(struct process *p, const uint64_t *a);
int64_t sys_getppid(struct process *p, const uint64_t *a);
int64_t sys_set_tid_address(struct process *p, const uint64_t *a);
int64_t sys_set_robust_list(struct process *p, const uint64_t *a);
int64_t sys_arch_prctl(struct process *p, const uint64_t *a);
int64_t sys_uname(struct process *p, const uint64_t *a);

/* sys_fork.c, sys_exec.c, sys_wait.c: the process life cycle. */
int64_t sys_fork(struct process *p, const uint64_t *a);
int64_t sys_vfork(struct process *p, const uint64_t *a);
int64_t sys_clone(struct process *p, const uint64_t *a);
int64_t sys_execve(struct process *p, const uint64_t *a);
/* The program file at path (from p's working directory, links followed) that p may execute:
 * its bytes, or a negative Linux error (ENOENT, EACCES, ...). */
int exec_find_program(struct process *p, const char *path, const uint8_t **image, uint64_t *size);
int64_t sys_wait4(struct process *p, const uint64_t *a);
int64_t sys_waitid(struct process *p, const uint64_t *a);

/* sys_cred.c: user and group ids. */
int64_t sys_getuid(struct process *p, const uint64_t *a);
int64_t sys_geteuid(struct process *p, const uint64_t *a);
int64_t sys_getgid(struct process *p, const uint64_t *a);
int64_t sys_getegid(struct process *p, const uint64_t *a);
int64_t sys_setuid(struct process *p, const uint64_t *a);
int64_t sys_setgid(struct process *p, const uint64_t *a);
int64_t sys_setreuid(struct process *p, const uint64_t *a);
int64_t sys_setregid(struct process *p, const uint64_t *a);
int64_t sys_setresuid(struct process *p, const uint64_t *a);
int64_t sys_setresgid(struct process *p, const uint64_t *a);
int64_t sys_getresuid(struct process *p, const uint64_t *a);
int64_t sys_getresgid(struct process *p, const uint64_t *a);
int64_t sys_setfsuid(struct process *p, const uint64_t *a);
int64_t sys_setfsgid(struct process *p, const uint64_t *a);
int64_t sys_getgroups(struct process *p, const uint64_t *a);
int64_t sys_setgroups(struct process *p, const uint64_t *a);

/* sys_fs.c's path resolution for the other calls that name files: the node of descriptor fd
 * (-EBADF; -EINVAL for a pipe or the console), and the node named by the path at address path
 * relative to dirfd (AT_FDCWD: the working directory) with credentials c (with empty_ok,
 * AT_EMPTY_PATH, an empty path names dirfd's file; follow: a symbolic link as the last
 * component is followed). */
int fs_fd_node(struct process *p, int64_t fd, struct vnode **out);
/* ... and the directory and last name of the path (vfs_lookup_parent). */
int fs_parent_at(struct process *p, int64_t dirfd, uint64_t path, struct vnode **dir, char *name,
                 bool *slash);
int fs_node_at(struct process *p, int64_t dirfd, uint64_t path, bool empty_ok, bool follow,
               const struct cred *c, struct vnode **out);

/* sys_attr.c: file attributes and the calls that change them (perm.h checks them). */
int64_t sys_chmod(struct process *p, const uint64_t *a);
int64_t sys_fchmod(struct process *p, const uint64_t *a);
int64_t sys_fchmodat(struct process *p, const uint64_t *a);
int64_t sys_chown(struct process *p, const uint64_t *a);
int64_t sys_lchown(struct process *p, const uint64_t *a);
int64_t sys_fchown(struct process *p, const uint64_t *a);
int64_t sys_fchownat(struct process *p, const uint64_t *a);
int64_t sys_utimensat(struct process *p, const uint64_t *a);
int64_t sys_utimes(struct process *p, const uint64_t *a);
int64_t sys_futimesat(struct process *p, const uint64_t *a);
int64_t sys_truncate(struct process *p, const uint64_t *a);
int64_t sys_fsync(struct process *p, const uint64_t *a);

/* sys_fifo.c: named pipes. */
int64_t sys_mknodat(struct process *p, const uint64_t *a);
int64_t sys_mknod(struct process *p, const uint64_t *a);
/* open of FIFO node n with the open file's flags (the status flags kept): a descriptor or an
 * error. */
int64_t fifo_open(struct process *p, struct vnode *n, uint32_t flags, bool cloexec);
/* sys_thread.c: threads (tasks), and the end of threads and processes. */
int64_t sys_exit(struct process *p, const uint64_t *a);
int64_t sys_exit_group(struct process *p, const uint64_t *a);
int64_t sys_gettid(struct process *p, const uint64_t *a);
int64_t sys_sched_yield(struct process *p, const uint64_t *a);
/* clone's thread form (sys_clone decides): the new thread's tid or an error. */
int64_t clone_thread(struct process *p, uint64_t flags, uint64_t stack, uint64_t parent_tid,
                     uint64_t child_tid, uint64_t tls);

/* sys_futex.c */
int64_t sys_futex(struct process *p, const uint64_t *a);
/* Wake one waiter of the futex word at uaddr (a thread's end): how many woke, or an error. */
int64_t futex_wake_word(struct process *p, uint64_t uaddr);

/* sys_resource.c: limits, CPU time, system information, prctl. */
int64_t sys_prlimit64(struct process *p, const uint64_t *a);
int64_t sys_getrlimit(struct process *p, const uint64_t *a);
int64_t sys_setrlimit(struct process *p, const uint64_t *a);
int64_t sys_getrusage(struct process *p, const uint64_t *a);
int64_t sys_times(struct process *p, const uint64_t *a);
int64_t sys_sysinfo(struct process *p, const uint64_t *a);
int64_t sys_prctl(struct process *p, const uint64_t *a);
/* A new process's limits, as Linux gives its first process. */
void resource_defaults(struct process *p);
/* Thread t ends alone: its CPU time goes to its process's. */
void resource_thread_ends(struct task *t);
/* Process p ends: the CPU time of its threads is summed (before they go). */
void resource_process_ends(struct process *p);
/* child was reaped by parent: its CPU time, and its children's, count as parent's children's. */
void resource_reaped(struct process *parent, const struct process *child);
/* t's name from a program's path (its last component, at most 15 bytes). */
void task_set_comm_from_path(struct task *t, const char *path);

/* sys_poll.c: waiting for one of many descriptors. */
int64_t sys_poll(struct process *p, const uint64_t *a);
int64_t sys_ppoll(struct process *p, const uint64_t *a);
int64_t sys_select(struct process *p, const uint64_t *a);
int64_t sys_pselect6(struct process *p, const uint64_t *a);

/* sys_kill.c */
int64_t sys_kill(struct process *p, const uint64_t *a);
int64_t sys_tkill(struct process *p, const uint64_t *a);
int64_t sys_tgkill(struct process *p, const uint64_t *a);

/* sys_pgrp.c: process groups and sessions */
int64_t sys_setpgid(struct process *p, const uint64_t *a);
int64_t sys_getpgid(struct process *p, const uint64_t *a);
int64_t sys_getpgrp(struct process *p, const uint64_t *a);
int64_t sys_setsid(struct process *p, const uint64_t *a);
int64_t sys_getsid(struct process *p, const uint64_t *a);

/* sys_time.c: sleeping */
int64_t sys_nanosleep(struct process *p, const uint64_t *a);
int64_t sys_clock_nanosleep(struct process *p, const uint64_t *a);

/* sys_signal.c */
int64_t sys_rt_sigaction(struct process *p, const uint64_t *a);
int64_t sys_rt_sigprocmask(struct process *p, const uint64_t *a);
int64_t sys_rt_sigpending(struct process *p, const uint64_t *a);
int64_t sys_rt_sigsuspend(struct process *p, const uint64_t *a);
int64_t sys_rt_sigtimedwait(struct process *p, const uint64_t *a);
int64_t sys_sigaltstack(struct process *p, const uint64_t *a);
int64_t sys_rt_sigreturn(struct process *p, const uint64_t *a);
int64_t sys_pause(struct process *p, const uint64_t *a);

/* sys_alarm.c */
int64_t sys_alarm(struct process *p, const uint64_t *a);
int64_t sys_getitimer(struct process *p, const uint64_t *a);
int64_t sys_setitimer(struct process *p, const uint64_t *a);

/* sys_time.c and sys_random.c */
int64_t sys_clock_gettime(struct process *p, const uint64_t *a);
int64_t sys_clock_getres(struct process *p, const uint64_t *a);
int64_t sys_gettimeofday(struct process *p, const uint64_t *a);
int64_t sys_time(struct process *p, const uint64_t *a);
int64_t sys_getcpu(struct process *p, const uint64_t *a);
int64_t sys_getrandom(struct process *p, const uint64_t *a);

#endif
