/*
 * procfs.c - /proc (concepts: a synthetic file system, the process table
 * as files, Linux's procfs).  See procfs.h.
 *
 * Every node of procfs carries what it shows: fs_what (which directory,
 * link or file it is) and fs_pid (the process, or for task/T the thread).
 * A directory is brought up to date when used (refresh); a file's text is
 * written into its node when it is opened (fill), so a program reading it
 * sees one consistent picture.  Texts follow Linux's formats
 * (fs/proc/array.c, meminfo.c, ...); numbers the server does not know are
 * 0 and listed in docs/linux-abi.md.
 */
#include "procfs.h"
#include "posix.h"
#include "devfs.h"
#include "loader.h"
#include "proctable.h"
#include <mica.h>
#include <print.h>
#include <str.h>
#include <stdarg.h>
#include <mica/string.h>

enum what {
    P_ROOT = 1,
    P_SELF,
    P_THREAD_SELF,
    P_MEMINFO,
    P_CPUINFO,
    P_UPTIME,
    P_LOADAVG,
    P_MOUNTS,
    P_STAT,
    P_VERSION,
    P_FILESYSTEMS,
    P_PID,            /* /proc/N */
    P_STATUS,         /* /proc/N/status, /proc/N/task/T/status */
    P_PSTAT,          /* .../stat */
    P_CMDLINE,        /* /proc/N/cmdline */
    P_COMM,           /* .../comm */
    P_MAPS,           /* /proc/N/maps */
    P_ENOSYS,         /* /proc/N/enosys: Mica's own, the unknown system calls */
    P_LINK,           /* /proc/N/exe, cwd, fd/D: links remade at each refresh */
    P_FD,             /* /proc/N/fd */
    P_TASK,           /* /proc/N/task */
    P_TID,            /* /proc/N/task/T */
    P_THREAD = 0x100, /* with P_STATUS, P_PSTAT, P_COMM: the file of task/T (fs_pid: T) */
};

struct entry {
    const char *name;
    uint32_t what;
    uint32_t mode;
};

static const struct entry root_files[] = {
    {"meminfo", P_MEMINFO, 0444}, {"cpuinfo", P_CPUINFO, 0444},         {"uptime", P_UPTIME, 0444},
    {"loadavg", P_LOADAVG, 0444}, {"mounts", P_MOUNTS, 0444},           {"stat", P_STAT, 0444},
    {"version", P_VERSION, 0444}, {"filesystems", P_FILESYSTEMS, 0444},
};
static const struct entry pid_files[] = {
    {"stat", P_PSTAT, 0444}, {"status", P_STATUS, 0444}, {"cmdline", P_CMDLINE, 0444},
    {"comm", P_COMM, 0644},  {"maps", P_MAPS, 0444},     {"enosys", P_ENOSYS, 0444},
    {"fd", P_FD, 0500},      {"task", P_TASK, 0555},
};
static const struct entry tid_files[] = {
    {"stat", P_PSTAT | P_THREAD, 0444},
    {"status", P_STATUS | P_THREAD, 0444},
    {"comm", P_COMM | P_THREAD, 0644},
};

#define CLK_TCK  100 /* clock ticks per second of the tick counts (AT_CLKTCK) */
#define NS       ((uint64_t)1000000000)
#define TEXT_MAX (64 * 1024) /* the longest text a file of /proc has */

static unsigned cpus = 1;     /* CPUs online (counted at the mount) */
static uint64_t total_pages;  /* MemTotal: the pages the kernel's allocator manages */
static struct vfs_fs *procfs; /* the mounted file system */
static char text[TEXT_MAX];   /* the text being made */
static uint64_t text_len;
static char name_buf[VFS_PATH_MAX + 64];

/* ---- Making text ---- */

static void put(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void put(const char *fmt, ...)
{
    uint64_t room = sizeof text - text_len;
    if (room <= 1)
        return; /* full: the text is cut, as a too-long text would be */
    va_list ap;
    va_start(ap, fmt);
    int n = mica_vsnprintf(text + text_len, room, fmt, ap);
    va_end(ap);
    if (n > 0)
        text_len += (uint64_t)n < room ? (uint64_t)n : room - 1;
}

static void put_bytes(const void *data, uint64_t len)
{
    if (len > sizeof text - text_len)
        len = sizeof text - text_len;
    memcpy(text + text_len, data, len);
    text_len += len;
}

/* ---- Nodes ---- */

static struct vnode *make(struct vfs *v, struct vnode *dir, const char *name, uint32_t what,
                          uint32_t mode, uint32_t pid)
{
    struct vnode *n;
    uint32_t type = what == P_PID || what == P_FD || what == P_TASK || what == P_TID ? VFS_S_IFDIR
                                                                                     : VFS_S_IFREG;
    if (vfs_create(v, dir, name, type | mode, &n) < 0)
        return 0;
    n->fs_what = what;
    n->fs_pid = pid;
    return n;
}

/* dir's link name should hold target (mode: its permission bits): remade if it does not. */
static void set_link(struct vfs *v, struct vnode *dir, const char *name, const char *target,
                     uint32_t mode)
{
    struct vnode *n = vfs_child(dir, name);
    if (n && strcmp((const char *)n->data, target) == 0 && (n->mode & 0777) == mode)
        return;
    if (n)
        vfs_unlink(v, dir, name);
    if (target[0] && vfs_symlink(v, dir, name, target, &n) == 0) {
        n->mode = VFS_S_IFLNK | mode;
        n->fs_what = P_LINK;
    }
}

static void number(char *buf, uint64_t size, uint64_t n)
{
    mica_snprintf(buf, size, "%lu", n);
}

/* The descriptor number an entry of fd/ is called by. */
static int64_t atoi_fd(const char *name)
{
    int64_t n = 0;
    for (; *name >= '0' && *name <= '9'; name++)
        n = n * 10 + (*name - '0');
    return n;
}

/* ---- Paths of files, for exe and fd/ ---- */

/* Look for node n under directory d (in d's file system): its path in buf, or false. */
static bool find_node(struct vfs *v, struct vnode *d, const struct vnode *n, char *buf,
                      uint64_t size)
{
    for (uint32_t i = 0; i < d->nents; i++) {
        struct vnode *c = d->ents[i].node;
        if (c == n) {
            int64_t len = vfs_path_of(v, d, buf, size);
            if (len < 0)
                return false;
            mica_snprintf(buf + len, size - (uint64_t)len, "%s%s", len > 1 ? "/" : "",
                          d->ents[i].name);
            return true;
        }
        if (vnode_is_dir(c) && !c->mounted && find_node(v, c, n, buf, size))
            return true;
    }
    return false;
}

/* The absolute path of node n (a directory's by its parents, a file's by a search of its
 * file system), or "(deleted)" for one without a name. */
static void path_of_node(struct vfs *v, struct vnode *n, char *buf, uint64_t size)
{
    if (vnode_is_dir(n) ? vfs_path_of(v, n, buf, size) < 0
                        : !find_node(v, n->fs->root, n, buf, size))
        strlcpy(buf, "(deleted)", size);
}

/* The file a path names, as an absolute path with its links resolved (exe). */
static void canonical(struct process *p, const char *path, char *out, uint64_t size)
{
    struct vnode *start = p->cwd, *dir, *n;
    char name[VFS_NAME_MAX + 1];
    bool slash;
    for (unsigned links = 0; links <= VFS_LINKS_MAX; links++) {
        if (vfs_lookup_parent(&posix.vfs, start, path, &dir, name, &slash) < 0)
            break;
        n = vfs_child(dir, name);
        if (!n)
            break;
        if (!vnode_is_link(n)) {
            path_of_node(&posix.vfs, n, out, size);
            return;
        }
        path = (const char *)n->data;
        start = dir;
    }
    strlcpy(out, path, size);
}

void procfs_exec(struct process *p, const char *path, const char *image, unsigned argc,
                 const char *const *argv)
{
    const char *base = path;
    for (const char *s = path; *s; s++)
        if (*s == '/' && s[1])
            base = s + 1;
    strlcpy(p->comm, base, sizeof p->comm);
    canonical(p, image, p->exe, sizeof p->exe);
    p->cmdline_len = 0;
    for (unsigned i = 0; i < argc; i++) {
        uint64_t len = strlen(argv[i]) + 1;
        if (len > sizeof p->cmdline - p->cmdline_len)
            len = sizeof p->cmdline - p->cmdline_len;
        memcpy(p->cmdline + p->cmdline_len, argv[i], len);
        p->cmdline_len += (uint32_t)len;
    }
}

void procfs_fork(struct process *c, const struct process *parent)
{
    memcpy(c->exe, parent->exe, sizeof c->exe);
    memcpy(c->comm, parent->comm, sizeof c->comm);
    memcpy(c->cmdline, parent->cmdline, parent->cmdline_len);
    c->cmdline_len = parent->cmdline_len;
    c->start_ns = mica_clock_ns();
}

/* ---- Directories ---- */

static void make_entries(struct vfs *v, struct vnode *dir, const struct entry *e, unsigned count,
                         uint32_t pid)
{
    for (unsigned i = 0; i < count; i++)
        make(v, dir, e[i].name, e[i].what, e[i].mode, pid);
}

/* /proc: a directory per process (made when missing, removed when it is gone), self. */
static void refresh_root(struct vfs *v, struct vnode *root)
{
    for (uint32_t i = root->nents; i-- > 0;) {
        struct vnode *n = root->ents[i].node;
        if (n->fs_what == P_PID && !proc_find((int)n->fs_pid))
            vfs_remove_tree(v, root, root->ents[i].name);
    }
    for (unsigned i = 0; i < PROC_MAX; i++) {
        struct process *p = proc_at(i);
        if (!p)
            continue;
        number(name_buf, sizeof name_buf, (uint64_t)p->pid);
        if (vfs_child(root, name_buf))
            continue;
        struct vnode *d = make(v, root, name_buf, P_PID, 0555, (uint32_t)p->pid);
        if (d)
            make_entries(v, d, pid_files, sizeof pid_files / sizeof pid_files[0], (uint32_t)p->pid);
    }
    struct task *t = task_current();
    if (!t)
        return;
    number(name_buf, sizeof name_buf, (uint64_t)t->proc->pid);
    set_link(v, root, "self", name_buf, 0777);
    mica_snprintf(name_buf, sizeof name_buf, "%d/task/%d", t->proc->pid, t->tid);
    set_link(v, root, "thread-self", name_buf, 0777);
}

/* /proc/N: the links exe and cwd (gone with the program, in a zombie). */
static void refresh_pid(struct vfs *v, struct vnode *d)
{
    struct process *p = proc_find((int)d->fs_pid);
    bool running = p && p->state == PROC_RUNNING;
    set_link(v, d, "exe", running ? p->exe : "", 0777);
    if (running)
        path_of_node(v, p->cwd, name_buf, sizeof name_buf);
    set_link(v, d, "cwd", running ? name_buf : "", 0777);
}

/* What descriptor f shows as its link's target. */
static void describe(struct vfs *v, const struct ofile *f, char *buf, uint64_t size)
{
    if (f->kind == OFILE_PIPE)
        mica_snprintf(buf, size, "pipe:[%lu]", f->pipe->ino);
    else if (f->node)
        path_of_node(v, f->node, buf, size);
    else
        strlcpy(buf, "/dev/console", size); /* the console of descriptors 0-2 */
}

/* /proc/N/fd: a link per descriptor, lr-x, l-wx or lrwx by its access mode (as Linux).
 * Links that are still right stay (a path being resolved may be reading one's target). */
static void refresh_fd(struct vfs *v, struct vnode *d)
{
    struct process *p = proc_find((int)d->fs_pid);
    bool running = p && p->state == PROC_RUNNING;
    for (uint32_t i = d->nents; i-- > 0;) {
        const char *name = d->ents[i].name;
        if (!running || !fdtable_get(&p->files, atoi_fd(name)))
            vfs_unlink(v, d, name);
    }
    if (!running)
        return;
    char name[16];
    for (int fd = 0; fd < FD_MAX; fd++) {
        const struct ofile *f = fdtable_get(&p->files, fd);
        if (!f)
            continue;
        uint32_t acc = f->flags & LINUX_O_ACCMODE;
        uint32_t mode = (acc != LINUX_O_WRONLY ? 0500 : 0) | (acc != LINUX_O_RDONLY ? 0300 : 0);
        number(name, sizeof name, (uint64_t)fd);
        describe(v, f, name_buf, sizeof name_buf);
        set_link(v, d, name, name_buf, mode);
    }
}

/*
 * /proc/N/task: a directory per thread of the process.  The threads are listed here and
 * only here (task_next), so this is the one place that knows how threads are kept.
 */
static void refresh_task(struct vfs *v, struct vnode *d)
{
    struct process *p = proc_find((int)d->fs_pid);
    for (uint32_t i = d->nents; i-- > 0;) {
        struct task *t = task_find((int)d->ents[i].node->fs_pid);
        if (!p || !t || t->proc != p)
            vfs_remove_tree(v, d, d->ents[i].name);
    }
    for (struct task *t = p ? task_next(p, 0) : 0; t; t = task_next(p, t)) {
        number(name_buf, sizeof name_buf, (uint64_t)t->tid);
        if (vfs_child(d, name_buf))
            continue;
        struct vnode *td = make(v, d, name_buf, P_TID, 0555, (uint32_t)t->tid);
        if (td)
            make_entries(v, td, tid_files, sizeof tid_files / sizeof tid_files[0],
                         (uint32_t)t->tid);
    }
}

static int refresh(struct vfs *v, struct vnode *dir)
{
    switch (dir->fs_what) {
    case P_ROOT:
        refresh_root(v, dir);
        break;
    case P_PID:
        refresh_pid(v, dir);
        break;
    case P_FD:
        refresh_fd(v, dir);
        break;
    case P_TASK:
        refresh_task(v, dir);
        break;
    }
    return 0;
}

/* ---- The system's files ---- */

static void meminfo(void)
{
    struct mica_kernel_stats st;
    uint64_t free = mica_kernel_stats(&st) == 0 ? st.free_pages : 0;
    const char *zero[] = {"Buffers",  "Cached",    "SwapCached",   "Active",
                          "Inactive", "SwapTotal", "SwapFree",     "Dirty",
                          "Shmem",    "Slab",      "SReclaimable", "SUnreclaim"};
    put("MemTotal:       %8lu kB\n", total_pages * 4);
    put("MemFree:        %8lu kB\n", free * 4);
    put("MemAvailable:   %8lu kB\n", free * 4);
    for (unsigned i = 0; i < sizeof zero / sizeof zero[0]; i++)
        put("%s:%*s%8lu kB\n", zero[i], (int)(15 - strlen(zero[i])), "", 0ul);
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
    __asm__ volatile("cpuid"
                     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
                     : "a"(leaf), "c"(sub));
}

/* Linux's names of the feature bits of CPUID leaf 1 (edx, then ecx) and 0x80000001 edx. */
static const char *const edx1[32] = {
    "fpu",  "vme",  "de",   "pse", "tsc",  "msr", "pae",   "mce", "cx8",     "apic", 0,
    "sep",  "mtrr", "pge",  "mca", "cmov", "pat", "pse36", "pn",  "clflush", 0,      "dts",
    "acpi", "mmx",  "fxsr", "sse", "sse2", "ss",  "ht",    "tm",  "ia64",    "pbe"};
static const char *const ecx1[32] = {
    "pni",    "pclmulqdq", "dtes64", "monitor", "ds_cpl",
    "vmx",    "smx",       "est",    "tm2",     "ssse3",
    "cid",    "sdbg",      "fma",    "cx16",    "xtpr",
    "pdcm",   0,           "pcid",   "dca",     "sse4_1",
    "sse4_2", "x2apic",    "movbe",  "popcnt",  "tsc_deadline_timer",
    "aes",    "xsave",     0,        "avx",     "f16c",
    "rdrand", "hypervisor"};
static const char *const edx_ext[32] = {
    [11] = "syscall", [20] = "nx", [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm"};

static void put_flags(const char *const names[32], uint32_t bits)
{
    for (unsigned b = 0; b < 32; b++)
        if ((bits >> b) & 1 && names[b])
            put(" %s", names[b]);
}

static void cpuinfo(void)
{
    uint32_t r[4], vendor[4], sig[4], ext[4], brand[12], addr[4] = {0};
    cpuid(0, 0, r);
    vendor[0] = r[1], vendor[1] = r[3], vendor[2] = r[2], vendor[3] = 0;
    uint32_t max = r[0];
    cpuid(1, 0, sig);
    cpuid(0x80000000u, 0, r);
    uint32_t max_ext = r[0];
    memset(ext, 0, sizeof ext);
    memset(brand, 0, sizeof brand);
    if (max_ext >= 0x80000001u)
        cpuid(0x80000001u, 0, ext);
    for (unsigned i = 0; i < 3 && max_ext >= 0x80000004u; i++)
        cpuid(0x80000002u + i, 0, &brand[4 * i]);
    if (max_ext >= 0x80000008u)
        cpuid(0x80000008u, 0, addr);
    uint32_t family = (sig[0] >> 8) & 0xf, model = (sig[0] >> 4) & 0xf;
    if (family == 0xf)
        family += (sig[0] >> 20) & 0xff;
    if (family >= 6)
        model |= ((sig[0] >> 16) & 0xf) << 4;
    struct mica_kernel_stats st;
    uint64_t khz = mica_kernel_stats(&st) == 0 ? st.tsc_hz / 1000 : 0;
    const char *name = (const char *)brand;
    while (*name == ' ')
        name++;
    for (unsigned c = 0; c < cpus; c++) {
        put("processor\t: %u\nvendor_id\t: %s\ncpu family\t: %u\nmodel\t\t: %u\n", c,
            (const char *)vendor, family, model);
        put("model name\t: %s\nstepping\t: %u\n", name, sig[0] & 0xf);
        put("cpu MHz\t\t: %lu.%03lu\n", khz / 1000, khz % 1000);
        put("physical id\t: 0\nsiblings\t: %u\ncore id\t\t: %u\ncpu cores\t: %u\n", cpus, c, cpus);
        put("apicid\t\t: %u\ninitial apicid\t: %u\n", c, c);
        put("fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: %u\nwp\t\t: yes\nflags\t\t:", max);
        put_flags(edx1, sig[3]);
        put_flags(edx_ext, ext[3]);
        put_flags(ecx1, sig[2]);
        put("\nbogomips\t: %lu.%02lu\n", khz * 2 / 1000, (khz * 2 / 10) % 100);
        put("clflush size\t: %u\ncache_alignment\t: %u\n", ((sig[1] >> 8) & 0xff) * 8,
            ((sig[1] >> 8) & 0xff) * 8);
        put("address sizes\t: %u bits physical, %u bits virtual\npower management:\n\n",
            addr[0] & 0xff, (addr[0] >> 8) & 0xff);
    }
}

/* Counts of the tasks: all, and those not waiting in a call; the highest pid made. */
static void count_tasks(unsigned *all, unsigned *running, int *last)
{
    *all = *running = 0;
    *last = 0;
    for (unsigned i = 0; i < TASK_MAX; i++) {
        struct task *t = task_at(i);
        if (!t)
            continue;
        ++*all;
        *running += t->reply == 0;
        if (t->tid > *last)
            *last = t->tid;
    }
}

static void mounts(struct vfs *v)
{
    for (uint32_t i = 0; i < v->nfs; i++) {
        const struct vfs_fs *fs = &v->fs[i];
        if (!fs->covered || vfs_path_of(v, fs->root, name_buf, sizeof name_buf) < 0)
            strlcpy(name_buf, "/", sizeof name_buf);
        put("%s %s %s rw,relatime 0 0\n", fs->source, name_buf, fs->type);
    }
}

static void stat_file(struct vfs *v)
{
    put("cpu  0 0 0 0 0 0 0 0 0 0\n");
    for (unsigned c = 0; c < cpus; c++)
        put("cpu%u 0 0 0 0 0 0 0 0 0 0\n", c);
    uint64_t up = mica_clock_ns() / NS, wall = v->now_ns ? v->now_ns() / NS : 0;
    unsigned all, running;
    int last;
    count_tasks(&all, &running, &last);
    put("intr 0\nctxt 0\nbtime %lu\nprocesses %d\nprocs_running %u\nprocs_blocked 0\n",
        wall > up ? wall - up : 0, last, running);
}

/* ---- A process's files ---- */

static const char *state_name(const struct process *p, const struct task *t)
{
    if (p->state == PROC_ZOMBIE)
        return "Z (zombie)";
    if (p->sig.stopped)
        return "T (stopped)"; /* SIGSTOP, SIGTSTP... (sigdeliver.c) */
    return t && t->reply ? "S (sleeping)" : "R (running)";
}

static uint64_t vm_bytes(const struct process *p)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < p->mem.n; i++)
        sum += p->mem.r[i].end - p->mem.r[i].start;
    return sum;
}

/* What the kernel says of t's Mica thread (run time, CPU, switches), or zeros. */
static struct mica_thread_info thread_info(const struct task *t)
{
    struct mica_thread_info info;
    memset(&info, 0, sizeof info);
    if (t && t->thread)
        mica_thread_info(t->thread, &info);
    return info;
}

static uint64_t sigmask_of(const struct process *p, bool (*which)(uint64_t handler))
{
    uint64_t m = 0;
    for (unsigned s = 1; s <= LINUX_NSIG; s++)
        if (which(p->sigaction[s].handler))
            m |= 1ull << (s - 1);
    return m;
}

static bool ignored(uint64_t h)
{
    return h == 1;
}

static bool caught(uint64_t h)
{
    return h > 1;
}

/* The stat line of fs/proc/array.c: 52 fields. */
static void pid_stat(const struct process *p, const struct task *t)
{
    int id = t ? t->tid : p->pid;
    struct mica_thread_info info = thread_info(t);
    uint64_t vsize = vm_bytes(p);
    put("%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %lu 0 0 0 20 0 %u 0 %lu %lu %lu "
        "18446744073709551615 0 0 0 0 0 0 %lu %lu %lu 0 0 0 17 %lu 0 0 0 0 0 0 0 %lu 0 0 0 0 %d\n",
        id, p->comm, state_name(p, t)[0], p->ppid, p->pid, p->pid, info.run_ns / (NS / CLK_TCK),
        task_count(p), p->start_ns / (NS / CLK_TCK), vsize, vsize / 4096, t ? t->sigmask : 0,
        sigmask_of(p, ignored), sigmask_of(p, caught), info.cpu, p->brk_start,
        p->state == PROC_ZOMBIE ? p->wait_status : 0);
}

static void pid_status(const struct process *p, const struct task *t)
{
    int id = t ? t->tid : p->pid;
    struct mica_thread_info info = thread_info(t);
    uint64_t kb = vm_bytes(p) / 1024;
    put("Name:\t%s\nUmask:\t%04o\nState:\t%s\nTgid:\t%d\nNgid:\t0\nPid:\t%d\nPPid:\t%d\n", p->comm,
        p->umask, state_name(p, t), p->pid, id, p->ppid);
    const struct cred *c = &p->cred;
    put("TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nFDSize:\t%d\nGroups:\t",
        c->ruid, c->euid, c->suid, c->fsuid, c->rgid, c->egid, c->sgid, c->fsgid, FD_MAX);
    for (uint32_t i = 0; i < c->ngroups; i++)
        put("%u ", c->groups[i]);
    put("\n");
    put("NStgid:\t%d\nNSpid:\t%d\nNSpgid:\t%d\nNSsid:\t%d\n", p->pid, id, p->pid, p->pid);
    if (p->state == PROC_RUNNING) {
        put("VmPeak:\t%8lu kB\nVmSize:\t%8lu kB\nVmLck:\t%8lu kB\nVmPin:\t%8lu kB\n", kb, kb, 0ul,
            0ul);
        put("VmHWM:\t%8lu kB\nVmRSS:\t%8lu kB\n", kb, kb);
    }
    put("Threads:\t%u\nSigQ:\t0/0\nSigPnd:\t%016lx\nShdPnd:\t%016lx\nSigBlk:\t%016lx\n",
        task_count(p), t ? t->sig.pending.set : 0, p->sig.pending.set, t ? t->sigmask : 0);
    put("SigIgn:\t%016lx\nSigCgt:\t%016lx\n", sigmask_of(p, ignored), sigmask_of(p, caught));
    /* Root's capabilities, as Linux gives them to uid 0: permitted while any uid is 0,
     * effective while the effective uid is (cred.h). */
    const char *all = "000001ffffffffff", *none = "0000000000000000";
    bool prm = c->ruid == 0 || c->euid == 0 || c->suid == 0;
    put("CapInh:\t%s\nCapPrm:\t%s\nCapEff:\t%s\n", none, prm ? all : none,
        c->euid == 0 ? all : none);
    put("CapBnd:\t%s\nCapAmb:\t%s\nNoNewPrivs:\t0\nSeccomp:\t0\n", all, none);
    put("Cpus_allowed_list:\t0-%u\nvoluntary_ctxt_switches:\t%lu\n"
        "nonvoluntary_ctxt_switches:\t0\n",
        cpus - 1, info.switches);
}

/* maps: a line per region (regions.h), named as Linux names them where the server knows. */
static void pid_maps(const struct process *p)
{
    for (unsigned i = 0; i < p->mem.n; i++) {
        const struct region *r = &p->mem.r[i];
        const char *name = "";
        if (r->start < p->brk_start)
            name = p->exe;
        else if (r->start >= p->brk_start && r->end <= p->brk_mapped)
            name = "[heap]";
        else if (r->end == LOADER_STACK_TOP)
            name = "[stack]";
        int n = mica_snprintf(name_buf, sizeof name_buf, "%08lx-%08lx %c%c%cp 00000000 00:00 0",
                              r->start, r->end, r->prot & LINUX_PROT_READ ? 'r' : '-',
                              r->prot & LINUX_PROT_WRITE ? 'w' : '-',
                              r->prot & LINUX_PROT_EXEC ? 'x' : '-');
        put("%s%*s%s\n", name_buf, name[0] ? 73 - n : 0, "", name);
    }
}

static void pid_enosys(const struct process *p)
{
    for (unsigned nr = 0; nr < LINUX_NR_MAX; nr++)
        if (p->unknown[nr])
            put("%u %u\n", nr, p->unknown[nr]);
    if (p->unknown[LINUX_NR_MAX])
        put(">=%u %u\n", LINUX_NR_MAX, p->unknown[LINUX_NR_MAX]);
}

/* Write the text of file n: 0, or -ESRCH if its process is gone. */
static int make_text(struct vfs *v, const struct vnode *n)
{
    struct task *t = 0;
    struct process *p = 0;
    uint32_t what = n->fs_what & ~(uint32_t)P_THREAD;
    if (what >= P_STATUS) {
        bool thread = n->fs_what & P_THREAD;
        t = thread ? task_find((int)n->fs_pid) : 0;
        p = thread ? (t ? t->proc : 0) : proc_find((int)n->fs_pid);
        if (!p)
            return -LINUX_ESRCH;
        if (!thread)
            t = task_next(p, 0); /* the process's first thread speaks for it */
    }
    switch (what) {
    case P_MEMINFO:
        meminfo();
        break;
    case P_CPUINFO:
        cpuinfo();
        break;
    case P_UPTIME: {
        uint64_t cs = mica_clock_ns() / (NS / 100);
        put("%lu.%02lu 0.00\n", cs / 100, cs % 100);
        break;
    }
    case P_LOADAVG: {
        unsigned all, running;
        int last;
        count_tasks(&all, &running, &last);
        put("0.00 0.00 0.00 %u/%u %d\n", running, all, last);
        break;
    }
    case P_MOUNTS:
        mounts(v);
        break;
    case P_STAT:
        stat_file(v);
        break;
    case P_VERSION:
        put("Linux version 6.1.0-mica (mica) (the Mica posix server) #1 Mica posix server\n");
        break;
    case P_FILESYSTEMS:
        put("nodev\ttmpfs\nnodev\tdevtmpfs\nnodev\tproc\n");
        break;
    case P_PSTAT:
        pid_stat(p, t);
        break;
    case P_STATUS:
        pid_status(p, t);
        break;
    case P_CMDLINE:
        if (p->state == PROC_RUNNING)
            put_bytes(p->cmdline, p->cmdline_len);
        break;
    case P_COMM:
        put("%s\n", p->comm);
        break;
    case P_MAPS:
        pid_maps(p);
        break;
    case P_ENOSYS:
        pid_enosys(p);
        break;
    }
    return 0;
}

static int fill(struct vfs *v, struct vnode *n)
{
    text_len = 0;
    int err = make_text(v, n);
    if (err < 0 || (err = vfs_truncate(v, n, 0)) < 0)
        return err;
    int64_t w = vfs_write(v, n, text, 0, text_len);
    return w < 0 ? (int)w : 0;
}

/* ---- Mounting ---- */

/* How many CPUs are online: a thread that never runs is offered each CPU in turn
 * (SYS_THREAD_SET_CPU refuses a number that is not below the count). */
static unsigned count_cpus(void)
{
    int64_t as = mica_aspace_create();
    if (as < 0)
        return 1;
    int64_t th =
        mica_thread_create((mica_handle_t)as, (void (*)(uint64_t))0x1000, (void *)0x2000, 0);
    unsigned n = 0;
    while (th >= 0 && n < 1024 && mica_thread_set_cpu((mica_handle_t)th, n) == 0)
        n++;
    if (th >= 0)
        mica_handle_close((mica_handle_t)th);
    mica_handle_close((mica_handle_t)as);
    return n ? n : 1;
}

int procfs_mount(struct vfs *v)
{
    struct vnode *dir;
    int err = vfs_mkdir_p(v, "proc", &dir);
    if (err < 0 ||
        (err = vfs_mount(v, dir, "proc", "proc", LINUX_PROC_SUPER_MAGIC, 0x15, &procfs)) < 0)
        return err;
    procfs->root->mode = VFS_S_IFDIR | 0555;
    procfs->root->fs_what = P_ROOT;
    make_entries(v, procfs->root, root_files, sizeof root_files / sizeof root_files[0], 0);
    procfs->refresh = refresh;
    procfs->fill = fill;
    cpus = count_cpus();
    struct mica_kernel_stats st;
    total_pages = mica_kernel_stats(&st) == 0 ? st.total_pages : 0;
    return 0;
}
