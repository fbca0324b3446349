/*
 * test_linux_abi.c - the posix server's copies of Linux's numbers
 * (servers/posix/linux_abi.h) against the Linux UAPI headers
 * (linux-libc-dev): system calls, errors, mmap flags, ioctls, clocks.
 */
#include <asm/prctl.h>
#include <asm/unistd_64.h>
#include <errno.h>
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
}

static void test_errors(void)
{
    CHECK_EQ(LINUX_EPERM, EPERM);
    CHECK_EQ(LINUX_ENOENT, ENOENT);
    CHECK_EQ(LINUX_ESRCH, ESRCH);
    CHECK_EQ(LINUX_EIO, EIO);
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
    return unit_exit_code();
}
