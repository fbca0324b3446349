/*
 * roottask.c - starting the first user program (concepts: program loading,
 * process creation, the initial capabilities).
 *
 * The boot loader brings one module (QEMU's -initrd, GRUB's module2): either
 * the root task's ELF image itself, or a cpio archive (the initial ramdisk)
 * whose member "init" is the root task.  The kernel checks its ELF headers, builds an address space
 * with one VM object per loadable segment (text read+execute, data read+write) and a stack, and
 * starts one thread at the entry point, pinned to the boot CPU, with rdi pointing to a struct
 * mica_boot_handles at the top of its stack: its own address space, all I/O ports, the IRQ control,
 * all device memory, the trace buffer and a copy of the whole boot module in a VM object (from
 * which a supervisor starts the other servers).  Everything else it obtains through system calls.
 */
#include <mica/aspace.h>
#include <mica/bkl.h>
#include <mica/bootinfo.h>
#include <mica/cpio.h>
#include <mica/device.h>
#include <mica/elf.h>
#include <mica/errno.h>
#include <mica/log.h>
#include <mica/string.h>
#include <mica/roottask.h>
#include <mica/thread.h>
#include <mica/trace.h>
#include <mica/vmo.h>
#include <abi/mica/syscall.h>
#include <arch/layout.h>
#include <arch/platform.h>

#define BOOT_HANDLES_ROOM 128 /* bytes at the top of the root task's stack */

#define ROOT_STACK_TOP  0x00007ffffff00000ull
#define ROOT_STACK_SIZE (256 * 1024)

static struct aspace *root_aspace;

static struct thread *root_thread;

struct aspace *roottask_aspace(void)
{
    return root_aspace;
}

struct thread *roottask_main_thread(void)
{
    return root_thread;
}

static uint32_t prot_of(uint32_t elf_flags)
{
    uint32_t prot = 0;
    if (elf_flags & ELF_SEG_R)
        prot |= MICA_PROT_READ;
    if (elf_flags & ELF_SEG_W)
        prot |= MICA_PROT_WRITE;
    if (elf_flags & ELF_SEG_X)
        prot |= MICA_PROT_EXEC;
    return prot;
}

/* Copy len bytes into a VM object at offset, page by page through the direct map. */
static int fill_vmo(struct vmo *v, uint64_t offset, const uint8_t *src, uint64_t len)
{
    while (len) {
        uint64_t pa = vmo_page(v, offset / PAGE_SIZE);
        if (!pa)
            return -ENOMEM;
        uint64_t in_page = offset % PAGE_SIZE;
        uint64_t n = PAGE_SIZE - in_page;
        if (n > len)
            n = len;
        memcpy((uint8_t *)phys_to_virt(pa) + in_page, src, n);
        offset += n;
        src += n;
        len -= n;
    }
    return 0;
}

static int load_segment(struct aspace *as, const uint8_t *image, const struct elf_segment *s)
{
    uint64_t start = s->vaddr & ~(uint64_t)(PAGE_SIZE - 1);
    uint64_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(uint64_t)(PAGE_SIZE - 1);
    int err;
    struct vmo *v = vmo_create_anon(end - start, &err);
    if (!v)
        return err;
    err = fill_vmo(v, s->vaddr - start, image + s->offset, s->filesz);
    uint64_t at;
    if (err == 0)
        err = aspace_map(as, v, 0, start, end - start, prot_of(s->flags), prot_of(s->flags), &at);
    object_put(&v->obj); /* the mapping holds it */
    return err;
}

static int map_stack(struct aspace *as, struct vmo **stack)
{
    int err;
    struct vmo *v = vmo_create_anon(ROOT_STACK_SIZE, &err);
    if (!v)
        return err;
    uint64_t at;
    err = aspace_map(as, v, 0, ROOT_STACK_TOP - ROOT_STACK_SIZE, ROOT_STACK_SIZE,
                     MICA_PROT_READ | MICA_PROT_WRITE, MICA_PROT_READ | MICA_PROT_WRITE, &at);
    if (err < 0) {
        object_put(&v->obj);
        return err;
    }
    *stack = v; /* the caller drops this reference; the mapping keeps its own */
    return 0;
}

/*
 * Besides its own address space, the root task gets the whole I/O-port
 * space, the right to bind interrupt lines and all device memory, to hand
 * out piece by piece to the drivers it starts.
 */
static int install_new(struct aspace *as, struct object *o, handle_t *h)
{
    if (!o)
        return -ENOMEM;
    int err = handle_install(&as->handles, o, RIGHT_ALL, h);
    object_put(o);
    return err;
}

/*
 * The root task's first handles - its own address space, all I/O ports, the
 * IRQ control and all device memory - go into a struct mica_boot_handles at
 * the top of its stack; rdi points to it.
 */
/* The whole boot module, copied into a VM object its holder may read and map. */
static int initrd_handle(struct aspace *as, const struct boot_module *mod, handle_t *h)
{
    int err;
    uint64_t size = mod->end - mod->start;
    struct vmo *v = vmo_create_anon(size ? size : 1, &err);
    if (!v)
        return err;
    err = fill_vmo(v, 0, phys_to_virt(mod->start), size);
    if (err == 0)
        err = handle_install(&as->handles, &v->obj,
                             RIGHT_READ | RIGHT_MAP | RIGHT_DUP | RIGHT_TRANSFER, h);
    object_put(&v->obj);
    return err;
}

static int give_boot_handles(struct aspace *as, struct thread *t, struct vmo *stack,
                             const struct boot_module *mod)
{
    struct mica_boot_handles bh = {0};
    struct ioport_range *ports = ioport_range_create(0, IOPORT_COUNT);
    struct irq *irqctl = irq_control_create();
    struct phys_range *phys = phys_range_create(0, PHYS_ADDR_LIMIT);
    struct object *tracebuf = trace_object_create();
    int err = handle_install(&as->handles, &as->obj, RIGHT_ALL, &bh.self);
    int e1 = install_new(as, ports ? &ports->obj : 0, &bh.ioports);
    int e2 = install_new(as, irqctl ? &irqctl->obj : 0, &bh.irq_control);
    int e3 = install_new(as, phys ? &phys->obj : 0, &bh.phys);
    int e4 = install_new(as, tracebuf, &bh.trace);
    if (err < 0 || e1 < 0 || e2 < 0 || e3 < 0 || e4 < 0)
        return -ENOMEM;
    err = initrd_handle(as, mod, &bh.initrd);
    if (err < 0)
        return err;
    bh.initrd_size = mod->end - mod->start;
    platform_facts(&bh.platform);
    _Static_assert(sizeof bh <= BOOT_HANDLES_ROOM, "struct mica_boot_handles outgrew its room");
    uint64_t at = ROOT_STACK_SIZE - BOOT_HANDLES_ROOM; /* 16-byte aligned, below the very top */
    err = fill_vmo(stack, at, (const uint8_t *)&bh, sizeof bh);
    if (err < 0)
        return err;
    struct mica_regs regs;
    arch_thread_get_regs(t, &regs);
    regs.rdi = ROOT_STACK_TOP - BOOT_HANDLES_ROOM;
    regs.rsp = ROOT_STACK_TOP - BOOT_HANDLES_ROOM;
    arch_thread_set_regs(t, &regs);
    return 0;
}

/* The root task's ELF image: the module itself, or its member "init" if it is a cpio archive. */
static int find_image(const struct boot_module *mod, const uint8_t **image, uint64_t *size)
{
    *image = phys_to_virt(mod->start);
    *size = mod->end - mod->start;
    if (!cpio_is_archive(*image, *size))
        return 0;
    struct cpio_entry e;
    const char *why = "no member called \"init\"";
    int err = cpio_find(*image, *size, "init", &e, &why);
    if (err < 0) {
        pr_err("roottask: the boot module is a cpio archive without a usable init: %s\n", why);
        return -EINVAL;
    }
    pr_info("roottask: the boot module is an initial ramdisk; starting its init (%lu KiB)\n",
            e.size / 1024);
    *image = e.data;
    *size = e.size;
    return 0;
}

static int build(const struct boot_module *mod, struct thread **out)
{
    const uint8_t *image;
    uint64_t size;
    struct elf_image elf;
    const char *why;
    if (find_image(mod, &image, &size) < 0)
        return -EINVAL;
    if (elf_parse(image, size, &elf, &why) < 0) {
        pr_err("roottask: the boot module is not a loadable program: %s\n", why);
        return -EINVAL;
    }
    if (elf.type != ELF_TYPE_EXEC || elf.has_interp) {
        pr_err("roottask: the boot module must be a static ET_EXEC program\n");
        return -EINVAL;
    }
    int err;
    struct aspace *as = aspace_create(&err);
    if (!as)
        return err;
    err = 0;
    for (unsigned i = 0; i < elf.nsegments && err == 0; i++)
        err = load_segment(as, image, &elf.seg[i]);
    struct vmo *stack = 0;
    if (err == 0)
        err = map_stack(as, &stack);
    struct thread *t = err == 0 ? thread_create(as, elf.entry, ROOT_STACK_TOP, 0) : 0;
    if (t) {
        root_aspace = as;
        root_thread = t;
        t->cpu = 0; /* the boot CPU, for good: its measurements and tests stay comparable */
        t->pinned = true;
        err = give_boot_handles(as, t, stack, mod);
    }
    if (stack)
        object_put(&stack->obj);
    object_put(&as->obj); /* the thread (and the handle) hold it now */
    if (!t)
        return err < 0 ? err : -ENOMEM;
    *out = t;
    return 0;
}

/* Start the root task if the boot loader brought one: 1 if it runs, 0 if
 * there is none, -1 if the module cannot be run. */
int roottask_start(void)
{
    if (boot_info.nmodules == 0) {
        pr_info("roottask: no boot module; nothing to run in user mode\n");
        return 0;
    }
    const struct boot_module *mod = &boot_info.modules[0];
    bkl_lock();
    struct thread *t = 0;
    int err = build(mod, &t);
    if (err == 0) {
        thread_start(t);
        object_put(&t->obj); /* the running thread keeps its own reference */
    }
    bkl_unlock();
    if (err < 0) {
        pr_err("roottask: cannot start the boot module (error %d)\n", err);
        return -1;
    }
    pr_info("roottask: started the boot module (%lu KiB)\n", (mod->end - mod->start) / 1024);
    return 1;
}
