/*
 * test_linux_abi.c - the posix server's copies of Linux's numbers
 * (servers/posix/linux_abi.h) against the Linux UAPI headers
 * (linux-libc-dev): system calls, errors, mmap flags, ioctls, clocks.
 */
#include <asm/prctl.h>
#include <asm/unistd_64.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <linux/futex.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/resource.h>
#include <linux/sched.h>
#include <linux/random.h>
#include <linux/time.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include "../../servers/posix/linux_abi.h"
#include "unit.h"

static void test_numbers(void)
{
    CHECK_EQ(LINUX_NR_read, __NR_read);
    CHECK_EQ(LINUX_NR_write, __NR_write);
    CHECK_EQ(LINUX_NR_mmap, __NR_mmap);
    CHECK_EQ(LINUX_NR_mprotect, __NR_mprotect);
    CHECK_EQ(LINUX_NR_munmap, __NR_munmap);
    CHECK_EQ(LINUX_NR_brk, __NR_brk);
    CHECK_EQ(LINUX_NR_rt_sigaction, __NR_rt_sigaction);
    CHECK_EQ(LINUX_NR_rt_sigprocmask, __NR_rt_sigprocmask);
    CHECK_EQ(LINUX_NR_ioctl, __NR_ioctl);
    CHECK_EQ(LINUX_NR_readv, __NR_readv);
    CHECK_EQ(LINUX_NR_writev, __NR_writev);
    CHECK_EQ(LINUX_NR_getpid, __NR_getpid);
    CHECK_EQ(LINUX_NR_exit, __NR_exit);
    CHECK_EQ(LINUX_NR_uname, __NR_uname);
    CHECK_EQ(LINUX_NR_getuid, __NR_getuid);
    CHECK_EQ(LINUX_NR_getgid, __NR_getgid);
    CHECK_EQ(LINUX_NR_geteuid, __NR_geteuid);
    CHECK_EQ(LINUX_NR_getegid, __NR_getegid);
    CHECK_EQ(LINUX_NR_getppid, __NR_getppid);
    CHECK_EQ(LINUX_NR_arch_prctl, __NR_arch_prctl);
    CHECK_EQ(LINUX_NR_sched_yield, __NR_sched_yield);
    CHECK_EQ(LINUX_NR_tkill, __NR_tkill);
    CHECK_EQ(LINUX_NR_tgkill, __NR_tgkill);
    CHECK_EQ(LINUX_NR_futex, __NR_futex);
    CHECK_EQ(LINUX_NR_mremap, __NR_mremap);
    CHECK_EQ(LINUX_NR_madvise, __NR_madvise);
    CHECK_EQ(LINUX_NR_msync, __NR_msync);
    CHECK_EQ(LINUX_NR_gettimeofday, __NR_gettimeofday);
    CHECK_EQ(LINUX_NR_getrlimit, __NR_getrlimit);
    CHECK_EQ(LINUX_NR_getrusage, __NR_getrusage);
    CHECK_EQ(LINUX_NR_sysinfo, __NR_sysinfo);
    CHECK_EQ(LINUX_NR_times, __NR_times);
    CHECK_EQ(LINUX_NR_prctl, __NR_prctl);
    CHECK_EQ(LINUX_NR_setrlimit, __NR_setrlimit);
    CHECK_EQ(LINUX_NR_time, __NR_time);
    CHECK_EQ(LINUX_NR_clock_getres, __NR_clock_getres);
    CHECK_EQ(LINUX_NR_prlimit64, __NR_prlimit64);
    CHECK_EQ(LINUX_RLIMIT_NOFILE, RLIMIT_NOFILE);
    CHECK_EQ(LINUX_RLIM_NLIMITS, RLIM_NLIMITS);
    CHECK_EQ(LINUX_RLIM_INFINITY, (unsigned long long)RLIM_INFINITY);
    CHECK_EQ(LINUX_RUSAGE_SELF, RUSAGE_SELF);
    CHECK_EQ(LINUX_RUSAGE_CHILDREN, RUSAGE_CHILDREN);
    CHECK_EQ(LINUX_RUSAGE_THREAD, RUSAGE_THREAD);
    CHECK_EQ(LINUX_PR_SET_PDEATHSIG, PR_SET_PDEATHSIG);
    CHECK_EQ(LINUX_PR_GET_PDEATHSIG, PR_GET_PDEATHSIG);
    CHECK_EQ(LINUX_PR_GET_DUMPABLE, PR_GET_DUMPABLE);
    CHECK_EQ(LINUX_PR_SET_DUMPABLE, PR_SET_DUMPABLE);
    CHECK_EQ(LINUX_PR_SET_NAME, PR_SET_NAME);
    CHECK_EQ(LINUX_PR_GET_NAME, PR_GET_NAME);
    CHECK_EQ(LINUX_PR_SET_NO_NEW_PRIVS, PR_SET_NO_NEW_PRIVS);
    CHECK_EQ(LINUX_PR_GET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS);
    CHECK_EQ(LINUX_MS_ASYNC, MS_ASYNC);
    CHECK_EQ(LINUX_MS_INVALIDATE, MS_INVALIDATE);
    CHECK_EQ(LINUX_MS_SYNC, MS_SYNC);
    CHECK_EQ(LINUX_MREMAP_MAYMOVE, MREMAP_MAYMOVE);
    CHECK_EQ(LINUX_MREMAP_FIXED, MREMAP_FIXED);
    CHECK_EQ(LINUX_MREMAP_DONTUNMAP, MREMAP_DONTUNMAP);
    CHECK_EQ(LINUX_MADV_NORMAL, MADV_NORMAL);
    CHECK_EQ(LINUX_MADV_RANDOM, MADV_RANDOM);
    CHECK_EQ(LINUX_MADV_SEQUENTIAL, MADV_SEQUENTIAL);
    CHECK_EQ(LINUX_MADV_WILLNEED, MADV_WILLNEED);
    CHECK_EQ(LINUX_MADV_DONTNEED, MADV_DONTNEED);
    CHECK_EQ(LINUX_MADV_FREE, MADV_FREE);
    CHECK_EQ(LINUX_CLONE_VM, CLONE_VM);
    CHECK_EQ(LINUX_CLONE_FS, CLONE_FS);
    CHECK_EQ(LINUX_CLONE_FILES, CLONE_FILES);
    CHECK_EQ(LINUX_CLONE_SIGHAND, CLONE_SIGHAND);
    CHECK_EQ(LINUX_CLONE_VFORK, CLONE_VFORK);
    CHECK_EQ(LINUX_CLONE_THREAD, CLONE_THREAD);
    CHECK_EQ(LINUX_CLONE_SYSVSEM, CLONE_SYSVSEM);
    CHECK_EQ(LINUX_CLONE_SETTLS, CLONE_SETTLS);
    CHECK_EQ(LINUX_CLONE_PARENT_SETTID, CLONE_PARENT_SETTID);
    CHECK_EQ(LINUX_CLONE_CHILD_CLEARTID, CLONE_CHILD_CLEARTID);
    CHECK_EQ(LINUX_CLONE_DETACHED, CLONE_DETACHED);
    CHECK_EQ(LINUX_CLONE_CHILD_SETTID, CLONE_CHILD_SETTID);
    CHECK_EQ(LINUX_FUTEX_WAIT, FUTEX_WAIT);
    CHECK_EQ(LINUX_FUTEX_WAKE, FUTEX_WAKE);
    CHECK_EQ(LINUX_FUTEX_REQUEUE, FUTEX_REQUEUE);
    CHECK_EQ(LINUX_FUTEX_CMP_REQUEUE, FUTEX_CMP_REQUEUE);
    CHECK_EQ(LINUX_FUTEX_WAKE_OP, FUTEX_WAKE_OP);
    CHECK_EQ(LINUX_FUTEX_WAIT_BITSET, FUTEX_WAIT_BITSET);
    CHECK_EQ(LINUX_FUTEX_WAKE_BITSET, FUTEX_WAKE_BITSET);
    CHECK_EQ(LINUX_FUTEX_PRIVATE_FLAG, FUTEX_PRIVATE_FLAG);
    CHECK_EQ(LINUX_FUTEX_CLOCK_REALTIME, FUTEX_CLOCK_REALTIME);
    CHECK_EQ(LINUX_FUTEX_BITSET_ANY, FUTEX_BITSET_MATCH_ANY);
    CHECK_EQ(LINUX_NR_gettid, __NR_gettid);
    CHECK_EQ(LINUX_NR_set_tid_address, __NR_set_tid_address);
    CHECK_EQ(LINUX_NR_clock_gettime, __NR_clock_gettime);
    CHECK_EQ(LINUX_NR_exit_group, __NR_exit_group);
    CHECK_EQ(LINUX_NR_set_robust_list, __NR_set_robust_list);
    CHECK_EQ(LINUX_NR_getrandom, __NR_getrandom);
    CHECK_EQ(LINUX_NR_open, __NR_open);
    CHECK_EQ(LINUX_NR_close, __NR_close);
    CHECK_EQ(LINUX_NR_stat, __NR_stat);
    CHECK_EQ(LINUX_NR_fstat, __NR_fstat);
    CHECK_EQ(LINUX_NR_lstat, __NR_lstat);
    CHECK_EQ(LINUX_NR_lseek, __NR_lseek);
    CHECK_EQ(LINUX_NR_pread64, __NR_pread64);
    CHECK_EQ(LINUX_NR_pwrite64, __NR_pwrite64);
    CHECK_EQ(LINUX_NR_access, __NR_access);
    CHECK_EQ(LINUX_NR_dup, __NR_dup);
    CHECK_EQ(LINUX_NR_dup2, __NR_dup2);
    CHECK_EQ(LINUX_NR_fcntl, __NR_fcntl);
    CHECK_EQ(LINUX_NR_ftruncate, __NR_ftruncate);
    CHECK_EQ(LINUX_NR_getcwd, __NR_getcwd);
    CHECK_EQ(LINUX_NR_chdir, __NR_chdir);
    CHECK_EQ(LINUX_NR_mkdir, __NR_mkdir);
    CHECK_EQ(LINUX_NR_rmdir, __NR_rmdir);
    CHECK_EQ(LINUX_NR_creat, __NR_creat);
    CHECK_EQ(LINUX_NR_unlink, __NR_unlink);
    CHECK_EQ(LINUX_NR_umask, __NR_umask);
    CHECK_EQ(LINUX_NR_getdents64, __NR_getdents64);
    CHECK_EQ(LINUX_NR_openat, __NR_openat);
    CHECK_EQ(LINUX_NR_mkdirat, __NR_mkdirat);
    CHECK_EQ(LINUX_NR_newfstatat, __NR_newfstatat);
    CHECK_EQ(LINUX_NR_unlinkat, __NR_unlinkat);
    CHECK_EQ(LINUX_NR_faccessat, __NR_faccessat);
    CHECK_EQ(LINUX_NR_fsync, __NR_fsync);
    CHECK_EQ(LINUX_NR_fdatasync, __NR_fdatasync);
    CHECK_EQ(LINUX_NR_truncate, __NR_truncate);
    CHECK_EQ(LINUX_NR_chmod, __NR_chmod);
    CHECK_EQ(LINUX_NR_fchmod, __NR_fchmod);
    CHECK_EQ(LINUX_NR_chown, __NR_chown);
    CHECK_EQ(LINUX_NR_fchown, __NR_fchown);
    CHECK_EQ(LINUX_NR_lchown, __NR_lchown);
    CHECK_EQ(LINUX_NR_setuid, __NR_setuid);
    CHECK_EQ(LINUX_NR_setgid, __NR_setgid);
    CHECK_EQ(LINUX_NR_setreuid, __NR_setreuid);
    CHECK_EQ(LINUX_NR_setregid, __NR_setregid);
    CHECK_EQ(LINUX_NR_getgroups, __NR_getgroups);
    CHECK_EQ(LINUX_NR_setgroups, __NR_setgroups);
    CHECK_EQ(LINUX_NR_setresuid, __NR_setresuid);
    CHECK_EQ(LINUX_NR_getresuid, __NR_getresuid);
    CHECK_EQ(LINUX_NR_setresgid, __NR_setresgid);
    CHECK_EQ(LINUX_NR_getresgid, __NR_getresgid);
    CHECK_EQ(LINUX_NR_setfsuid, __NR_setfsuid);
    CHECK_EQ(LINUX_NR_setfsgid, __NR_setfsgid);
    CHECK_EQ(LINUX_NR_utime, __NR_utime);
    CHECK_EQ(LINUX_NR_mknod, __NR_mknod);
    CHECK_EQ(LINUX_NR_utimes, __NR_utimes);
    CHECK_EQ(LINUX_NR_mknodat, __NR_mknodat);
    CHECK_EQ(LINUX_NR_fchownat, __NR_fchownat);
    CHECK_EQ(LINUX_NR_futimesat, __NR_futimesat);
    CHECK_EQ(LINUX_NR_fchmodat, __NR_fchmodat);
    CHECK_EQ(LINUX_NR_utimensat, __NR_utimensat);
    CHECK_EQ(LINUX_NR_faccessat2, __NR_faccessat2);
    CHECK_EQ(LINUX_NR_dup3, __NR_dup3);
    CHECK_EQ(LINUX_NR_pipe, __NR_pipe);
    CHECK_EQ(LINUX_NR_pipe2, __NR_pipe2);
}

static void test_errors(void)
{
    CHECK_EQ(LINUX_EPERM, EPERM);
    CHECK_EQ(LINUX_ENOENT, ENOENT);
    CHECK_EQ(LINUX_ESRCH, ESRCH);
    CHECK_EQ(LINUX_EIO, EIO);
    CHECK_EQ(LINUX_ENXIO, ENXIO);
    CHECK_EQ(LINUX_E2BIG, E2BIG);
    CHECK_EQ(LINUX_ENOEXEC, ENOEXEC);
    CHECK_EQ(LINUX_EBADF, EBADF);
    CHECK_EQ(LINUX_EAGAIN, EAGAIN);
    CHECK_EQ(LINUX_ENOMEM, ENOMEM);
    CHECK_EQ(LINUX_EACCES, EACCES);
    CHECK_EQ(LINUX_EFAULT, EFAULT);
    CHECK_EQ(LINUX_EEXIST, EEXIST);
    CHECK_EQ(LINUX_ENODEV, ENODEV);
    CHECK_EQ(LINUX_EINVAL, EINVAL);
    CHECK_EQ(LINUX_ENOTTY, ENOTTY);
    CHECK_EQ(LINUX_ENAMETOOLONG, ENAMETOOLONG);
    CHECK_EQ(LINUX_ENOSYS, ENOSYS);
    CHECK_EQ(LINUX_ETIMEDOUT, ETIMEDOUT);
    CHECK_EQ(LINUX_ENOTDIR, ENOTDIR);
    CHECK_EQ(LINUX_EISDIR, EISDIR);
    CHECK_EQ(LINUX_EMFILE, EMFILE);
    CHECK_EQ(LINUX_EFBIG, EFBIG);
    CHECK_EQ(LINUX_ENOSPC, ENOSPC);
    CHECK_EQ(LINUX_ESPIPE, ESPIPE);
    CHECK_EQ(LINUX_EPIPE, EPIPE);
    CHECK_EQ(LINUX_ERANGE, ERANGE);
    CHECK_EQ(LINUX_ENOTEMPTY, ENOTEMPTY);
    CHECK_EQ(LINUX_EBUSY, EBUSY);
    CHECK_EQ(LINUX_ENFILE, ENFILE);
}

static void test_files(void)
{
    CHECK_EQ(LINUX_O_ACCMODE, O_ACCMODE);
    CHECK_EQ(LINUX_O_RDONLY, O_RDONLY);
    CHECK_EQ(LINUX_O_WRONLY, O_WRONLY);
    CHECK_EQ(LINUX_O_RDWR, O_RDWR);
    CHECK_EQ(LINUX_O_CREAT, O_CREAT);
    CHECK_EQ(LINUX_O_EXCL, O_EXCL);
    CHECK_EQ(LINUX_O_NOCTTY, O_NOCTTY);
    CHECK_EQ(LINUX_O_TRUNC, O_TRUNC);
    CHECK_EQ(LINUX_O_APPEND, O_APPEND);
    CHECK_EQ(LINUX_O_NONBLOCK, O_NONBLOCK);
    CHECK_EQ(LINUX_O_DIRECTORY, O_DIRECTORY);
    CHECK_EQ(LINUX_O_NOFOLLOW, O_NOFOLLOW);
    CHECK_EQ(LINUX_O_CLOEXEC, O_CLOEXEC);
    CHECK_EQ(LINUX_O_PATH, O_PATH);
    CHECK_EQ(LINUX_F_DUPFD, F_DUPFD);
    CHECK_EQ(LINUX_F_GETFD, F_GETFD);
    CHECK_EQ(LINUX_F_SETFD, F_SETFD);
    CHECK_EQ(LINUX_F_GETFL, F_GETFL);
    CHECK_EQ(LINUX_F_SETFL, F_SETFL);
    CHECK_EQ(LINUX_F_DUPFD_CLOEXEC, F_DUPFD_CLOEXEC);
    CHECK_EQ(LINUX_FD_CLOEXEC, FD_CLOEXEC);
    CHECK_EQ(LINUX_AT_FDCWD, AT_FDCWD);
    CHECK_EQ(LINUX_AT_SYMLINK_NOFOLLOW, AT_SYMLINK_NOFOLLOW);
    CHECK_EQ(LINUX_AT_REMOVEDIR, AT_REMOVEDIR);
    CHECK_EQ(LINUX_AT_EACCESS, AT_EACCESS);
    CHECK_EQ(LINUX_AT_EMPTY_PATH, AT_EMPTY_PATH);
    CHECK_EQ(LINUX_SEEK_SET, SEEK_SET);
    CHECK_EQ(LINUX_SEEK_CUR, SEEK_CUR);
    CHECK_EQ(LINUX_SEEK_END, SEEK_END);
    CHECK_EQ(LINUX_F_OK, F_OK);
    CHECK_EQ(LINUX_F_GETLK, F_GETLK);
    CHECK_EQ(LINUX_F_SETLK, F_SETLK);
    CHECK_EQ(LINUX_F_SETLKW, F_SETLKW);
    CHECK_EQ(LINUX_F_RDLCK, F_RDLCK);
    CHECK_EQ(LINUX_F_WRLCK, F_WRLCK);
    CHECK_EQ(LINUX_F_UNLCK, F_UNLCK);
    CHECK_EQ(LINUX_UTIME_NOW, UTIME_NOW);
    CHECK_EQ(LINUX_UTIME_OMIT, UTIME_OMIT);
    CHECK_EQ(LINUX_S_ISUID, S_ISUID);
    CHECK_EQ(LINUX_S_ISGID, S_ISGID);
    CHECK_EQ(LINUX_S_ISVTX, S_ISVTX);
    CHECK_EQ(LINUX_DT_CHR, DT_CHR);
    CHECK_EQ(LINUX_DT_DIR, DT_DIR);
    CHECK_EQ(LINUX_DT_REG, DT_REG);
}

static void test_flags(void)
{
    CHECK_EQ(LINUX_PROT_READ, PROT_READ);
    CHECK_EQ(LINUX_PROT_WRITE, PROT_WRITE);
    CHECK_EQ(LINUX_PROT_EXEC, PROT_EXEC);
    CHECK_EQ(LINUX_MAP_SHARED, MAP_SHARED);
    CHECK_EQ(LINUX_MAP_PRIVATE, MAP_PRIVATE);
    CHECK_EQ(LINUX_MAP_TYPE, MAP_TYPE);
    CHECK_EQ(LINUX_MAP_FIXED, MAP_FIXED);
    CHECK_EQ(LINUX_MAP_ANONYMOUS, MAP_ANONYMOUS);
    CHECK_EQ(LINUX_MAP_FIXED_NOREPLACE, MAP_FIXED_NOREPLACE);
    CHECK_EQ(LINUX_ARCH_SET_FS, ARCH_SET_FS);
    CHECK_EQ(LINUX_ARCH_GET_FS, ARCH_GET_FS);
    CHECK_EQ(LINUX_TCGETS, TCGETS);
    CHECK_EQ(LINUX_TIOCGWINSZ, TIOCGWINSZ);
    CHECK_EQ(LINUX_CLOCK_REALTIME, CLOCK_REALTIME);
    CHECK_EQ(LINUX_CLOCK_MONOTONIC, CLOCK_MONOTONIC);
    CHECK_EQ(LINUX_CLOCK_BOOTTIME, CLOCK_BOOTTIME);
    CHECK_EQ(LINUX_GRND_NONBLOCK, GRND_NONBLOCK);
    CHECK_EQ(LINUX_GRND_RANDOM, GRND_RANDOM);
    CHECK_EQ(LINUX_GRND_INSECURE, GRND_INSECURE);
}

int main(void)
{
    unit_run("linux_abi", "numbers", test_numbers);
    unit_run("linux_abi", "errors", test_errors);
    unit_run("linux_abi", "flags", test_flags);
    unit_run("linux_abi", "files", test_files);
    return unit_exit_code();
}
