/*
 * ipc_transfer.c - the long part of a message (concepts: message passing
 * with copy semantics, passing capabilities).
 *
 * A message is a tag and four words in registers; when the tag says so, it
 * also carries extra words and handles in the sender's IPC buffer (a page
 * each thread may register).  At the rendezvous the kernel copies the words
 * into the receiver's IPC buffer and moves the handles: each leaves the
 * sender's handle table and arrives, with the same rights, in the
 * receiver's, whose new handle values it writes into the receiver's buffer.
 * Either all of it arrives or nothing moves.  Runs under the big kernel lock.
 */
#include <mica/aspace.h>
#include <mica/errno.h>
#include <mica/handle.h>
#include <mica/ipc.h>
#include <mica/string.h>
#include <mica/thread.h>
#include <mica/vmo.h>
#include <abi/mica/syscall.h>
#include <arch/layout.h>

#define TAG_RESERVED 0xfffff000ull

/*
 * The thread's IPC buffer, as the page its VM object holds now: if that page
 * is shared copy-on-write, it is copied first (and every mapping refaults),
 * so the kernel and the thread always see the same page.
 */
static struct mica_ipc_buffer *buffer_of(struct thread *t)
{
    if (!t->ipc_buf_vmo)
        return 0;
    bool copied;
    uint64_t pa = vmo_page_for_write(t->ipc_buf_vmo, t->ipc_buf_index, &copied);
    if (copied)
        aspace_vmo_page_moved(t->ipc_buf_vmo, t->ipc_buf_index);
    return pa ? phys_to_virt(pa) : 0;
}

static bool has_duplicates(const mica_handle_t *h, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        for (unsigned j = i + 1; j < n; j++)
            if (h[i] == h[j])
                return true;
    return false;
}

static int move_handles(struct thread *from, struct thread *to, unsigned n)
{
    struct mica_ipc_buffer *src = buffer_of(from), *dst = buffer_of(to);
    if (has_duplicates(src->handles, n))
        return -EINVAL; /* one handle cannot arrive twice */
    handle_t moved[MICA_IPC_HANDLES];
    unsigned done = 0;
    int err = 0;
    for (; done < n; done++) {
        struct object *o;
        uint32_t rights;
        uint64_t badge;
        err = handle_lookup_badged(&from->aspace->handles, src->handles[done], OBJ_NONE,
                                   RIGHT_TRANSFER, &o, &rights, &badge);
        if (err < 0)
            break;
        err = handle_install_badged(&to->aspace->handles, o, rights, badge, &moved[done]);
        object_put(o);
        if (err < 0)
            break;
    }
    if (err < 0) { /* take back what arrived: all or nothing */
        while (done > 0)
            handle_close(&to->aspace->handles, moved[--done]);
        return err;
    }
    for (unsigned i = 0; i < n; i++) {
        handle_close(&from->aspace->handles, src->handles[i]);
        dst->handles[i] = moved[i];
    }
    return 0;
}

/* How many words and handles the tag asks for; -EINVAL for a malformed tag. */
static int tag_counts(uint64_t tag, unsigned *words, unsigned *handles)
{
    *words = (tag >> MICA_TAG_WORDS_SHIFT) & MICA_TAG_WORDS_MASK;
    *handles = (tag >> MICA_TAG_HANDLES_SHIFT) & MICA_TAG_HANDLES_MASK;
    if (tag & TAG_RESERVED || *words > MICA_IPC_WORDS || *handles > MICA_IPC_HANDLES)
        return -EINVAL;
    return 0;
}

/* What the sender alone can get wrong: the tag, its IPC buffer, the handles it lists. */
int ipc_transfer_check(struct thread *from, uint64_t tag)
{
    unsigned words, handles;
    if (tag_counts(tag, &words, &handles) < 0)
        return -EINVAL;
    if (words == 0 && handles == 0)
        return 0;
    struct mica_ipc_buffer *src = buffer_of(from);
    if (!src || has_duplicates(src->handles, handles))
        return -EINVAL;
    for (unsigned i = 0; i < handles; i++) {
        struct object *o;
        int err =
            handle_lookup(&from->aspace->handles, src->handles[i], OBJ_NONE, RIGHT_TRANSFER, &o, 0);
        if (err < 0)
            return err;
        object_put(o);
    }
    return 0;
}

int ipc_transfer(struct thread *from, struct thread *to, uint64_t tag)
{
    unsigned words, handles;
    if (tag_counts(tag, &words, &handles) < 0)
        return -EINVAL;
    if (words == 0 && handles == 0)
        return 0;
    struct mica_ipc_buffer *src = buffer_of(from), *dst = buffer_of(to);
    if (!src || !dst)
        return -EINVAL; /* a long message needs IPC buffers on both sides */
    if (handles) {
        int err = move_handles(from, to, handles);
        if (err < 0)
            return err;
    }
    memcpy(dst->words, src->words, words * sizeof(uint64_t));
    return 0;
}

/* Register the page at va (mapped read/write in t's address space) as t's IPC buffer. */
int ipc_set_buffer(struct thread *t, uint64_t va)
{
    if (va & (PAGE_SIZE - 1))
        return -EINVAL;
    struct vmo *v = 0;
    uint64_t index = 0;
    if (va) {
        int err = aspace_pin_page(t->aspace, va, &v, &index);
        if (err < 0)
            return err;
    }
    if (t->ipc_buf_vmo)
        object_put(&t->ipc_buf_vmo->obj);
    t->ipc_buf_vmo = v; /* keeps its pages while it holds the buffer */
    t->ipc_buf_index = index;
    return 0;
}
