/*
 * syscall.c - the native system calls (concept: the system-call interface).
 *
 * Each call checks its arguments before it trusts them: handles are looked up
 * in the caller's handle table with the type and rights the call needs,
 * addresses are checked and copied with copy_from_user/copy_to_user.  A bad
 * argument is answered with an error code, never with a kernel crash.
 * Handlers run under the big kernel lock, except the null call.
 */
#include <mica/aspace.h>
#include <mica/bkl.h>
#include <mica/device.h>
#include <mica/entropy.h>
#include <mica/console_handover.h>
#include <mica/errno.h>
#include <mica/handle.h>
#include <mica/ipc.h>
#include <mica/kmalloc.h>
#include <mica/log.h>
#include <mica/pmm.h>
#include <mica/roottask.h>
#include <mica/testexit.h>
#include <mica/sched.h>
#include <mica/string.h>
#include <mica/syscall.h>
#include <mica/thread.h>
#include <mica/timer.h>
#include <mica/trace.h>
#include <mica/vmo.h>
#include <abi/mica/syscall.h>
#include <arch/arch.h>

#define DEBUG_WRITE_MAX 1024

typedef int64_t (*syscall_fn)(struct syscall_regs *r);

static struct aspace *caller_aspace(void)
{
    return thread_current()->aspace;
}

static struct handle_table *caller_handles(void)
{
    return &caller_aspace()->handles;
}

static int lookup(uint64_t h, enum obj_type type, uint32_t rights, struct object **o)
{
    if (h > UINT32_MAX)
        return -EBADF;
    return handle_lookup(caller_handles(), (handle_t)h, type, rights, o, 0);
}

/* Install a new object's handle; the handle takes over the creation reference. */
static int64_t install(struct object *o, uint32_t rights)
{
    handle_t h;
    int err = handle_install(caller_handles(), o, rights, &h);
    object_put(o);
    return err < 0 ? err : (int64_t)h;
}

static int64_t sys_debug_write(struct syscall_regs *r)
{
    char buf[DEBUG_WRITE_MAX];
    uint64_t len = r->arg[1];
    if (len > DEBUG_WRITE_MAX)
        return -EINVAL;
    if (copy_from_user(buf, r->arg[0], len) < 0)
        return -EFAULT;
    log_write(buf, len);
    return (int64_t)len;
}

/* Mix the caller's bytes into the kernel's entropy pool; the total user space has added. */
static int64_t sys_entropy_add(struct syscall_regs *r)
{
    uint8_t buf[ENTROPY_MAX_REQUEST];
    uint64_t len = r->arg[1];
    if (len > ENTROPY_MAX_REQUEST)
        return -EINVAL;
    if (copy_from_user(buf, r->arg[0], len) < 0)
        return -EFAULT;
    int64_t total = (int64_t)entropy_add_from_user(buf, len);
    memset(buf, 0, sizeof buf);
    return total;
}

/* Random bytes from the kernel's pool for any caller. */
static int64_t sys_random_get(struct syscall_regs *r)
{
    uint8_t buf[ENTROPY_MAX_REQUEST];
    uint64_t len = r->arg[1];
    if (len > ENTROPY_MAX_REQUEST)
        return -EINVAL;
    entropy_get(buf, len);
    int err = copy_to_user(r->arg[0], buf, len);
    memset(buf, 0, sizeof buf);
    return err < 0 ? -EFAULT : (int64_t)len;
}

static int64_t sys_handle_close(struct syscall_regs *r)
{
    if (r->arg[0] > UINT32_MAX)
        return -EBADF;
    return handle_close(caller_handles(), (handle_t)r->arg[0]);
}

static int64_t sys_handle_dup(struct syscall_regs *r)
{
    handle_t h;
    if (r->arg[0] > UINT32_MAX)
        return -EBADF;
    int err = handle_dup(caller_handles(), (handle_t)r->arg[0], (uint32_t)r->arg[1], &h);
    return err < 0 ? err : (int64_t)h;
}

/* A badged copy of an endpoint handle: what its holder sends, the receiver can tell apart. */
static int64_t sys_endpoint_mint(struct syscall_regs *r)
{
    handle_t h;
    if (r->arg[0] > UINT32_MAX)
        return -EBADF;
    int err =
        handle_mint(caller_handles(), (handle_t)r->arg[0], r->arg[1], (uint32_t)r->arg[2], &h);
    return err < 0 ? err : (int64_t)h;
}

/* Give another process a copy of one of our handles (how a supervisor equips a server). */
static int64_t sys_handle_grant(struct syscall_regs *r)
{
    struct object *as, *o;
    uint32_t rights;
    uint64_t badge;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &as);
    if (err < 0)
        return err;
    if (r->arg[1] > UINT32_MAX)
        err = -EBADF;
    else
        err = handle_lookup_badged(caller_handles(), (handle_t)r->arg[1], OBJ_NONE,
                                   RIGHT_TRANSFER | RIGHT_DUP, &o, &rights,
                                   &badge); /* a copy: both rights */
    if (err < 0) {
        object_put(as);
        return err;
    }
    handle_t h;
    err = handle_install_badged(&((struct aspace *)as)->handles, o, rights & (uint32_t)r->arg[2],
                                badge, &h);
    object_put(o);
    object_put(as);
    return err < 0 ? err : (int64_t)h;
}

/* SYS_HANDLE_INFO reports enum obj_type; the shared header names the same numbers. */
_Static_assert(MICA_OBJ_THREAD == OBJ_THREAD && MICA_OBJ_ASPACE == OBJ_ASPACE &&
                   MICA_OBJ_VMO == OBJ_VMO && MICA_OBJ_ENDPOINT == OBJ_ENDPOINT &&
                   MICA_OBJ_NOTIFICATION == OBJ_NOTIFICATION && MICA_OBJ_REPLY == OBJ_REPLY &&
                   MICA_OBJ_IRQ == OBJ_IRQ && MICA_OBJ_IOPORT == OBJ_IOPORT &&
                   MICA_OBJ_PHYS == OBJ_PHYS && MICA_OBJ_TIMER == OBJ_TIMER &&
                   MICA_OBJ_TRACE == OBJ_TRACE,
               "MICA_OBJ_* in abi/mica/syscall.h must match enum obj_type");

static int64_t sys_handle_info(struct syscall_regs *r)
{
    struct object *o;
    uint32_t rights;
    if (r->arg[0] > UINT32_MAX)
        return -EBADF;
    int err = handle_lookup(caller_handles(), (handle_t)r->arg[0], OBJ_NONE, 0, &o, &rights);
    if (err < 0)
        return err;
    uint32_t type = o->type;
    object_put(o);
    if (copy_to_user(r->arg[1], &type, sizeof type) < 0 ||
        copy_to_user(r->arg[2], &rights, sizeof rights) < 0)
        return -EFAULT;
    return 0;
}

static int64_t sys_thread_create(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &o);
    if (err < 0)
        return err;
    if (r->arg[1] >= ASPACE_USER_TOP || r->arg[2] > ASPACE_USER_TOP) {
        object_put(o);
        return -EINVAL;
    }
    struct thread *t = thread_create((struct aspace *)o, r->arg[1], r->arg[2], r->arg[3]);
    object_put(o);
    if (!t)
        return -ENOMEM;
    return install(&t->obj, RIGHT_ALL);
}

static int64_t sys_thread_start(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_THREAD, RIGHT_MANAGE, &o);
    if (err < 0)
        return err;
    err = thread_start((struct thread *)o);
    object_put(o);
    return err;
}

static int64_t sys_thread_set_cpu(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_THREAD, RIGHT_MANAGE, &o);
    if (err < 0)
        return err;
    struct thread *t = (struct thread *)o;
    if (t->state != THREAD_NEW)
        err = -EBUSY;
    else if (r->arg[1] >= arch_cpus_online())
        err = -EINVAL;
    else {
        t->cpu = (unsigned)r->arg[1];
        t->pinned = true;
    }
    object_put(o);
    return err;
}

/* Look up a thread handle with RIGHT_MANAGE: the rights a debugger or a supervisor holds. */
static int managed_thread(uint64_t h, struct thread **t)
{
    if (h == MICA_THREAD_SELF) {
        *t = thread_current();
        object_get(&(*t)->obj);
        return 0;
    }
    struct object *o;
    int err = lookup(h, OBJ_THREAD, RIGHT_MANAGE, &o);
    *t = (struct thread *)o;
    return err;
}

static int64_t sys_thread_suspend(struct syscall_regs *r)
{
    struct thread *t;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    if (t->state == THREAD_DEAD)
        err = -EINVAL;
    else
        thread_suspend(t);
    object_put(&t->obj);
    return err;
}

static int64_t sys_thread_resume(struct syscall_regs *r)
{
    struct thread *t;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    thread_resume(t);
    object_put(&t->obj);
    return 0;
}

static int64_t sys_thread_read_regs(struct syscall_regs *r)
{
    struct thread *t;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    struct mica_regs regs;
    if (!thread_regs_accessible(t))
        err = -EBUSY;
    else
        arch_thread_get_regs(t, &regs);
    object_put(&t->obj);
    if (err == 0 && copy_to_user(r->arg[1], &regs, sizeof regs) < 0)
        err = -EFAULT;
    return err;
}

static int64_t sys_thread_write_regs(struct syscall_regs *r)
{
    struct thread *t;
    struct mica_regs regs;
    if (copy_from_user(&regs, r->arg[1], sizeof regs) < 0)
        return -EFAULT;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    if (!thread_regs_accessible(t))
        err = -EBUSY;
    else if (regs.fs_base >= ASPACE_USER_TOP || regs.gs_base >= ASPACE_USER_TOP ||
             regs.rip >= ASPACE_USER_TOP)
        err = -EINVAL; /* a non-canonical rip would fault in the kernel's iretq */
    else {
        arch_thread_set_regs(t, &regs);
        t->fs_base = regs.fs_base;
        t->gs_base = regs.gs_base;
    }
    object_put(&t->obj);
    return err;
}

/* The size argument of READ_FPU/WRITE_FPU: the FXSAVE part or the whole XSAVE area. */
static bool fpu_size_valid(uint64_t size)
{
    return size == MICA_FPU_AREA_SIZE || size == arch_fpu_area_size();
}

/* The FPU registers of a stopped thread, as READ_REGS/WRITE_REGS do the general ones. */
static int64_t sys_thread_read_fpu(struct syscall_regs *r)
{
    struct thread *t;
    uint64_t size = r->arg[2];
    if (!fpu_size_valid(size))
        return -EINVAL;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    uint8_t area[MICA_FPU_XSTATE_MAX];
    if (!thread_regs_accessible(t))
        err = -EBUSY;
    else
        arch_thread_get_fpu(t, area, (uint32_t)size);
    object_put(&t->obj);
    if (err == 0 && copy_to_user(r->arg[1], area, size) < 0)
        err = -EFAULT;
    return err;
}

static int64_t sys_thread_write_fpu(struct syscall_regs *r)
{
    struct thread *t;
    uint8_t area[MICA_FPU_XSTATE_MAX];
    uint64_t size = r->arg[2];
    if (!fpu_size_valid(size))
        return -EINVAL;
    if (copy_from_user(area, r->arg[1], size) < 0)
        return -EFAULT;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    if (!thread_regs_accessible(t))
        err = -EBUSY;
    else
        err = arch_thread_set_fpu(t, area, (uint32_t)size);
    object_put(&t->obj);
    return err;
}

/* Reading a thread's accounting needs only RIGHT_READ: a monitor need not control it. */
static int64_t sys_thread_info(struct syscall_regs *r)
{
    struct thread *t;
    if (r->arg[0] == MICA_THREAD_SELF) {
        t = thread_current();
        object_get(&t->obj);
    } else {
        struct object *o;
        int err = lookup(r->arg[0], OBJ_THREAD, RIGHT_READ, &o);
        if (err < 0)
            return err;
        t = (struct thread *)o;
    }
    struct mica_thread_info info;
    thread_get_info(t, &info);
    object_put(&t->obj);
    return copy_to_user(r->arg[1], &info, sizeof info) < 0 ? -EFAULT : 0;
}

static int64_t sys_thread_set_tls(struct syscall_regs *r)
{
    struct thread *t;
    if (r->arg[1] > 1 || r->arg[2] >= ASPACE_USER_TOP)
        return -EINVAL;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    if (r->arg[1] == 0)
        t->fs_base = r->arg[2];
    else
        t->gs_base = r->arg[2];
    if (t == thread_current())
        arch_thread_load_tls(t);
    object_put(&t->obj);
    return 0;
}

/* A handler endpoint named by handle h (RIGHT_SEND), with the handle's badge; 0: none. */
static int handler_endpoint(uint64_t h, struct endpoint **ep, uint64_t *badge)
{
    struct object *o = 0;
    *badge = 0;
    *ep = 0;
    if (h > UINT32_MAX)
        return -EBADF;
    if (h == 0)
        return 0;
    int err =
        handle_lookup_badged(caller_handles(), (handle_t)h, OBJ_ENDPOINT, RIGHT_SEND, &o, 0, badge);
    *ep = (struct endpoint *)o;
    return err;
}

/* Install *slot = ep (taking over the lookup's reference), dropping the old one. */
static void replace_handler(struct endpoint **slot, struct endpoint *ep)
{
    struct endpoint *old = *slot;
    *slot = ep;
    if (old)
        object_put(&old->obj);
}

static int64_t sys_thread_set_fault_handler(struct syscall_regs *r)
{
    struct thread *t;
    struct endpoint *ep;
    uint64_t badge;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    err = handler_endpoint(r->arg[1], &ep, &badge);
    if (err == 0) {
        replace_handler(&t->fault_ep, ep);
        t->fault_badge = badge; /* its fault messages carry the handle's badge */
    }
    object_put(&t->obj);
    return err;
}

/*
 * From now on every `syscall` of the thread goes to the endpoint
 * (syscall_forward.c); 0 makes them native calls again.  Not for the root
 * task's first thread: it could never make a native call again, and the
 * system cannot go on without it.
 */
static int64_t sys_thread_set_syscall_handler(struct syscall_regs *r)
{
    struct thread *t;
    struct endpoint *ep;
    uint64_t badge;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    if (t == roottask_main_thread())
        err = -EPERM;
    else
        err = handler_endpoint(r->arg[1], &ep, &badge);
    if (err == 0) {
        t->syscall_badge = badge; /* its forwarded calls carry the handle's badge */
        replace_handler(&t->syscall_ep, ep);
    }
    object_put(&t->obj);
    return err;
}

static int64_t sys_thread_exit(struct syscall_regs *r)
{
    (void)r;
    thread_exit();
}

static int64_t sys_thread_yield(struct syscall_regs *r)
{
    (void)r;
    bkl_unlock();
    sched_yield();
    bkl_lock();
    return 0;
}

static int64_t sys_aspace_create(struct syscall_regs *r)
{
    (void)r;
    int err;
    struct aspace *as = aspace_create(&err);
    if (!as)
        return err;
    return install(&as->obj, RIGHT_ALL);
}

static int64_t sys_vmo_create(struct syscall_regs *r)
{
    int err;
    struct vmo *v = vmo_create_anon(r->arg[0], &err);
    if (!v)
        return err;
    return install(&v->obj, RIGHT_ALL);
}

/* The rights a VM object handle needs for a mapping with protection prot. */
static uint32_t rights_for_prot(uint64_t prot)
{
    uint32_t need = RIGHT_MAP;
    if (prot & MICA_PROT_READ)
        need |= RIGHT_READ;
    if (prot & MICA_PROT_WRITE)
        need |= RIGHT_WRITE;
    if (prot & MICA_PROT_EXEC)
        need |= RIGHT_EXEC;
    return need;
}

/* The protections a VM object handle with these rights allows (for later vm_protect too). */
static uint32_t prot_allowed(uint32_t rights)
{
    uint32_t prot = 0;
    if (rights & RIGHT_READ)
        prot |= MICA_PROT_READ;
    if (rights & RIGHT_WRITE)
        prot |= MICA_PROT_WRITE;
    if (rights & RIGHT_EXEC)
        prot |= MICA_PROT_EXEC;
    return prot;
}

static int64_t sys_vm_map(struct syscall_regs *r)
{
    struct object *as, *v;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &as);
    if (err < 0)
        return err;
    uint32_t vmo_rights;
    err = handle_lookup(caller_handles(), (handle_t)(r->arg[1] > UINT32_MAX ? 0 : r->arg[1]),
                        OBJ_VMO, rights_for_prot(r->arg[5]), &v, &vmo_rights);
    if (err < 0) {
        object_put(as);
        return err;
    }
    uint64_t at = 0;
    err = aspace_map((struct aspace *)as, (struct vmo *)v, r->arg[2], r->arg[3], r->arg[4],
                     (uint32_t)r->arg[5], prot_allowed(vmo_rights), &at);
    object_put(v);
    object_put(as);
    return err < 0 ? err : (int64_t)at;
}

static int64_t sys_vm_unmap(struct syscall_regs *r)
{
    struct object *as;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &as);
    if (err < 0)
        return err;
    err = aspace_unmap((struct aspace *)as, r->arg[1], r->arg[2]);
    object_put(as);
    return err;
}

static int64_t sys_vm_protect(struct syscall_regs *r)
{
    struct object *as;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &as);
    if (err < 0)
        return err;
    err = aspace_protect((struct aspace *)as, r->arg[1], r->arg[2], (uint32_t)r->arg[3]);
    object_put(as);
    return err;
}

static int64_t sys_vm_clone(struct syscall_regs *r)
{
    struct object *src, *dst;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &src);
    if (err < 0)
        return err;
    err = lookup(r->arg[1], OBJ_ASPACE, RIGHT_MANAGE, &dst);
    if (err == 0) {
        err = src == dst ? -EINVAL
                         : aspace_clone_range((struct aspace *)src, (struct aspace *)dst, r->arg[2],
                                              r->arg[3]);
        object_put(dst);
    }
    object_put(src);
    return err;
}

static int64_t sys_vm_share(struct syscall_regs *r)
{
    struct object *src, *dst;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &src);
    if (err < 0)
        return err;
    uint64_t at = 0;
    err = lookup(r->arg[3], OBJ_ASPACE, RIGHT_MANAGE, &dst);
    if (err == 0) {
        err = aspace_share_range((struct aspace *)src, r->arg[1], r->arg[2], (struct aspace *)dst,
                                 r->arg[4], (uint32_t)r->arg[5], &at);
        object_put(dst);
    }
    object_put(src);
    return err < 0 ? err : (int64_t)at;
}

static int64_t sys_endpoint_create(struct syscall_regs *r)
{
    (void)r;
    struct endpoint *ep = endpoint_create();
    if (!ep)
        return -ENOMEM;
    return install(&ep->obj, RIGHT_ALL);
}

static void read_msg(const struct syscall_regs *r, struct ipc_msg *m)
{
    m->tag = r->arg[1];
    for (int i = 0; i < 4; i++)
        m->w[i] = r->arg[2 + i];
    m->badge = 0;
}

static void write_msg(struct syscall_regs *r, const struct ipc_msg *m, uint64_t badge)
{
    r->out[0] = badge;
    r->out[1] = m->tag;
    for (int i = 0; i < 4; i++)
        r->out[2 + i] = m->w[i];
    r->nout = 6;
}

/* Send or call: the endpoint reference is dropped before blocking. */
static int64_t do_send(struct syscall_regs *r, bool call)
{
    struct object *o;
    uint64_t badge;
    if (r->arg[0] > UINT32_MAX)
        return -EBADF;
    int err = handle_lookup_badged(caller_handles(), (handle_t)r->arg[0], OBJ_ENDPOINT, RIGHT_SEND,
                                   &o, 0, &badge);
    if (err < 0)
        return err;
    struct ipc_msg m;
    read_msg(r, &m);
    m.badge = badge;
    object_put(o); /* still alive: our handle holds a reference */
    err = ipc_send((struct endpoint *)o, &m, call);
    if (err < 0 || !call)
        return err;
    write_msg(r, &thread_current()->msg, 0);
    return 0;
}

static int64_t sys_send(struct syscall_regs *r)
{
    return do_send(r, false);
}

static int64_t sys_call(struct syscall_regs *r)
{
    return do_send(r, true);
}

static int64_t do_recv(struct syscall_regs *r, uint64_t h, uint64_t timeout_ns)
{
    struct object *o;
    int err = lookup(h, OBJ_ENDPOINT, RIGHT_RECV, &o);
    if (err < 0)
        return err;
    object_put(o);
    struct ipc_msg m;
    uint64_t badge;
    err = ipc_recv((struct endpoint *)o, &m, &badge, timeout_ns);
    if (err < 0)
        return err;
    write_msg(r, &m, badge);
    return 0;
}

static int64_t sys_recv(struct syscall_regs *r)
{
    return do_recv(r, r->arg[0], TIMEOUT_FOREVER);
}

static int64_t sys_recv_timed(struct syscall_regs *r)
{
    return do_recv(r, r->arg[0], r->arg[1]);
}

static int64_t sys_reply(struct syscall_regs *r)
{
    struct ipc_msg m;
    read_msg(r, &m);
    return ipc_reply(&m);
}

static int64_t sys_reply_recv(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_ENDPOINT, RIGHT_RECV, &o);
    if (err < 0)
        return err;
    object_put(o); /* our handle keeps it alive */
    struct ipc_msg m, in;
    uint64_t badge;
    read_msg(r, &m);
    err = ipc_reply_recv((struct endpoint *)o, &m, &in, &badge);
    if (err < 0)
        return err;
    write_msg(r, &in, badge);
    return 0;
}

static int64_t sys_notify_create(struct syscall_regs *r)
{
    (void)r;
    struct notification *n = notification_create();
    if (!n)
        return -ENOMEM;
    return install(&n->obj, RIGHT_ALL);
}

/* Bits come back in rax, where negative means an error: so bit 63 is not a signal bit. */
#define NOTIFY_BITS_MASK 0x7fffffffffffffffull

static int64_t sys_notify_signal(struct syscall_regs *r)
{
    if (r->arg[1] & ~NOTIFY_BITS_MASK)
        return -EINVAL;
    struct object *o;
    int err = lookup(r->arg[0], OBJ_NOTIFICATION, RIGHT_SIGNAL, &o);
    if (err < 0)
        return err;
    notification_signal((struct notification *)o, r->arg[1]);
    object_put(o);
    return 0;
}

static int64_t do_notify_wait(uint64_t h, uint64_t timeout_ns)
{
    struct object *o;
    int err = lookup(h, OBJ_NOTIFICATION, RIGHT_WAIT, &o);
    if (err < 0)
        return err;
    object_put(o);
    uint64_t bits;
    err = notification_wait((struct notification *)o, &bits, timeout_ns);
    return err < 0 ? err : (int64_t)bits;
}

static int64_t sys_notify_wait(struct syscall_regs *r)
{
    return do_notify_wait(r->arg[0], TIMEOUT_FOREVER);
}

static int64_t sys_notify_wait_timed(struct syscall_regs *r)
{
    return do_notify_wait(r->arg[0], r->arg[1]);
}

static int64_t sys_notify_bind(struct syscall_regs *r)
{
    struct object *n;
    struct thread *t;
    int err = lookup(r->arg[0], OBJ_NOTIFICATION, RIGHT_WAIT, &n);
    if (err < 0)
        return err;
    err = managed_thread(r->arg[1], &t);
    if (err == 0) {
        err = notification_bind((struct notification *)n, t);
        object_put(&t->obj);
    }
    object_put(n);
    return err;
}

/* End a thread (MICA_THREAD_SELF: the caller) - see kill.c for when. */
static int64_t sys_thread_kill(struct syscall_regs *r)
{
    struct thread *t;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    if (t == roottask_main_thread())
        err = -EPERM; /* the system cannot go on without it */
    else
        thread_kill(t);
    object_put(&t->obj);
    return err;
}

/* End a whole process: every thread of the address space. */
static int64_t sys_aspace_kill(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &o);
    if (err < 0)
        return err;
    if ((struct aspace *)o == roottask_aspace())
        err = -EPERM;
    else
        aspace_kill((struct aspace *)o);
    object_put(o);
    return err;
}

/* Signal bits on a notification when the process ends (notification 0: stop watching). */
static int64_t sys_aspace_watch(struct syscall_regs *r)
{
    struct object *as, *n = 0;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &as);
    if (err < 0)
        return err;
    if (r->arg[1] != 0)
        err = lookup(r->arg[1], OBJ_NOTIFICATION, RIGHT_SIGNAL, &n);
    if (err == 0 && (r->arg[2] == 0 || (r->arg[2] & ~MICA_NOTIFY_BITS)) && n)
        err = -EINVAL;
    if (err == 0)
        err = aspace_watch((struct aspace *)as, (struct notification *)n, r->arg[2]);
    if (n)
        object_put(n);
    object_put(as);
    return err;
}

static int64_t sys_clock_ns(struct syscall_regs *r)
{
    (void)r;
    return (int64_t)arch_ns_since_boot();
}

static int64_t sys_thread_sleep(struct syscall_regs *r)
{
    struct thread *self = thread_current();
    if (r->arg[0] == 0)
        return 0;
    thread_wait_begin(self);
    self->wait_result = 0;
    self->state = THREAD_BLOCKED;
    int err = thread_block_until(r->arg[0]);
    return err == -ETIMEDOUT ? 0 : err;
}

static int64_t sys_notify_poll(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_NOTIFICATION, RIGHT_WAIT, &o);
    if (err < 0)
        return err;
    uint64_t bits = notification_poll((struct notification *)o);
    object_put(o);
    return (int64_t)bits;
}

static int64_t sys_kernel_stats(struct syscall_regs *r)
{
    struct mica_kernel_stats s;
    struct buddy_stats b;
    memset(&s, 0, sizeof s);
    pmm_get_stats(&b);
    s.free_pages = b.free_pages;
    s.total_pages = b.managed_pages;
    for (unsigned t = 0; t < OBJ_TYPE_COUNT && t < 16; t++)
        s.objects[t] = object_live_count((enum obj_type)t);
    s.handles = handle_count(caller_handles());
    s.tsc_hz = arch_timestamp_hz();
    s.tsc_at_boot = arch_timestamp_at_boot();
    s.fpu_size = arch_fpu_area_size();
    s.fpu_features = arch_fpu_features();
    return copy_to_user(r->arg[0], &s, sizeof s) < 0 ? -EFAULT : 0;
}

static int64_t sys_ioport_create(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_IOPORT, RIGHT_DUP, &o);
    if (err < 0)
        return err;
    struct ioport_range *parent = (struct ioport_range *)o;
    uint64_t base = r->arg[1], count = r->arg[2];
    bool inside = base >= parent->base && count > 0 && count <= IOPORT_COUNT &&
                  base + count <= parent->base + parent->count;
    object_put(o);
    if (!inside)
        return -EINVAL;
    struct ioport_range *child = ioport_range_create((uint32_t)base, (uint32_t)count);
    if (!child)
        return -ENOMEM;
    return install(&child->obj, RIGHT_ALL);
}

/* The console driver takes the kernel log: its port range must hold the console's UART. */
static int64_t sys_console_take(struct syscall_regs *r)
{
    struct object *ports, *n;
    int err = lookup(r->arg[0], OBJ_IOPORT, RIGHT_MAP, &ports);
    if (err < 0)
        return err;
    uint32_t base, count;
    console_ports(&base, &count);
    const struct ioport_range *range = (const struct ioport_range *)ports;
    bool holds = count > 0 && range->base <= base && base - range->base + count <= range->count;
    object_put(ports);
    if (!holds)
        return -EACCES;
    if (r->arg[1] == 0) { /* give it back: the kernel writes again */
        handover_release(caller_aspace());
        return 0;
    }
    err = lookup(r->arg[1], OBJ_NOTIFICATION, RIGHT_SIGNAL, &n);
    if (err < 0)
        return err;
    err = handover_take(caller_aspace(), (struct notification *)n, r->arg[2]);
    object_put(n);
    return err;
}

static int64_t sys_console_read(struct syscall_regs *r)
{
    char buf[DEBUG_WRITE_MAX];
    uint64_t max = r->arg[1];
    if (max > DEBUG_WRITE_MAX)
        return -EINVAL;
    int64_t n = handover_read(caller_aspace(), buf, max);
    if (n > 0 && copy_to_user(r->arg[0], buf, (uint64_t)n) < 0)
        return -EFAULT; /* those bytes of the log are gone: the caller gave a bad buffer */
    return n;
}

static int64_t sys_ioport_allow(struct syscall_regs *r)
{
    struct object *as, *range;
    int err = lookup(r->arg[0], OBJ_ASPACE, RIGHT_MANAGE, &as);
    if (err < 0)
        return err;
    err = lookup(r->arg[1], OBJ_IOPORT, RIGHT_MAP, &range);
    if (err == 0) {
        err = aspace_allow_ports((struct aspace *)as, (struct ioport_range *)range);
        object_put(range);
    }
    if (err == 0 && (struct aspace *)as == caller_aspace())
        arch_io_bitmap_reload();
    object_put(as);
    return err;
}

/* Is h the IRQ-control object, with the right to bind? 0 or an error. */
static int check_irq_control(uint64_t h)
{
    struct object *ctl;
    int err = lookup(h, OBJ_IRQ, RIGHT_MANAGE, &ctl);
    if (err < 0)
        return err;
    bool is_control = ((struct irq *)ctl)->line == IRQ_CONTROL;
    object_put(ctl);
    return is_control ? 0 : -EINVAL;
}

static int64_t sys_irq_bind(struct syscall_regs *r)
{
    struct object *n;
    int err = check_irq_control(r->arg[0]);
    if (err < 0)
        return err;
    err = lookup(r->arg[2], OBJ_NOTIFICATION, RIGHT_SIGNAL, &n);
    if (err < 0)
        return err;
    struct irq *irq;
    err = irq_bind((uint32_t)(r->arg[1] > UINT32_MAX ? UINT32_MAX : r->arg[1]),
                   (struct notification *)n, r->arg[3], &irq);
    object_put(n);
    if (err < 0)
        return err;
    return install(&irq->obj, RIGHT_ALL & ~RIGHT_MANAGE);
}

/* Like SYS_IRQ_BIND, for a message-signalled interrupt: the message goes to *out. */
static int64_t sys_irq_bind_msi(struct syscall_regs *r)
{
    struct object *n;
    int err = check_irq_control(r->arg[0]);
    if (err < 0)
        return err;
    err = lookup(r->arg[1], OBJ_NOTIFICATION, RIGHT_SIGNAL, &n);
    if (err < 0)
        return err;
    struct irq *irq;
    struct mica_msi msi = {0};
    uint32_t data = 0;
    err = irq_bind_msi((struct notification *)n, r->arg[2], &irq, &msi.address, &data);
    object_put(n);
    if (err < 0)
        return err;
    msi.data = data;
    if (copy_to_user(r->arg[3], &msi, sizeof msi) < 0) {
        object_put(&irq->obj); /* unbound again: the caller could not learn the message */
        return -EFAULT;
    }
    return install(&irq->obj, RIGHT_ALL & ~RIGHT_MANAGE);
}

/* A timer that signals bits on a notification (disarmed until SYS_TIMER_SET). */
static int64_t sys_timer_create(struct syscall_regs *r)
{
    struct object *n;
    int err = lookup(r->arg[0], OBJ_NOTIFICATION, RIGHT_SIGNAL, &n);
    if (err < 0)
        return err;
    struct ktimer *t;
    err = timer_create((struct notification *)n, r->arg[1], &t);
    object_put(n);
    if (err < 0)
        return err;
    return install(&t->obj, RIGHT_ALL & ~RIGHT_MANAGE);
}

static int64_t sys_timer_set(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_TIMER, RIGHT_WRITE, &o);
    if (err < 0)
        return err;
    err = timer_set((struct ktimer *)o, r->arg[1], r->arg[2]);
    object_put(o);
    return err;
}

static int64_t sys_irq_ack(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_IRQ, RIGHT_WRITE, &o);
    if (err < 0)
        return err;
    err = irq_ack((struct irq *)o);
    object_put(o);
    return err;
}

/* Is [base, base+size) inside the phys range behind handle h (which needs `need`)? */
static int phys_inside(uint64_t h, uint32_t need, uint64_t base, uint64_t size)
{
    struct object *o;
    int err = lookup(h, OBJ_PHYS, need, &o);
    if (err < 0)
        return err;
    struct phys_range *r = (struct phys_range *)o;
    bool inside =
        size > 0 && base >= r->base && size <= r->size && base - r->base <= r->size - size;
    object_put(o);
    return inside ? 0 : -EINVAL;
}

static int64_t sys_phys_create(struct syscall_regs *r)
{
    int err = phys_inside(r->arg[0], RIGHT_DUP, r->arg[1], r->arg[2]);
    if (err < 0)
        return err;
    struct phys_range *child = phys_range_create(r->arg[1], r->arg[2]);
    if (!child)
        return -ENOMEM;
    return install(&child->obj, RIGHT_ALL);
}

static int64_t sys_vmo_create_phys(struct syscall_regs *r)
{
    uint64_t base = r->arg[1], size = r->arg[2];
    int err = phys_inside(r->arg[0], RIGHT_MAP, base, size);
    if (err < 0)
        return err;
    if (!phys_is_device_memory(base, size))
        return -EACCES; /* RAM is never device memory */
    struct vmo *v = vmo_create_phys(base, size, (uint32_t)r->arg[3], &err);
    if (!v)
        return err;
    return install(&v->obj, RIGHT_ALL & ~RIGHT_EXEC);
}

static int64_t sys_vmo_create_contig(struct syscall_regs *r)
{
    int err;
    struct vmo *v = vmo_create_contig(r->arg[0], (uint32_t)r->arg[1], &err);
    if (!v)
        return err;
    return install(&v->obj, RIGHT_ALL & ~RIGHT_EXEC);
}

static int64_t sys_vmo_phys_addr(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_VMO, RIGHT_MANAGE, &o);
    if (err < 0)
        return err;
    struct vmo *v = (struct vmo *)o;
    int64_t result = v->kind == VMO_ANON ? -EINVAL : (int64_t)v->phys_base;
    object_put(o);
    return result;
}

/* The size of a VM object: a driver checks a client's buffer against it before DMA. */
static int64_t sys_vmo_size(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_VMO, 0, &o);
    if (err < 0)
        return err;
    int64_t size = (int64_t)((struct vmo *)o)->size;
    object_put(o);
    return size;
}

static int64_t sys_thread_set_ipc_buffer(struct syscall_regs *r)
{
    struct thread *t;
    int err = managed_thread(r->arg[0], &t);
    if (err < 0)
        return err;
    err = ipc_set_buffer(t, r->arg[1]);
    object_put(&t->obj);
    return err;
}

static int64_t sys_reply_take(struct syscall_regs *r)
{
    (void)r;
    struct reply *rep;
    int err = reply_take(&rep);
    if (err < 0)
        return err;
    return install(&rep->obj, RIGHT_ALL);
}

static int64_t sys_reply_send(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_REPLY, RIGHT_WRITE, &o);
    if (err < 0)
        return err;
    struct ipc_msg m;
    read_msg(r, &m);
    err = reply_send((struct reply *)o, &m);
    object_put(o);
    return err;
}

static int64_t sys_trace_control(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_TRACE, RIGHT_MANAGE, &o);
    if (err < 0)
        return err;
    object_put(o);
    switch (r->arg[1]) {
    case MICA_TRACE_STOP:
        return trace_enable(false);
    case MICA_TRACE_START:
        return trace_enable(true);
    case MICA_TRACE_CLEAR:
        trace_reset();
        return 0;
    default:
        return -EINVAL;
    }
}

#define TRACE_CHUNK 32

static int64_t sys_trace_read(struct syscall_regs *r)
{
    struct object *o;
    int err = lookup(r->arg[0], OBJ_TRACE, RIGHT_READ, &o);
    if (err < 0)
        return err;
    object_put(o);
    uint64_t cpu = r->arg[1], buf = r->arg[2], max = r->arg[3];
    if (cpu >= arch_cpus_online())
        return -EINVAL;
    if (buf >= ASPACE_USER_TOP || max > (ASPACE_USER_TOP - buf) / sizeof(struct mica_trace_event))
        return -EFAULT;
    struct mica_trace_event chunk[TRACE_CHUNK];
    uint64_t done = 0;
    while (done < max) {
        unsigned want = max - done < TRACE_CHUNK ? (unsigned)(max - done) : TRACE_CHUNK;
        int n = trace_take((unsigned)cpu, chunk, want);
        if (n <= 0)
            break;
        if (copy_to_user(buf + done * sizeof chunk[0], chunk, (uint64_t)n * sizeof chunk[0]) < 0)
            return -EFAULT; /* those events are lost to the reader */
        done += (uint64_t)n;
        if ((unsigned)n < want)
            break;
    }
    return (int64_t)done;
}

/* Stop the machine: test runs end here with the root task's verdict. */
static int64_t sys_system_halt(struct syscall_regs *r)
{
    if (caller_aspace() != roottask_aspace())
        return -EPERM;
    handover_reclaim(); /* the console driver will not run again: the kernel writes */
    kprintf("mica: halted by the root task (verdict %s)\n", r->arg[0] == 0 ? "pass" : "fail");
    test_exit_if_requested(r->arg[0] == 0 ? TEST_EXIT_PASS : TEST_EXIT_FAIL);
    arch_stop_other_cpus();
    arch_halt_forever();
}

static const syscall_fn table[SYS_COUNT] = {
    [SYS_HANDLE_GRANT] = sys_handle_grant,
    [SYS_ENDPOINT_MINT] = sys_endpoint_mint,
    [SYS_THREAD_INFO] = sys_thread_info,
    [SYS_RECV_TIMED] = sys_recv_timed,
    [SYS_NOTIFY_WAIT_TIMED] = sys_notify_wait_timed,
    [SYS_THREAD_SLEEP] = sys_thread_sleep,
    [SYS_NOTIFY_BIND] = sys_notify_bind,
    [SYS_THREAD_KILL] = sys_thread_kill,
    [SYS_ASPACE_KILL] = sys_aspace_kill,
    [SYS_ASPACE_WATCH] = sys_aspace_watch,
    [SYS_CLOCK_NS] = sys_clock_ns,
    [SYS_VM_CLONE] = sys_vm_clone,
    [SYS_TRACE_CONTROL] = sys_trace_control,
    [SYS_TRACE_READ] = sys_trace_read,
    [SYS_THREAD_SET_IPC_BUFFER] = sys_thread_set_ipc_buffer,
    [SYS_REPLY_TAKE] = sys_reply_take,
    [SYS_REPLY_SEND] = sys_reply_send,
    [SYS_PHYS_CREATE] = sys_phys_create,
    [SYS_VMO_CREATE_PHYS] = sys_vmo_create_phys,
    [SYS_VMO_CREATE_CONTIG] = sys_vmo_create_contig,
    [SYS_VMO_PHYS_ADDR] = sys_vmo_phys_addr,
    [SYS_VMO_SIZE] = sys_vmo_size,
    [SYS_ENTROPY_ADD] = sys_entropy_add,
    [SYS_RANDOM_GET] = sys_random_get,
    [SYS_IOPORT_CREATE] = sys_ioport_create,
    [SYS_IOPORT_ALLOW] = sys_ioport_allow,
    [SYS_IRQ_BIND] = sys_irq_bind,
    [SYS_IRQ_ACK] = sys_irq_ack,
    [SYS_IRQ_BIND_MSI] = sys_irq_bind_msi,
    [SYS_TIMER_CREATE] = sys_timer_create,
    [SYS_TIMER_SET] = sys_timer_set,
    [SYS_SYSTEM_HALT] = sys_system_halt,
    [SYS_DEBUG_WRITE] = sys_debug_write,
    [SYS_CONSOLE_TAKE] = sys_console_take,
    [SYS_CONSOLE_READ] = sys_console_read,
    [SYS_HANDLE_CLOSE] = sys_handle_close,
    [SYS_HANDLE_DUP] = sys_handle_dup,
    [SYS_HANDLE_INFO] = sys_handle_info,
    [SYS_THREAD_CREATE] = sys_thread_create,
    [SYS_THREAD_START] = sys_thread_start,
    [SYS_THREAD_EXIT] = sys_thread_exit,
    [SYS_THREAD_SET_CPU] = sys_thread_set_cpu,
    [SYS_THREAD_SUSPEND] = sys_thread_suspend,
    [SYS_THREAD_RESUME] = sys_thread_resume,
    [SYS_THREAD_READ_REGS] = sys_thread_read_regs,
    [SYS_THREAD_WRITE_REGS] = sys_thread_write_regs,
    [SYS_THREAD_READ_FPU] = sys_thread_read_fpu,
    [SYS_THREAD_WRITE_FPU] = sys_thread_write_fpu,
    [SYS_THREAD_SET_TLS] = sys_thread_set_tls,
    [SYS_THREAD_SET_FAULT_HANDLER] = sys_thread_set_fault_handler,
    [SYS_THREAD_SET_SYSCALL_HANDLER] = sys_thread_set_syscall_handler,
    [SYS_VM_SHARE] = sys_vm_share,
    [SYS_THREAD_YIELD] = sys_thread_yield,
    [SYS_ASPACE_CREATE] = sys_aspace_create,
    [SYS_VMO_CREATE] = sys_vmo_create,
    [SYS_VM_MAP] = sys_vm_map,
    [SYS_VM_UNMAP] = sys_vm_unmap,
    [SYS_VM_PROTECT] = sys_vm_protect,
    [SYS_ENDPOINT_CREATE] = sys_endpoint_create,
    [SYS_CALL] = sys_call,
    [SYS_SEND] = sys_send,
    [SYS_RECV] = sys_recv,
    [SYS_REPLY] = sys_reply,
    [SYS_REPLY_RECV] = sys_reply_recv,
    [SYS_NOTIFY_CREATE] = sys_notify_create,
    [SYS_NOTIFY_SIGNAL] = sys_notify_signal,
    [SYS_NOTIFY_WAIT] = sys_notify_wait,
    [SYS_NOTIFY_POLL] = sys_notify_poll,
    [SYS_KERNEL_STATS] = sys_kernel_stats,
};

void syscall_handle(struct syscall_regs *r)
{
    if (r->nr == SYS_NULL) {
        r->ret = 0;
        return;
    }
    if (r->nr >= SYS_COUNT || !table[r->nr]) {
        r->ret = (uint64_t)-ENOSYS;
        return;
    }
    trace(MICA_EV_SYSCALL, r->nr, thread_current()->id);
    bkl_lock();
    /* Killed while it waited for the lock: the call would block unseen by the killer. */
    if (thread_current()->kill_requested)
        r->ret = (uint64_t)-EINTR;
    else
        r->ret = (uint64_t)table[r->nr](r);
    bkl_unlock();
    trace(MICA_EV_SYSRET, r->nr, r->ret);
}
