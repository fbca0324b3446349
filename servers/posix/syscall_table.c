/*
 * syscall_table.c - the Linux x86-64 system-call numbers the posix server
 * answers, and their handlers (concept: the system-call dispatch table).
 *
 * Numbers not in the table are answered with -ENOSYS and counted per
 * number (main.c prints the counts when the process ends).
 */
#include "syscalls.h"

static const struct linux_syscall table[LINUX_NR_MAX] = {
    [LINUX_NR_read] = {"read", 3, sys_read},
    [LINUX_NR_write] = {"write", 3, sys_write},
    [LINUX_NR_mmap] = {"mmap", 6, sys_mmap},
    [LINUX_NR_mprotect] = {"mprotect", 3, sys_mprotect},
    [LINUX_NR_munmap] = {"munmap", 2, sys_munmap},
    [LINUX_NR_brk] = {"brk", 1, sys_brk},
    [LINUX_NR_rt_sigaction] = {"rt_sigaction", 4, sys_rt_sigaction},
    [LINUX_NR_rt_sigprocmask] = {"rt_sigprocmask", 4, sys_rt_sigprocmask},
    [LINUX_NR_ioctl] = {"ioctl", 3, sys_ioctl},
    [LINUX_NR_writev] = {"writev", 3, sys_writev},
    [LINUX_NR_getpid] = {"getpid", 0, sys_getpid},
    [LINUX_NR_exit] = {"exit", 1, sys_exit},
    [LINUX_NR_clone] = {"clone", 5, sys_clone},
    [LINUX_NR_fork] = {"fork", 0, sys_fork},
    [LINUX_NR_vfork] = {"vfork", 0, sys_fork},
    [LINUX_NR_execve] = {"execve", 3, sys_execve},
    [LINUX_NR_wait4] = {"wait4", 4, sys_wait4},
    [LINUX_NR_kill] = {"kill", 2, sys_kill},
    [LINUX_NR_tkill] = {"tkill", 2, sys_tkill},
    [LINUX_NR_tgkill] = {"tgkill", 3, sys_tgkill},
    [LINUX_NR_rt_sigreturn] = {"rt_sigreturn", 0, sys_rt_sigreturn},
    [LINUX_NR_rt_sigpending] = {"rt_sigpending", 2, sys_rt_sigpending},
    [LINUX_NR_rt_sigsuspend] = {"rt_sigsuspend", 2, sys_rt_sigsuspend},
    [LINUX_NR_rt_sigtimedwait] = {"rt_sigtimedwait", 4, sys_rt_sigtimedwait},
    [LINUX_NR_sigaltstack] = {"sigaltstack", 2, sys_sigaltstack},
    [LINUX_NR_pause] = {"pause", 0, sys_pause},
    [LINUX_NR_alarm] = {"alarm", 1, sys_alarm},
    [LINUX_NR_getitimer] = {"getitimer", 2, sys_getitimer},
    [LINUX_NR_setitimer] = {"setitimer", 3, sys_setitimer},
    [LINUX_NR_uname] = {"uname", 1, sys_uname},
    [LINUX_NR_getuid] = {"getuid", 0, sys_getuid},
    [LINUX_NR_getgid] = {"getgid", 0, sys_getuid},
    [LINUX_NR_geteuid] = {"geteuid", 0, sys_getuid},
    [LINUX_NR_getegid] = {"getegid", 0, sys_getuid},
    [LINUX_NR_getppid] = {"getppid", 0, sys_getppid},
    [LINUX_NR_arch_prctl] = {"arch_prctl", 2, sys_arch_prctl},
    [LINUX_NR_gettid] = {"gettid", 0, sys_getpid},
    [LINUX_NR_set_tid_address] = {"set_tid_address", 1, sys_set_tid_address},
    [LINUX_NR_clock_gettime] = {"clock_gettime", 2, sys_clock_gettime},
    [LINUX_NR_exit_group] = {"exit_group", 1, sys_exit},
    [LINUX_NR_set_robust_list] = {"set_robust_list", 2, sys_set_robust_list},
    [LINUX_NR_getrandom] = {"getrandom", 3, sys_getrandom},
    [LINUX_NR_open] = {"open", 3, sys_open},
    [LINUX_NR_close] = {"close", 1, sys_close},
    [LINUX_NR_stat] = {"stat", 2, sys_stat},
    [LINUX_NR_fstat] = {"fstat", 2, sys_fstat},
    [LINUX_NR_lstat] = {"lstat", 2, sys_stat}, /* no symbolic links yet: as stat */
    [LINUX_NR_lseek] = {"lseek", 3, sys_lseek},
    [LINUX_NR_pread64] = {"pread64", 4, sys_pread64},
    [LINUX_NR_pwrite64] = {"pwrite64", 4, sys_pwrite64},
    [LINUX_NR_readv] = {"readv", 3, sys_readv},
    [LINUX_NR_access] = {"access", 2, sys_access},
    [LINUX_NR_dup] = {"dup", 1, sys_dup},
    [LINUX_NR_dup2] = {"dup2", 2, sys_dup2},
    [LINUX_NR_fcntl] = {"fcntl", 3, sys_fcntl},
    [LINUX_NR_ftruncate] = {"ftruncate", 2, sys_ftruncate},
    [LINUX_NR_getcwd] = {"getcwd", 2, sys_getcwd},
    [LINUX_NR_chdir] = {"chdir", 1, sys_chdir},
    [LINUX_NR_mkdir] = {"mkdir", 2, sys_mkdir},
    [LINUX_NR_rmdir] = {"rmdir", 1, sys_rmdir},
    [LINUX_NR_creat] = {"creat", 2, sys_creat},
    [LINUX_NR_unlink] = {"unlink", 1, sys_unlink},
    [LINUX_NR_umask] = {"umask", 1, sys_umask},
    [LINUX_NR_getdents64] = {"getdents64", 3, sys_getdents64},
    [LINUX_NR_openat] = {"openat", 4, sys_openat},
    [LINUX_NR_mkdirat] = {"mkdirat", 3, sys_mkdirat},
    [LINUX_NR_newfstatat] = {"newfstatat", 4, sys_newfstatat},
    [LINUX_NR_unlinkat] = {"unlinkat", 3, sys_unlinkat},
    [LINUX_NR_faccessat] = {"faccessat", 3, sys_faccessat},
    [LINUX_NR_dup3] = {"dup3", 3, sys_dup3},
    [LINUX_NR_pipe] = {"pipe", 1, sys_pipe},
    [LINUX_NR_pipe2] = {"pipe2", 2, sys_pipe2},
};

const struct linux_syscall *syscall_lookup(uint64_t nr)
{
    if (nr >= LINUX_NR_MAX || !table[nr].fn)
        return 0;
    return &table[nr];
}
