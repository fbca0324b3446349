/*
 * linux_abi.h - the facts of the Linux x86-64 system-call ABI that the posix
 * server needs (concept: the system-call interface of a foreign personality).
 *
 * The server is freestanding, so it cannot include the Linux UAPI headers;
 * these numbers are copied from them (package linux-libc-dev, Linux 6.1):
 * system-call numbers from asm/unistd_64.h, error numbers from
 * asm-generic/errno-base.h and errno.h, auxiliary-vector tags from
 * linux/auxvec.h, mmap flags from asm-generic/mman-common.h and mman.h,
 * arch_prctl codes from asm/prctl.h, terminal ioctls from
 * asm-generic/ioctls.h, clock ids from linux/time.h.  The host unit tests
 * compare the ones they can with the real headers (tests/host/test_linux_abi.c).
 */
#ifndef POSIX_LINUX_ABI_H
#define POSIX_LINUX_ABI_H

#include <stdint.h>

/* System-call numbers (asm/unistd_64.h). */
#define LINUX_NR_read            0
#define LINUX_NR_write           1
#define LINUX_NR_open            2
#define LINUX_NR_close           3
#define LINUX_NR_stat            4
#define LINUX_NR_fstat           5
#define LINUX_NR_lstat           6
#define LINUX_NR_poll            7
#define LINUX_NR_lseek           8
#define LINUX_NR_mmap            9
#define LINUX_NR_mprotect        10
#define LINUX_NR_munmap          11
#define LINUX_NR_brk             12
#define LINUX_NR_rt_sigaction    13
#define LINUX_NR_rt_sigprocmask  14
#define LINUX_NR_ioctl           16
#define LINUX_NR_pread64         17
#define LINUX_NR_pwrite64        18
#define LINUX_NR_readv           19
#define LINUX_NR_writev          20
#define LINUX_NR_access          21
#define LINUX_NR_pipe            22
#define LINUX_NR_select          23
#define LINUX_NR_sched_yield     24
#define LINUX_NR_mremap          25
#define LINUX_NR_msync           26
#define LINUX_NR_madvise         28
#define LINUX_NR_dup             32
#define LINUX_NR_dup2            33
#define LINUX_NR_getpid          39
#define LINUX_NR_sendfile        40
#define LINUX_NR_clone           56
#define LINUX_NR_fork            57
#define LINUX_NR_vfork           58
#define LINUX_NR_execve          59
#define LINUX_NR_exit            60
#define LINUX_NR_wait4           61
#define LINUX_NR_waitid          247
#define LINUX_NR_kill            62
#define LINUX_NR_uname           63
#define LINUX_NR_fcntl           72
#define LINUX_NR_fsync           74
#define LINUX_NR_fdatasync       75
#define LINUX_NR_truncate        76
#define LINUX_NR_ftruncate       77
#define LINUX_NR_getcwd          79
#define LINUX_NR_chdir           80
#define LINUX_NR_rename          82
#define LINUX_NR_mkdir           83
#define LINUX_NR_rmdir           84
#define LINUX_NR_creat           85
#define LINUX_NR_link            86
#define LINUX_NR_unlink          87
#define LINUX_NR_symlink         88
#define LINUX_NR_readlink        89
#define LINUX_NR_chmod           90
#define LINUX_NR_fchmod          91
#define LINUX_NR_chown           92
#define LINUX_NR_fchown          93
#define LINUX_NR_lchown          94
#define LINUX_NR_umask           95
#define LINUX_NR_gettimeofday    96
#define LINUX_NR_getrlimit       97
#define LINUX_NR_getrusage       98
#define LINUX_NR_sysinfo         99
#define LINUX_NR_times           100
#define LINUX_NR_getuid          102
#define LINUX_NR_getgid          104
#define LINUX_NR_setuid          105
#define LINUX_NR_setgid          106
#define LINUX_NR_geteuid         107
#define LINUX_NR_getegid         108
#define LINUX_NR_getppid         110
#define LINUX_NR_setreuid        113
#define LINUX_NR_setregid        114
#define LINUX_NR_getgroups       115
#define LINUX_NR_setgroups       116
#define LINUX_NR_setresuid       117
#define LINUX_NR_getresuid       118
#define LINUX_NR_setresgid       119
#define LINUX_NR_getresgid       120
#define LINUX_NR_setfsuid        122
#define LINUX_NR_setfsgid        123
#define LINUX_NR_utime           132
#define LINUX_NR_mknod           133
#define LINUX_NR_statfs          137
#define LINUX_NR_fstatfs         138
#define LINUX_NR_prctl           157
#define LINUX_NR_arch_prctl      158
#define LINUX_NR_setrlimit       160
#define LINUX_NR_gettid          186
#define LINUX_NR_tkill           200
#define LINUX_NR_time            201
#define LINUX_NR_futex           202
#define LINUX_NR_getdents64      217
#define LINUX_NR_set_tid_address 218
#define LINUX_NR_clock_gettime   228
#define LINUX_NR_clock_getres    229
#define LINUX_NR_getcpu          309
#define LINUX_NR_exit_group      231
#define LINUX_NR_tgkill          234
#define LINUX_NR_utimes          235
#define LINUX_NR_openat          257
#define LINUX_NR_mkdirat         258
#define LINUX_NR_mknodat         259
#define LINUX_NR_fchownat        260
#define LINUX_NR_futimesat       261
#define LINUX_NR_newfstatat      262
#define LINUX_NR_unlinkat        263
#define LINUX_NR_renameat        264
#define LINUX_NR_linkat          265
#define LINUX_NR_symlinkat       266
#define LINUX_NR_readlinkat      267
#define LINUX_NR_fchmodat        268
#define LINUX_NR_faccessat       269
#define LINUX_NR_pselect6        270
#define LINUX_NR_ppoll           271
#define LINUX_NR_set_robust_list 273
#define LINUX_NR_utimensat       280
#define LINUX_NR_dup3            292
#define LINUX_NR_pipe2           293
#define LINUX_NR_prlimit64       302
#define LINUX_NR_renameat2       316
#define LINUX_NR_getrandom       318
#define LINUX_NR_statx           332
#define LINUX_NR_faccessat2      439
#define LINUX_NR_rt_sigreturn    15
#define LINUX_NR_pause           34
#define LINUX_NR_getitimer       36
#define LINUX_NR_alarm           37
#define LINUX_NR_setitimer       38
#define LINUX_NR_rt_sigpending   127
#define LINUX_NR_rt_sigtimedwait 128
#define LINUX_NR_rt_sigsuspend   130
#define LINUX_NR_sigaltstack     131
#define LINUX_NR_MAX             1024 /* numbers at or above are unknown (counted together) */

/* Process groups, sessions and sleeping (sys_pgrp.c, sys_time.c). */
#define LINUX_NR_nanosleep       35
#define LINUX_NR_setpgid         109
#define LINUX_NR_getpgrp         111
#define LINUX_NR_setsid          112
#define LINUX_NR_getpgid         121
#define LINUX_NR_getsid          124
#define LINUX_NR_clock_nanosleep 230

/* Error numbers (asm-generic/errno-base.h, errno.h); a call returns -E. */
#define LINUX_EPERM        1
#define LINUX_ENOENT       2
#define LINUX_ESRCH        3
#define LINUX_EINTR        4
#define LINUX_EOPNOTSUPP   95
#define LINUX_EIO          5
#define LINUX_ENXIO        6
#define LINUX_E2BIG        7
#define LINUX_ENOEXEC      8
#define LINUX_EBADF        9
#define LINUX_ECHILD       10
#define LINUX_EAGAIN       11
#define LINUX_ENOMEM       12
#define LINUX_EACCES       13
#define LINUX_EFAULT       14
#define LINUX_EBUSY        16
#define LINUX_EEXIST       17
#define LINUX_EXDEV        18
#define LINUX_ENODEV       19
#define LINUX_ENOTDIR      20
#define LINUX_EISDIR       21
#define LINUX_EINVAL       22
#define LINUX_ENFILE       23
#define LINUX_EMFILE       24
#define LINUX_ENOTTY       25
#define LINUX_EFBIG        27
#define LINUX_ENOSPC       28
#define LINUX_ESPIPE       29
#define LINUX_EPIPE        32
#define LINUX_ERANGE       34
#define LINUX_EDEADLK      35
#define LINUX_ENAMETOOLONG 36
#define LINUX_ENOLCK       37
#define LINUX_ENOSYS       38
#define LINUX_ENOTEMPTY    39
#define LINUX_ELOOP        40
#define LINUX_ETIMEDOUT    110

/* open flags (asm-generic/fcntl.h), fcntl commands, *at flags (linux/fcntl.h), lseek
 * (linux/fs.h), access modes (unistd.h), directory entry types (dirent.h). */
#define LINUX_O_ACCMODE           00000003
#define LINUX_O_RDONLY            00000000
#define LINUX_O_WRONLY            00000001
#define LINUX_O_RDWR              00000002
#define LINUX_O_CREAT             00000100
#define LINUX_O_EXCL              00000200
#define LINUX_O_NOCTTY            00000400
#define LINUX_O_TRUNC             00001000
#define LINUX_O_APPEND            00002000
#define LINUX_O_NONBLOCK          00004000
#define LINUX_O_LARGEFILE         00100000
#define LINUX_O_DIRECTORY         00200000
#define LINUX_O_NOFOLLOW          00400000
#define LINUX_O_CLOEXEC           02000000
#define LINUX_O_PATH              010000000
#define LINUX_F_DUPFD             0
#define LINUX_F_GETFD             1
#define LINUX_F_SETFD             2
#define LINUX_F_GETFL             3
#define LINUX_F_SETFL             4
#define LINUX_F_GETLK             5
#define LINUX_F_SETLK             6
#define LINUX_F_SETLKW            7
#define LINUX_F_DUPFD_CLOEXEC     1030
#define LINUX_F_RDLCK             0
#define LINUX_F_WRLCK             1
#define LINUX_F_UNLCK             2
#define LINUX_FD_CLOEXEC          1
#define LINUX_AT_FDCWD            (-100)
#define LINUX_AT_SYMLINK_NOFOLLOW 0x100
#define LINUX_AT_REMOVEDIR        0x200
#define LINUX_AT_SYMLINK_FOLLOW   0x400
#define LINUX_AT_EACCESS          0x200
#define LINUX_AT_EMPTY_PATH       0x1000
#define LINUX_SEEK_SET            0
#define LINUX_SEEK_CUR            1
#define LINUX_SEEK_END            2
#define LINUX_F_OK                0
#define LINUX_UTIME_NOW           ((1l << 30) - 1l)
#define LINUX_UTIME_OMIT          ((1l << 30) - 2l)
#define LINUX_S_ISUID             04000
#define LINUX_S_ISGID             02000
#define LINUX_S_ISVTX             01000
#define LINUX_DT_FIFO             1
#define LINUX_DT_CHR              2
#define LINUX_DT_DIR              4
#define LINUX_DT_REG              8
#define LINUX_DT_LNK              10

/* renameat2's flags (linux/fs.h). */
#define LINUX_RENAME_NOREPLACE 1
#define LINUX_RENAME_EXCHANGE  2
#define LINUX_RENAME_WHITEOUT  4

/* File system magic numbers: statfs's f_type (linux/magic.h). */
#define LINUX_TMPFS_MAGIC      0x01021994
#define LINUX_PROC_SUPER_MAGIC 0x9fa0

/* struct iovec (linux/uio.h): readv and writev's vectors. */
struct linux_iovec {
    uint64_t base, len;
};

/* Auxiliary-vector tags (linux/auxvec.h). */
#define LINUX_AT_NULL   0
#define LINUX_AT_PHDR   3
#define LINUX_AT_PHENT  4
#define LINUX_AT_PHNUM  5
#define LINUX_AT_PAGESZ 6
#define LINUX_AT_BASE   7
#define LINUX_AT_FLAGS  8
#define LINUX_AT_ENTRY  9
#define LINUX_AT_UID    11
#define LINUX_AT_EUID   12
#define LINUX_AT_GID    13
#define LINUX_AT_EGID   14
#define LINUX_AT_HWCAP  16
#define LINUX_AT_CLKTCK 17
#define LINUX_AT_SECURE 23
#define LINUX_AT_RANDOM 25
#define LINUX_AT_EXECFN 31

/* The vDSO's ELF header (servers/posix/vdso.h); left out when there is none. */
#define LINUX_AT_SYSINFO_EHDR 33

/* mmap and mprotect (asm-generic/mman-common.h, mman.h). */
#define LINUX_PROT_READ           0x1
#define LINUX_PROT_WRITE          0x2
#define LINUX_PROT_EXEC           0x4
#define LINUX_MAP_SHARED          0x01
#define LINUX_MAP_PRIVATE         0x02
#define LINUX_MAP_TYPE            0x0f
#define LINUX_MAP_FIXED           0x10
#define LINUX_MAP_ANONYMOUS       0x20
#define LINUX_MAP_NORESERVE       0x4000
#define LINUX_MAP_STACK           0x20000
#define LINUX_MAP_FIXED_NOREPLACE 0x100000
#define LINUX_MREMAP_MAYMOVE      1
#define LINUX_MREMAP_FIXED        2
#define LINUX_MREMAP_DONTUNMAP    4
#define LINUX_MS_ASYNC            1
#define LINUX_MS_INVALIDATE       2
#define LINUX_MS_SYNC             4
#define LINUX_MADV_NORMAL         0
#define LINUX_MADV_RANDOM         1
#define LINUX_MADV_SEQUENTIAL     2
#define LINUX_MADV_WILLNEED       3
#define LINUX_MADV_DONTNEED       4
#define LINUX_MADV_FREE           8

/* arch_prctl codes (asm/prctl.h). */
#define LINUX_ARCH_SET_FS 0x1002
#define LINUX_ARCH_GET_FS 0x1003

/* Terminal ioctls (asm-generic/ioctls.h). */
#define LINUX_TCGETS     0x5401
#define LINUX_TCSETS     0x5402
#define LINUX_TCSETSW    0x5403
#define LINUX_TCSETSF    0x5404
#define LINUX_TCFLSH     0x540B
#define LINUX_TIOCSCTTY  0x540E
#define LINUX_TIOCGPGRP  0x540F
#define LINUX_TIOCSPGRP  0x5410
#define LINUX_TIOCOUTQ   0x5411
#define LINUX_TIOCGWINSZ 0x5413
#define LINUX_TIOCSWINSZ 0x5414
#define LINUX_FIONREAD   0x541B
#define LINUX_TIOCNOTTY  0x5422
#define LINUX_TIOCGSID   0x5429

/* tcflush queues (asm-generic/termbits-common.h). */
#define LINUX_TCIFLUSH  0
#define LINUX_TCOFLUSH  1
#define LINUX_TCIOFLUSH 2

/* struct termios's flags (asm-generic/termbits.h, termbits-common.h). c_iflag: */
#define LINUX_IGNBRK  0x001
#define LINUX_BRKINT  0x002
#define LINUX_ISTRIP  0x020
#define LINUX_INLCR   0x040
#define LINUX_IGNCR   0x080
#define LINUX_ICRNL   0x100
#define LINUX_IXON    0x400
#define LINUX_IMAXBEL 0x2000
#define LINUX_IUTF8   0x4000
/* c_oflag: */
#define LINUX_OPOST  0x01
#define LINUX_ONLCR  0x04
#define LINUX_OCRNL  0x08
#define LINUX_ONOCR  0x10
#define LINUX_ONLRET 0x20
/* c_cflag: */
#define LINUX_B38400  0x000f
#define LINUX_CS8     0x0030
#define LINUX_CREAD   0x0080
#define LINUX_HUPCL   0x0400
#define LINUX_CLOCAL  0x0800
#define LINUX_B115200 0x1002
/* c_lflag: */
#define LINUX_ISIG    0x0001
#define LINUX_ICANON  0x0002
#define LINUX_ECHO    0x0008
#define LINUX_ECHOE   0x0010
#define LINUX_ECHOK   0x0020
#define LINUX_ECHONL  0x0040
#define LINUX_NOFLSH  0x0080
#define LINUX_TOSTOP  0x0100
#define LINUX_ECHOCTL 0x0200
#define LINUX_ECHOKE  0x0800
#define LINUX_IEXTEN  0x8000
/* c_cc indices; NCCS entries. */
#define LINUX_VINTR    0
#define LINUX_VQUIT    1
#define LINUX_VERASE   2
#define LINUX_VKILL    3
#define LINUX_VEOF     4
#define LINUX_VTIME    5
#define LINUX_VMIN     6
#define LINUX_VSTART   8
#define LINUX_VSTOP    9
#define LINUX_VSUSP    10
#define LINUX_VEOL     11
#define LINUX_VREPRINT 12
#define LINUX_VWERASE  14
#define LINUX_VLNEXT   15
#define LINUX_VEOL2    16
#define LINUX_NCCS     19

/* Times in system calls (linux/time_types.h, linux/time.h): struct __kernel_timespec and
 * struct __kernel_old_timeval on x86-64. */
struct linux_timespec {
    int64_t sec, nsec;
};
struct linux_timeval {
    int64_t sec, usec;
};
/* struct rusage on x86-64 (linux/resource.h): two timevals and fourteen longs, 144 bytes. */
struct linux_rusage {
    struct linux_timeval utime, stime;
    int64_t rest[14];
};

/* Clocks (linux/time.h). */
#define LINUX_CLOCK_REALTIME  0
#define LINUX_CLOCK_MONOTONIC 1
#define LINUX_CLOCK_BOOTTIME  7
#define LINUX_TIMER_ABSTIME   1 /* clock_nanosleep's flag */

/* Signals the server sends itself (asm/signal.h): faults, the terminal's, timers, children. */
#define LINUX_SIGHUP   1
#define LINUX_SIGINT   2
#define LINUX_SIGQUIT  3
#define LINUX_SIGILL   4
#define LINUX_SIGTRAP  5
#define LINUX_SIGBUS   7
#define LINUX_SIGFPE   8
#define LINUX_SIGKILL  9
#define LINUX_SIGSEGV  11
#define LINUX_SIGPIPE  13
#define LINUX_SIGALRM  14
#define LINUX_SIGCHLD  17
#define LINUX_SIGCONT  18
#define LINUX_SIGSTOP  19
#define LINUX_SIGTSTP  20
#define LINUX_SIGTTIN  21
#define LINUX_SIGTTOU  22
#define LINUX_SIGWINCH 28

/* Interval timers (linux/time.h). */
#define LINUX_ITIMER_REAL    0
#define LINUX_ITIMER_VIRTUAL 1
#define LINUX_ITIMER_PROF    2

/* wait4 options (linux/wait.h). */
#define LINUX_WNOHANG    0x00000001
#define LINUX_WUNTRACED  0x00000002
#define LINUX_WCONTINUED 0x00000008
#define LINUX_WSTOPPED   0x00000002 /* waitid's name for WUNTRACED */
#define LINUX_WEXITED    0x00000004
#define LINUX_WNOWAIT    0x01000000
#define LINUX_P_ALL      0 /* waitid's idtype */
#define LINUX_P_PID      1
#define LINUX_P_PGID     2
#define LINUX_P_PIDFD    3
#define LINUX_WNOTHREAD  0x20000000
#define LINUX_WALL       0x40000000
#define LINUX_WCLONE     0x80000000u

/* clone flags (linux/sched.h): the low byte is the signal sent to the parent at the end. */
#define LINUX_CSIGNAL              0x000000ff
#define LINUX_CLONE_VM             0x00000100
#define LINUX_CLONE_FS             0x00000200
#define LINUX_CLONE_FILES          0x00000400
#define LINUX_CLONE_SIGHAND        0x00000800
#define LINUX_CLONE_VFORK          0x00004000
#define LINUX_CLONE_THREAD         0x00010000
#define LINUX_CLONE_SYSVSEM        0x00040000
#define LINUX_CLONE_SETTLS         0x00080000
#define LINUX_CLONE_PARENT_SETTID  0x00100000
#define LINUX_CLONE_CHILD_CLEARTID 0x00200000
#define LINUX_CLONE_DETACHED       0x00400000
#define LINUX_CLONE_CHILD_SETTID   0x01000000

/* futex operations and flags (linux/futex.h). */
#define LINUX_FUTEX_WAIT           0
#define LINUX_FUTEX_WAKE           1
#define LINUX_FUTEX_REQUEUE        3
#define LINUX_FUTEX_CMP_REQUEUE    4
#define LINUX_FUTEX_WAKE_OP        5
#define LINUX_FUTEX_WAIT_BITSET    9
#define LINUX_FUTEX_WAKE_BITSET    10
#define LINUX_FUTEX_PRIVATE_FLAG   128
#define LINUX_FUTEX_CLOCK_REALTIME 256
#define LINUX_FUTEX_BITSET_ANY     0xffffffffu

/* Resource limits (asm-generic/resource.h), getrusage's whom (linux/resource.h). */
#define LINUX_RLIMIT_NOFILE   7
#define LINUX_RLIM_NLIMITS    16
#define LINUX_RLIM_INFINITY   (~0ull)
#define LINUX_RUSAGE_SELF     0
#define LINUX_RUSAGE_CHILDREN (-1)
#define LINUX_RUSAGE_THREAD   1

/* prctl options (linux/prctl.h). */
#define LINUX_PR_SET_PDEATHSIG    1
#define LINUX_PR_GET_PDEATHSIG    2
#define LINUX_PR_GET_DUMPABLE     3
#define LINUX_PR_SET_DUMPABLE     4
#define LINUX_PR_SET_NAME         15
#define LINUX_PR_GET_NAME         16
#define LINUX_PR_SET_NO_NEW_PRIVS 38
#define LINUX_PR_GET_NO_NEW_PRIVS 39

/* poll's event bits (asm-generic/poll.h). */
#define LINUX_POLLIN     0x0001
#define LINUX_POLLPRI    0x0002
#define LINUX_POLLOUT    0x0004
#define LINUX_POLLERR    0x0008
#define LINUX_POLLHUP    0x0010
#define LINUX_POLLNVAL   0x0020
#define LINUX_POLLRDNORM 0x0040
#define LINUX_POLLWRNORM 0x0100

/* getrandom flags (linux/random.h). */
#define LINUX_GRND_NONBLOCK 0x1
#define LINUX_GRND_RANDOM   0x2
#define LINUX_GRND_INSECURE 0x4

#endif
