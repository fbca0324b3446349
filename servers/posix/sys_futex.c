/*
 * sys_futex.c - futex: waiting for a word of memory to change (concepts:
 * futexes, the fast user-space mutex; sleep and wakeup; requeueing).
 *
 * A futex is a 32-bit word of a program's memory.  Threads agree on its
 * meaning themselves (a lock's state, a condition variable's sequence
 * number) and change it with atomic instructions, without the kernel - or
 * here, the server - as long as nobody must wait.  Only to wait and to wake
 * do they make the call: FUTEX_WAIT(addr, val) sleeps if the word still
 * holds val (checked by the server, so a wake between the thread's look and
 * its call is not lost: then the call answers EAGAIN), FUTEX_WAKE(addr, n)
 * wakes up to n sleepers, longest-waiting first.
 *
 * What names a futex: the word's place in memory, not its address in one
 * process.  The server sees every byte of a program's memory through its
 * own mapping (the shadow, regions.h), one per VM object, so the shadow
 * address of the word is the futex's key: threads of one process share
 * it, and so do processes sharing memory (MAP_SHARED); after a fork each
 * side's private copy has a shadow of its own.  Private and shared futexes
 * (FUTEX_PRIVATE_FLAG) therefore need no different treatment.
 *
 * A sleeping call waits on the key as its channel (block.h).  A wake
 * answers it at once with 0 (block_interrupt) rather than running it again,
 * because a run again would look at the word afresh and might answer
 * EAGAIN; a call runs again only when its deadline passes: ETIMEDOUT.
 * FUTEX_REQUEUE moves sleepers to another key without waking them - the
 * condition variable's broadcast that does not wake all waiters only for
 * them to fight over the mutex.
 */
#include "posix.h"
#include "block.h"
#include "syscalls.h"
#include "usercopy.h"

/* The key of the futex word at uaddr in p (its shadow address), or NULL if p cannot read it
 * (*err: -EINVAL if it is not 4-byte aligned, else -EFAULT). */
static uint32_t *futex_key(struct process *p, uint64_t uaddr, int *err)
{
    *err = -LINUX_EINVAL;
    if (uaddr & 3)
        return 0;
    *err = -LINUX_EFAULT;
    if (!regions_cover(&p->mem, uaddr, uaddr + 4, LINUX_PROT_READ))
        return 0;
    const struct region *r = regions_find(&p->mem, uaddr);
    return (uint32_t *)(r->shadow + (uaddr - r->start));
}

/* The bitset a waiting futex call waits with (FUTEX_WAIT: all bits). */
static uint32_t waiter_bits(const struct task *t)
{
    uint64_t op = t->args[1] & 127;
    return op == LINUX_FUTEX_WAIT_BITSET ? (uint32_t)t->args[5] : LINUX_FUTEX_BITSET_ANY;
}

/* Is t a futex wait that a wake with bitset bits wakes? */
static bool is_waiter(const struct task *t, uint64_t bits)
{
    return t->call == sys_futex && (waiter_bits(t) & bits);
}

/* Wake up to n sleepers on key whose bitset meets bits: how many woke. */
static int64_t wake(const uint32_t *key, int64_t n, uint32_t bits)
{
    int64_t woken = 0;
    struct task *t;
    while (woken < n && (t = block_first_waiter(key, is_waiter, bits)) != 0) {
        block_interrupt(t, 0);
        woken++;
    }
    return woken;
}

/* Move up to n sleepers on key to key2 (they go on sleeping): how many moved. */
static int64_t requeue(const uint32_t *key, const uint32_t *key2, int64_t n)
{
    int64_t moved = 0;
    struct task *t;
    while (moved < n && (t = block_first_waiter(key, is_waiter, LINUX_FUTEX_BITSET_ANY)) != 0) {
        t->chan = key2;
        moved++;
    }
    return moved;
}

/* The deadline of a wait (mica_clock_ns() time; 0: none) from its timeout argument. */
static int deadline_of(struct process *p, uint64_t op, uint64_t flags, uint64_t uts,
                       uint64_t *deadline)
{
    *deadline = 0;
    if (!uts)
        return 0;
    struct linux_timespec ts;
    if (user_read(&p->mem, &ts, uts, sizeof ts) < 0)
        return -LINUX_EFAULT;
    if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
        return -LINUX_EINVAL;
    uint64_t ns = (uint64_t)ts.sec * 1000000000ull + (uint64_t)ts.nsec;
    uint64_t now = mica_clock_ns();
    if (op == LINUX_FUTEX_WAIT) /* relative, on the monotonic clock */
        *deadline = now + ns;
    else if (flags & LINUX_FUTEX_CLOCK_REALTIME) /* absolute, on the wall clock */
        *deadline = ns > posix.realtime_at_boot_ns ? ns - posix.realtime_at_boot_ns : 1;
    else /* absolute, on the monotonic clock */
        *deadline = ns ? ns : 1;
    return 0;
}

static int64_t futex_wait(struct process *p, const uint64_t *a, uint64_t op, uint64_t flags)
{
    if (posix_timed_out(p))
        return -LINUX_ETIMEDOUT; /* the only reason a waiting futex call runs again */
    int err;
    uint32_t *key = futex_key(p, a[0], &err);
    if (!key)
        return err;
    if (op == LINUX_FUTEX_WAIT_BITSET && (uint32_t)a[5] == 0)
        return -LINUX_EINVAL;
    if (op == LINUX_FUTEX_WAIT && (flags & LINUX_FUTEX_CLOCK_REALTIME))
        return -LINUX_ENOSYS; /* as Linux: only the bitset wait takes the wall clock */
    uint64_t deadline;
    if ((err = deadline_of(p, op, flags, a[3], &deadline)) < 0)
        return err;
    if (__atomic_load_n(key, __ATOMIC_SEQ_CST) != (uint32_t)a[2])
        return -LINUX_EAGAIN;
    if (deadline && deadline <= mica_clock_ns())
        return -LINUX_ETIMEDOUT;
    return posix_block(p, key, deadline);
}

/* FUTEX_WAKE_OP's operation on the word at key2: the old value; *cmp_true whether it meets
 * the comparison encoded in val3 (linux/futex.h: op 4 bits, cmp 4, oparg 12, cmparg 12). */
static int wake_op_apply(uint32_t *key2, uint32_t val3, uint32_t *old, bool *cmp_true)
{
    uint32_t op = val3 >> 28 & 7, cmp = val3 >> 24 & 15;
    uint32_t oparg = val3 >> 12 & 0xfff, cmparg = val3 & 0xfff;
    if (val3 >> 31) /* FUTEX_OP_OPARG_SHIFT: the argument is a shift count */
        oparg = oparg < 32 ? 1u << oparg : 0;
    uint32_t now = __atomic_load_n(key2, __ATOMIC_SEQ_CST), next;
    do {
        switch (op) {
        case 0:
            next = oparg;
            break; /* SET */
        case 1:
            next = now + oparg;
            break; /* ADD */
        case 2:
            next = now | oparg;
            break; /* OR */
        case 3:
            next = now & ~oparg;
            break; /* ANDN */
        case 4:
            next = now ^ oparg;
            break; /* XOR */
        default:
            return -LINUX_ENOSYS;
        }
    } while (
        !__atomic_compare_exchange_n(key2, &now, next, false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    *old = now;
    int32_t o = (int32_t)now, c = (int32_t)cmparg;
    switch (cmp) {
    case 0:
        *cmp_true = o == c;
        break;
    case 1:
        *cmp_true = o != c;
        break;
    case 2:
        *cmp_true = o < c;
        break;
    case 3:
        *cmp_true = o <= c;
        break;
    case 4:
        *cmp_true = o > c;
        break;
    case 5:
        *cmp_true = o >= c;
        break;
    default:
        return -LINUX_ENOSYS;
    }
    return 0;
}

/* The wake half of the calls: WAKE, WAKE_BITSET, REQUEUE, CMP_REQUEUE, WAKE_OP. */
static int64_t futex_wake_call(struct process *p, const uint64_t *a, uint64_t op)
{
    int err;
    uint32_t *key = futex_key(p, a[0], &err), *key2 = 0;
    if (!key)
        return err;
    int64_t n = (int32_t)a[2], n2 = (int32_t)a[3]; /* val2 is the timeout argument's value */
    switch (op) {
    case LINUX_FUTEX_WAKE:
        return wake(key, n, LINUX_FUTEX_BITSET_ANY);
    case LINUX_FUTEX_WAKE_BITSET:
        return (uint32_t)a[5] == 0 ? -LINUX_EINVAL : wake(key, n, (uint32_t)a[5]);
    case LINUX_FUTEX_REQUEUE:
    case LINUX_FUTEX_CMP_REQUEUE:
        if (n < 0 || n2 < 0)
            return -LINUX_EINVAL;
        if (!(key2 = futex_key(p, a[4], &err)))
            return err;
        if (op == LINUX_FUTEX_CMP_REQUEUE &&
            __atomic_load_n(key, __ATOMIC_SEQ_CST) != (uint32_t)a[5])
            return -LINUX_EAGAIN;
        n = wake(key, n, LINUX_FUTEX_BITSET_ANY);
        return n + requeue(key, key2, n2);
    default: { /* FUTEX_WAKE_OP */
        if (!(key2 = futex_key(p, a[4], &err)))
            return err;
        if (!regions_cover(&p->mem, a[4], a[4] + 4, LINUX_PROT_WRITE))
            return -LINUX_EFAULT;
        uint32_t old;
        bool cmp_true;
        if ((err = wake_op_apply(key2, (uint32_t)a[5], &old, &cmp_true)) < 0)
            return err;
        n = wake(key, n, LINUX_FUTEX_BITSET_ANY);
        return n + (cmp_true ? wake(key2, n2, LINUX_FUTEX_BITSET_ANY) : 0);
    }
    }
}

/* futex(uaddr, op, val, timeout or val2, uaddr2, val3) */
int64_t sys_futex(struct process *p, const uint64_t *a)
{
    uint64_t op = a[1] & 127, flags = a[1] & ~(uint64_t)127;
    if (flags & ~(uint64_t)(LINUX_FUTEX_PRIVATE_FLAG | LINUX_FUTEX_CLOCK_REALTIME))
        return -LINUX_ENOSYS;
    switch (op) {
    case LINUX_FUTEX_WAIT:
    case LINUX_FUTEX_WAIT_BITSET:
        return futex_wait(p, a, op, flags);
    case LINUX_FUTEX_WAKE:
    case LINUX_FUTEX_WAKE_BITSET:
    case LINUX_FUTEX_REQUEUE:
    case LINUX_FUTEX_CMP_REQUEUE:
    case LINUX_FUTEX_WAKE_OP:
        if (flags & LINUX_FUTEX_CLOCK_REALTIME)
            return -LINUX_ENOSYS;
        return futex_wake_call(p, a, op);
    default: /* the priority-inheritance operations and FUTEX_WAIT_REQUEUE_PI: not here */
        return -LINUX_ENOSYS;
    }
}

int64_t futex_wake_word(struct process *p, uint64_t uaddr)
{
    int err;
    uint32_t *key = futex_key(p, uaddr, &err);
    return key ? wake(key, 1, LINUX_FUTEX_BITSET_ANY) : err;
}
