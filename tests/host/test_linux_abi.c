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
#include <linux/mman.h>
#include <linux/random.h>
#include <linux/time.h>
#include <sys/ioctl.h>
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
    CHECK_EQ(LINUX_NR_rt_sigreturn, __NR_rt_sigreturn);
    CHECK_EQ(LINUX_NR_pause, __NR_pause);
    CHECK_EQ(LINUX_NR_getitimer, __NR_getitimer);
    CHECK_EQ(LINUX_NR_alarm, __NR_alarm);
    CHECK_EQ(LINUX_NR_setitimer, __NR_setitimer);
    CHECK_EQ(LINUX_NR_rt_sigpending, __NR_rt_sigpending);
    CHECK_EQ(LINUX_NR_rt_sigtimedwait, __NR_rt_sigtimedwait);
    CHECK_EQ(LINUX_NR_rt_sigsuspend, __NR_rt_sigsuspend);
    CHECK_EQ(LINUX_NR_sigaltstack, __NR_sigaltstack);
    CHECK_EQ(LINUX_NR_tkill, __NR_tkill);
    CHECK_EQ(LINUX_NR_tgkill, __NR_tgkill);
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
    CHECK_EQ(LINUX_EINTR, EINTR);
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
    CHECK_EQ(LINUX_ITIMER_REAL, ITIMER_REAL);
    CHECK_EQ(LINUX_ITIMER_VIRTUAL, ITIMER_VIRTUAL);
    CHECK_EQ(LINUX_ITIMER_PROF, ITIMER_PROF);
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
