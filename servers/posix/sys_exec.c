/*
 * sys_exec.c - execve (concept: program loading, replacing a process's
 * image).
 *
 * execve(path, argv, envp) replaces the calling process's program with a
 * static ELF program from the VFS, keeping the process: its pid, parent,
 * children, working directory, umask and descriptors (but those marked
 * close-on-exec are closed).  Everything that can fail is checked while
 * the old program still exists, so that an error returns to it: the path
 * (resolved from the working directory: ENOENT, ENOTDIR, ...), the file
 * (a directory or anything but a regular file: EACCES), the image (not a
 * static ELF program Mica can load: ENOEXEC), the permission to run it
 * (search permission on the directories of its path and the file's
 * execute permission: EACCES; root too needs an execute bit), the
 * arguments and
 * environment (copied into the server before the old memory goes: EFAULT,
 * E2BIG).  A `#!` script runs its interpreter (which must be an ELF
 * program: a script for a script is ENOEXEC) with the argument vector
 * Linux gives it: the interpreter, its one optional argument from the
 * `#!` line, the script's path, then the caller's arguments after
 * argv[0].  Then the old memory is unmapped, the
 * new program loaded into the same address space and the same thread gets
 * the registers of a new program; the answer is MICA_SYSCALL_REGS.  A
 * failure after that point (no memory) kills the process with SIGSEGV, as
 * Linux does.
 *
 * The credentials stay, except that a set-user-ID program (mode 04000)
 * runs with its owner as effective uid, and a set-group-ID one (02000,
 * with group execute) with its group as effective gid; the saved ids then
 * become the effective ones (cred_exec).  For a `#!` script it is the
 * interpreter's bits that count, as on Linux.  The auxiliary vector gives
 * the ids (AT_UID, AT_EUID, AT_GID, AT_EGID) and AT_SECURE.
 */
#include "perm.h"
#include "posix.h"
#include "block.h"
#include "reclock.h"
#include "procmem.h"
#include "syscalls.h"
#include "procfs.h"
#include "usercopy.h"
#include <mica/elf.h>
#include <mica/string.h>

#define EXEC_VECTOR_MAX  1024        /* argv or envp entries */
#define EXEC_STRINGS_MAX (64 * 1024) /* their bytes, NULs included (the stack has 128 KiB) */
#define EXEC_LINE_MAX    256         /* a `#!` line (Linux's BINPRM_BUF_SIZE) */

static char path[VFS_PATH_MAX];
static char strings[EXEC_STRINGS_MAX];
static char line[EXEC_LINE_MAX];
/* argv has room for the two words a `#!` line adds */
static const char *argv[EXEC_VECTOR_MAX + 2], *envp[EXEC_VECTOR_MAX];
static const struct vnode *program; /* the file that runs (a script's interpreter) */

/* Copy the NULL-terminated vector of strings at addr (NULL: empty) into out: 0 or an error. */
static int copy_vector(struct process *p, uint64_t addr, const char **out, unsigned *n,
                       uint64_t *used)
{
    *n = 0;
    if (!addr)
        return 0;
    for (;;) {
        uint64_t ptr;
        if (user_read(&p->mem, &ptr, addr + 8ull * *n, sizeof ptr) < 0)
            return -LINUX_EFAULT;
        if (!ptr)
            return 0;
        if (*n == EXEC_VECTOR_MAX)
            return -LINUX_E2BIG;
        int64_t len = user_read_string(&p->mem, strings + *used, EXEC_STRINGS_MAX - *used, ptr);
        if (len == -LINUX_ENAMETOOLONG)
            return -LINUX_E2BIG;
        if (len < 0)
            return (int)len;
        out[(*n)++] = strings + *used;
        *used += (uint64_t)len + 1;
    }
}

/* The regular file at name, resolved from p's working directory, that p may execute: its
 * bytes, or an error. */
static int find_file(struct process *p, const char *name, const uint8_t **image, uint64_t *size)
{
    struct vnode *n;
    posix.vfs.cred = &p->cred;
    int err = vfs_lookup(&posix.vfs, p->cwd, name, &n);
    if (err < 0)
        return err;
    if ((n->mode & VFS_S_IFMT) != VFS_S_IFREG)
        return -LINUX_EACCES;
    if ((err = perm_node(&p->cred, n, PERM_EXEC)) < 0)
        return err;
    program = n;
    *image = n->data ? n->data : n->initial;
    *size = n->size;
    return 0;
}

int exec_find_program(struct process *p, const char *path, const uint8_t **image, uint64_t *size)
{
    return find_file(p, path, image, size);
}

/* 0 if the loader can take the image: a static ELF program. */
static int check_elf(const uint8_t *image, uint64_t size)
{
    struct elf_image elf;
    const char *why;
    if (size < 4 || !image || elf_parse(image, size, &elf, &why) < 0 || elf.has_interp)
        return -LINUX_ENOEXEC;
    return 0;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* A `#!` script: put its interpreter (and argument) and its path before argv[1..]; the
 * interpreter's image in *image.  0 or an error. */
static int script(struct process *p, const uint8_t **image, uint64_t *size, unsigned *argc)
{
    uint64_t n = 2;
    while (n < *size && n < EXEC_LINE_MAX && (*image)[n] != '\n')
        n++;
    if (n == EXEC_LINE_MAX)
        return -LINUX_ENOEXEC; /* Linux would cut the line */
    memcpy(line, *image + 2, n - 2);
    line[n - 2] = 0;
    char *s = line;
    while (blank(*s))
        s++;
    const char *interp = s;
    while (*s && !blank(*s))
        s++;
    if (*s)
        *s++ = 0;
    while (blank(*s))
        s++;
    char *arg = s, *end = s + strlen(s);
    while (end > arg && blank(end[-1]))
        *--end = 0;
    if (!*interp)
        return -LINUX_ENOEXEC;
    unsigned words = *arg ? 2 : 1, rest = *argc ? *argc - 1 : 0;
    memmove(&argv[words + 1], &argv[1], rest * sizeof argv[0]);
    argv[0] = interp;
    if (*arg)
        argv[1] = arg;
    argv[words] = path;
    *argc = words + 1 + rest;
    int err = find_file(p, interp, image, size);
    return err < 0 ? err : check_elf(*image, *size);
}

/* The file whose program runs: the path, or a script's interpreter (for /proc/N/exe). */
static const char *image_path;

/* The checks that may still fail back to the old program: 0 and the image, or an error. */
static int64_t exec_check(struct process *p, const uint64_t *a, const uint8_t **image,
                          uint64_t *size, unsigned *argc, unsigned *envc)
{
    int64_t len = user_read_string(&p->mem, path, sizeof path, a[0]);
    if (len < 0)
        return len;
    int err = find_file(p, path, image, size);
    if (err < 0)
        return err;
    uint64_t used = 0;
    if ((err = copy_vector(p, a[1], argv, argc, &used)) < 0 ||
        (err = copy_vector(p, a[2], envp, envc, &used)) < 0)
        return err;
    image_path = path;
    if (*size >= 2 && *image && (*image)[0] == '#' && (*image)[1] == '!') {
        err = script(p, image, size, argc);
        image_path = argv[0]; /* the interpreter's */
        return err;
    }
    return check_elf(*image, *size);
}

/*
 * The other threads of p end; t, the caller, becomes the only one, and takes the pid as its
 * tid (as on Linux: the thread that calls execve becomes the thread-group leader).
 */
static void end_other_threads(struct process *p, struct task *t)
{
    struct task *o = task_next(p, 0);
    while (o) {
        struct task *next = task_next(p, o); /* before o is freed */
        if (o != t)
            posix_task_end(o);
        o = next;
    }
    if (t->tid != p->pid) {
        t->tid = p->pid;
        posix_task_handlers(t); /* its badge names the new tid */
    }
}

int64_t sys_execve(struct process *p, const uint64_t *a)
{
    const uint8_t *image;
    uint64_t size;
    unsigned argc, envc;
    int64_t err = exec_check(p, a, &image, &size, &argc, &envc);
    if (err < 0)
        return err;
    /* The point of no return: the old program goes, with its other threads. */
    struct task *t = task_current();
    end_other_threads(p, t);
    while (p->mem.n)
        procmem_unmap(p, p->mem.r[0].start, p->mem.r[0].end);
    for (int fd = 0; fd < FD_MAX; fd++) /* closing a descriptor drops the locks on its file */
        if (p->files.fd[fd] && p->files.cloexec[fd] && p->files.fd[fd]->kind == OFILE_NODE)
            reclock_release(p->files.fd[fd]->node, p->pid);
    fdtable_exec(&p->files);
    for (unsigned s = 1; s <= LINUX_NSIG; s++)
        if (p->sigaction[s].handler != 1) /* SIG_IGN stays ignored; handlers are gone */
            memset(&p->sigaction[s], 0, sizeof p->sigaction[s]);
    t->fs_base = 0;
    t->clear_tid = 0;
    task_set_comm_from_path(t, path);
    p->vfork_done = true;
    posix_wakeup(p); /* a parent waiting in vfork goes on */
    t->sig.alt = (struct sigaltstack_state){0, 0, LINUX_SS_DISABLE}; /* mask, pending stay */
    procfs_exec(p, path, image_path, argc, argv);
    bool secure = cred_exec(&p->cred, program->mode, program->uid, program->gid);
    struct initstack_args args = {.argc = argc,
                                  .envc = envc,
                                  .argv = argv,
                                  .envp = envp,
                                  .execfn = path,
                                  .uid = p->cred.ruid,
                                  .euid = p->cred.euid,
                                  .gid = p->cred.rgid,
                                  .egid = p->cred.egid,
                                  .secure = secure};
    struct loaded l;
    const char *why = "";
    struct mica_regs r;
    memset(&r, 0, sizeof r);
    if (posix_load(p, image, size, &args, &l, &why) < 0 ||
        (r.rip = l.entry, r.rsp = l.sp, r.rflags = 0x202,
         mica_thread_write_regs(t->thread, &r) < 0)) {
        posix_say("posix: pid %d: execve %s failed late: %s\n", p->pid, path, why);
        p->ended = true;
        p->signal = LINUX_SIGSEGV;
        return 0;
    }
    p->execed = true; /* its parent may no longer change its process group */
    return POSIX_EXEC;
}
