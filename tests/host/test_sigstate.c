/*
 * test_sigstate.c - the rules of Linux signals the posix server follows
 * (servers/posix/sigstate.c): default actions, masks, which pending signal
 * goes first, rt_sigaction's checks, restarting interrupted calls, what a
 * fault becomes, wait statuses; the constants against the UAPI headers.
 */
#include <linux/signal.h>
#include <asm/siginfo.h>
#include "../../servers/posix/sigstate.h"
#include "../../servers/posix/linux_abi.h"
#include "unit.h"

static void test_constants(void)
{
    CHECK_EQ(LINUX_SA_NOCLDSTOP, SA_NOCLDSTOP);
    CHECK_EQ(LINUX_SA_NOCLDWAIT, SA_NOCLDWAIT);
    CHECK_EQ(LINUX_SA_SIGINFO, SA_SIGINFO);
    CHECK_EQ(LINUX_SA_RESTORER, SA_RESTORER);
    CHECK_EQ(LINUX_SA_ONSTACK, SA_ONSTACK);
    CHECK_EQ(LINUX_SA_RESTART, SA_RESTART);
    CHECK_EQ(LINUX_SA_NODEFER, SA_NODEFER);
    CHECK_EQ(LINUX_SA_RESETHAND, SA_RESETHAND);
    CHECK_EQ(LINUX_SI_USER, SI_USER);
    CHECK_EQ(LINUX_SI_KERNEL, SI_KERNEL);
    CHECK_EQ(LINUX_SI_TIMER, SI_TIMER);
    CHECK_EQ(LINUX_SI_TKILL, SI_TKILL);
    CHECK_EQ(LINUX_ILL_ILLOPN, ILL_ILLOPN);
    CHECK_EQ(LINUX_FPE_INTDIV, FPE_INTDIV);
    CHECK_EQ(LINUX_FPE_FLTDIV, FPE_FLTDIV);
    CHECK_EQ(LINUX_FPE_FLTOVF, FPE_FLTOVF);
    CHECK_EQ(LINUX_FPE_FLTUND, FPE_FLTUND);
    CHECK_EQ(LINUX_FPE_FLTRES, FPE_FLTRES);
    CHECK_EQ(LINUX_FPE_FLTINV, FPE_FLTINV);
    CHECK_EQ(LINUX_SEGV_MAPERR, SEGV_MAPERR);
    CHECK_EQ(LINUX_SEGV_ACCERR, SEGV_ACCERR);
    CHECK_EQ(LINUX_BUS_ADRALN, BUS_ADRALN);
    CHECK_EQ(LINUX_TRAP_BRKPT, TRAP_BRKPT);
    CHECK_EQ(LINUX_CLD_EXITED, CLD_EXITED);
    CHECK_EQ(LINUX_CLD_KILLED, CLD_KILLED);
    CHECK_EQ(LINUX_CLD_DUMPED, CLD_DUMPED);
    CHECK_EQ(LINUX_CLD_STOPPED, CLD_STOPPED);
    CHECK_EQ(LINUX_CLD_CONTINUED, CLD_CONTINUED);
    CHECK_EQ(LINUX_SIG_DFL, (long)SIG_DFL);
    CHECK_EQ(LINUX_SIG_IGN, (long)SIG_IGN);
    CHECK_EQ(sig_bit(SIGKILL), 1ull << 8);
}

static void test_default_actions(void)
{
    CHECK_EQ(sig_default_action(SIGHUP), SIG_DEF_TERM);
    CHECK_EQ(sig_default_action(SIGINT), SIG_DEF_TERM);
    CHECK_EQ(sig_default_action(SIGKILL), SIG_DEF_TERM);
    CHECK_EQ(sig_default_action(SIGPIPE), SIG_DEF_TERM);
    CHECK_EQ(sig_default_action(SIGALRM), SIG_DEF_TERM);
    CHECK_EQ(sig_default_action(SIGTERM), SIG_DEF_TERM);
    CHECK_EQ(sig_default_action(SIGUSR1), SIG_DEF_TERM);
    CHECK_EQ(sig_default_action(SIGQUIT), SIG_DEF_CORE);
    CHECK_EQ(sig_default_action(SIGSEGV), SIG_DEF_CORE);
    CHECK_EQ(sig_default_action(SIGABRT), SIG_DEF_CORE);
    CHECK_EQ(sig_default_action(SIGFPE), SIG_DEF_CORE);
    CHECK_EQ(sig_default_action(SIGSYS), SIG_DEF_CORE);
    CHECK_EQ(sig_default_action(SIGCHLD), SIG_DEF_IGNORE);
    CHECK_EQ(sig_default_action(SIGWINCH), SIG_DEF_IGNORE);
    CHECK_EQ(sig_default_action(SIGURG), SIG_DEF_IGNORE);
    CHECK_EQ(sig_default_action(SIGCONT), SIG_DEF_CONT);
    CHECK_EQ(sig_default_action(SIGSTOP), SIG_DEF_STOP);
    CHECK_EQ(sig_default_action(SIGTSTP), SIG_DEF_STOP);
    CHECK_EQ(sig_default_action(SIGTTIN), SIG_DEF_STOP);
    CHECK_EQ(sig_default_action(SIGTTOU), SIG_DEF_STOP);
    CHECK_EQ(sig_default_action(34), SIG_DEF_TERM); /* real-time */
    CHECK_EQ(sig_default_action(64), SIG_DEF_TERM);
}

static void test_masks_and_order(void)
{
    CHECK_EQ(sig_mask_sanitize(~0ull), ~0ull & ~(sig_bit(SIGKILL) | sig_bit(SIGSTOP)));
    CHECK_EQ(sig_next(0, 0), 0);
    CHECK_EQ(sig_next(sig_bit(SIGUSR1) | sig_bit(SIGINT), 0), SIGINT);
    CHECK_EQ(sig_next(sig_bit(SIGUSR1) | sig_bit(SIGINT), sig_bit(SIGINT)), SIGUSR1);
    CHECK_EQ(sig_next(sig_bit(SIGUSR1), sig_bit(SIGUSR1)), 0);
    CHECK_EQ(sig_next(sig_bit(SIGKILL), ~0ull), SIGKILL);               /* cannot be blocked */
    CHECK_EQ(sig_next(sig_bit(SIGINT) | sig_bit(SIGSEGV), 0), SIGSEGV); /* synchronous first */
    CHECK_EQ(sig_next(sig_bit(64), 0), 64);

    struct linux_sigaction dfl = {0}, ign = {LINUX_SIG_IGN, 0, 0, 0}, h = {0x401000, 0, 0, 0};
    CHECK(sig_is_ignored(&dfl, SIGCHLD));
    CHECK(!sig_is_ignored(&dfl, SIGTERM));
    CHECK(sig_is_ignored(&ign, SIGTERM));
    CHECK(!sig_is_ignored(&h, SIGCHLD));
    CHECK(!sig_is_ignored(&ign, SIGKILL));
    CHECK(!sig_is_ignored(&dfl, SIGCONT)); /* it continues a stopped process */

    h.mask = sig_bit(SIGUSR2) | sig_bit(SIGKILL);
    CHECK_EQ(sig_handler_mask(&h, SIGUSR1, sig_bit(SIGHUP)),
             sig_bit(SIGHUP) | sig_bit(SIGUSR2) | sig_bit(SIGUSR1));
    h.flags = LINUX_SA_NODEFER;
    CHECK_EQ(sig_handler_mask(&h, SIGUSR1, 0), sig_bit(SIGUSR2));
}

static void test_action_checks(void)
{
    CHECK_EQ(sig_action_check(0, false), -LINUX_EINVAL);
    CHECK_EQ(sig_action_check(65, false), -LINUX_EINVAL);
    CHECK_EQ(sig_action_check(-1, true), -LINUX_EINVAL);
    CHECK_EQ(sig_action_check(SIGKILL, true), -LINUX_EINVAL);
    CHECK_EQ(sig_action_check(SIGSTOP, true), -LINUX_EINVAL);
    CHECK_EQ(sig_action_check(SIGKILL, false), 0); /* reading its action is allowed */
    CHECK_EQ(sig_action_check(SIGINT, true), 0);
    CHECK_EQ(sig_action_check(64, true), 0);
}

static void test_restart(void)
{
    CHECK_EQ(sig_restart_kind(LINUX_NR_read), SIG_RESTART_SYS);
    CHECK_EQ(sig_restart_kind(LINUX_NR_wait4), SIG_RESTART_SYS);
    CHECK_EQ(sig_restart_kind(35 /* nanosleep */), SIG_RESTART_NOHAND);
    CHECK_EQ(sig_restart_kind(34 /* pause */), SIG_RESTART_NOHAND);
    CHECK_EQ(sig_restart_kind(130 /* rt_sigsuspend */), SIG_RESTART_NOHAND);
    CHECK_EQ(sig_restart_kind(7 /* poll */), SIG_RESTART_NOHAND);
    CHECK_EQ(sig_restart_kind(128 /* rt_sigtimedwait */), SIG_RESTART_NEVER);
    CHECK_EQ(sig_restart_kind(58 /* vfork */), SIG_UNINTERRUPTIBLE);
    CHECK(sig_should_restart(SIG_RESTART_SYS, true, LINUX_SA_RESTART));
    CHECK(!sig_should_restart(SIG_RESTART_SYS, true, 0));
    CHECK(sig_should_restart(SIG_RESTART_SYS, false, 0));
    CHECK(!sig_should_restart(SIG_RESTART_NOHAND, true, LINUX_SA_RESTART));
    CHECK(sig_should_restart(SIG_RESTART_NOHAND, false, 0));
    CHECK(!sig_should_restart(SIG_RESTART_NEVER, false, LINUX_SA_RESTART));
}

static void test_faults(void)
{
    struct linux_siginfo si;
    sig_fault_info(14, 0x1234, 0x401000, false, 0, &si);
    CHECK_EQ(si.signo, SIGSEGV);
    CHECK_EQ(si.code, SEGV_MAPERR);
    CHECK_EQ(si.u.fault.addr, 0x1234);
    sig_fault_info(14, 0x1234, 0x401000, true, 0, &si);
    CHECK_EQ(si.code, SEGV_ACCERR);
    sig_fault_info(0, 0, 0x401000, false, 0, &si);
    CHECK_EQ(si.signo, SIGFPE);
    CHECK_EQ(si.code, FPE_INTDIV);
    CHECK_EQ(si.u.fault.addr, 0x401000);
    sig_fault_info(6, 0, 0x401002, false, 0, &si);
    CHECK_EQ(si.signo, SIGILL);
    CHECK_EQ(si.code, ILL_ILLOPN);
    CHECK_EQ(si.u.fault.addr, 0x401002);
    sig_fault_info(13, 0, 0x401000, false, 0, &si);
    CHECK_EQ(si.signo, SIGSEGV);
    CHECK_EQ(si.code, SI_KERNEL);
    CHECK_EQ(si.u.fault.addr, 0);
    sig_fault_info(3, 0, 0x401001, false, 0, &si);
    CHECK_EQ(si.signo, SIGTRAP);
    CHECK_EQ(si.code, SI_KERNEL);
    sig_fault_info(19, 0, 0x401000, false, (0x1f80 & ~0x200u) | 0x4, &si); /* divide unmasked */
    CHECK_EQ(si.signo, SIGFPE);
    CHECK_EQ(si.code, FPE_FLTDIV);
}

static void test_statuses(void)
{
    CHECK_EQ(sig_status_stopped(SIGSTOP), 0x137f);
    CHECK_EQ(sig_status_stopped(SIGTSTP), 0x147f);
    CHECK_EQ(SIG_STATUS_CONTINUED, 0xffff);
    CHECK_EQ(sig_status_killed(SIGTERM, false), SIGTERM);
    CHECK_EQ(sig_status_killed(SIGSEGV, true), SIGSEGV | 0x80);
    CHECK_EQ(sig_status_killed(SIGSEGV, false), SIGSEGV);
}

static void test_pending(void)
{
    static struct sig_pending q;
    struct sig_info first = {.code = SI_USER, .pid = 7, .uid = 3};
    struct sig_info second = {.code = SI_TKILL, .pid = 8};
    sig_pending_add(&q, SIGUSR1, &first);
    sig_pending_add(&q, SIGUSR1, &second); /* merged: the first sending's information stays */
    CHECK_EQ(q.set, sig_bit(SIGUSR1));
    struct linux_siginfo si;
    sig_pending_take(&q, SIGUSR1, &si);
    CHECK_EQ(q.set, 0);
    CHECK_EQ(si.signo, SIGUSR1);
    CHECK_EQ(si.code, SI_USER);
    CHECK_EQ(si.u.proc.pid, 7);
    CHECK_EQ(si.u.proc.uid, 3);
    struct sig_info fault = {.code = SEGV_MAPERR, .addr = 0x1234};
    sig_pending_add(&q, SIGSEGV, &fault);
    sig_pending_take(&q, SIGSEGV, &si);
    CHECK_EQ(si.code, SEGV_MAPERR);
    CHECK_EQ(si.u.fault.addr, 0x1234);
    struct sig_info killed = {.code = SI_USER, .pid = 9}; /* kill(pid, SIGSEGV): the sender */
    sig_pending_add(&q, SIGSEGV, &killed);
    sig_pending_take(&q, SIGSEGV, &si);
    CHECK_EQ(si.u.proc.pid, 9);
    struct sig_info child = {.code = CLD_EXITED, .pid = 12, .status = 3};
    sig_pending_add(&q, SIGCHLD, &child);
    sig_pending_take(&q, SIGCHLD, &si);
    CHECK_EQ(si.code, CLD_EXITED);
    CHECK_EQ(si.u.proc.pid, 12);
    CHECK_EQ(si.u.proc.status, 3);
}

static void test_signal_numbers(void)
{
    CHECK_EQ(LINUX_SIGILL, SIGILL);
    CHECK_EQ(LINUX_SIGTRAP, SIGTRAP);
    CHECK_EQ(LINUX_SIGBUS, SIGBUS);
    CHECK_EQ(LINUX_SIGFPE, SIGFPE);
    CHECK_EQ(LINUX_SIGKILL, SIGKILL);
    CHECK_EQ(LINUX_SIGSEGV, SIGSEGV);
    CHECK_EQ(LINUX_SIGPIPE, SIGPIPE);
    CHECK_EQ(LINUX_SIGALRM, SIGALRM);
    CHECK_EQ(LINUX_SIGCHLD, SIGCHLD);
    CHECK_EQ(LINUX_SIGCONT, SIGCONT);
    CHECK_EQ(LINUX_SIGSTOP, SIGSTOP);
}

int main(void)
{
    unit_run("sigstate", "constants", test_constants);
    unit_run("sigstate", "default_actions", test_default_actions);
    unit_run("sigstate", "masks_and_order", test_masks_and_order);
    unit_run("sigstate", "action_checks", test_action_checks);
    unit_run("sigstate", "restart", test_restart);
    unit_run("sigstate", "faults", test_faults);
    unit_run("sigstate", "statuses", test_statuses);
    unit_run("sigstate", "pending", test_pending);
    unit_run("sigstate", "signal_numbers", test_signal_numbers);
    return unit_exit_code();
}
