/*
 * console_handover.c - handing the kernel log's console to a user-space
 * driver (concepts: a console driver, device sharing, producer/consumer
 * buffers).
 *
 * The kernel writes its log to the first serial port itself, by polling.
 * Once the serial driver (drivers/serial) runs, two writers share one UART
 * and their bytes mix: a log line could land in the middle of a line a
 * program wrote.  So the driver may take the console over
 * (SYS_CONSOLE_TAKE, proving with its I/O-port handle that the UART is its
 * own): from then on the kernel appends each message whole to a ring
 * buffer and tells the driver (a notification bit, from the next clock
 * tick); the driver reads the messages (SYS_CONSOLE_READ) and puts them
 * between its clients' writes.  Every line stays whole.
 *
 * When the driver's process ends, the kernel writes to the UART itself
 * again, first what the driver had not taken, so nothing of the log is
 * lost while a restarted driver comes up; a halt or a panic does the same
 * (handover_reclaim()).  A full ring loses its oldest bytes.
 *
 * Locking: one spinlock.  Log writers take it holding no scheduler or
 * notification lock (the scheduler and notifications never log), and the
 * tick signals the driver's notification under it: the order is handover
 * lock, notification, run queue.
 */
#include <mica/aspace.h>
#include <mica/console_handover.h>
#include <mica/errno.h>
#include <mica/ipc.h>
#include <mica/log.h>
#include <mica/spinlock.h>

static struct {
    struct spinlock lock;
    struct aspace *owner; /* the driver's process, or 0: the kernel writes */
    struct notification *note;
    uint64_t bits;
    bool pending;        /* text the driver has not been told of */
    uint64_t head, tail; /* bytes ever appended, bytes ever taken */
    char ring[HANDOVER_RING];
} ho = {.lock = SPINLOCK_INIT("handover")};

static void append_locked(const char *buf, unsigned long len)
{
    for (unsigned long i = 0; i < len; i++) {
        if (ho.head - ho.tail == HANDOVER_RING)
            ho.tail++; /* full: the oldest byte goes */
        ho.ring[ho.head++ % HANDOVER_RING] = buf[i];
    }
    ho.pending = true;
}

bool handover_append(const char *buf, unsigned long len)
{
    uint64_t flags = spin_lock_irqsave(&ho.lock);
    bool taken = ho.owner != 0;
    if (taken)
        append_locked(buf, len);
    spin_unlock_irqrestore(&ho.lock, flags);
    return taken;
}

int handover_take(struct aspace *as, struct notification *n, uint64_t bits)
{
    if (bits == 0)
        return -EINVAL;
    uint64_t flags = spin_lock_irqsave(&ho.lock);
    int err = ho.owner && ho.owner != as ? -EBUSY : 0;
    struct notification *old = 0;
    if (err == 0) {
        old = ho.note;
        object_get(&n->obj);
        ho.owner = as;
        ho.note = n;
        ho.bits = bits;
        ho.tail = ho.head; /* the driver's log starts now: the kernel wrote what came before */
    }
    spin_unlock_irqrestore(&ho.lock, flags);
    if (old)
        object_put(&old->obj);
    return err;
}

int64_t handover_read(struct aspace *as, char *buf, uint64_t max)
{
    uint64_t flags = spin_lock_irqsave(&ho.lock);
    if (ho.owner != as) {
        spin_unlock_irqrestore(&ho.lock, flags);
        return -EPERM;
    }
    uint64_t n = ho.head - ho.tail < max ? ho.head - ho.tail : max;
    uint64_t whole = n;
    if (n == max && n < ho.head - ho.tail) { /* more waits: stop at the last line's end */
        while (whole > 0 && ho.ring[(ho.tail + whole - 1) % HANDOVER_RING] != '\n')
            whole--;
        if (whole == 0)
            whole = n; /* a line longer than the buffer: in pieces */
    }
    for (uint64_t i = 0; i < whole; i++)
        buf[i] = ho.ring[(ho.tail + i) % HANDOVER_RING];
    ho.tail += whole;
    spin_unlock_irqrestore(&ho.lock, flags);
    return (int64_t)whole;
}

/* Write what the driver has not taken to the UART; the caller holds the lock. */
static void flush_locked(void)
{
    while (ho.tail != ho.head) {
        uint64_t at = ho.tail % HANDOVER_RING;
        uint64_t n = ho.head - ho.tail;
        if (n > HANDOVER_RING - at)
            n = HANDOVER_RING - at; /* up to the ring's end, then the rest */
        console_write(&ho.ring[at], n);
        ho.tail += n;
    }
}

static struct notification *give_back_locked(void)
{
    struct notification *n = ho.note;
    flush_locked();
    ho.owner = 0;
    ho.note = 0;
    ho.pending = false;
    return n;
}

void handover_release(struct aspace *as)
{
    uint64_t flags = spin_lock_irqsave(&ho.lock);
    struct notification *n = ho.owner == as ? give_back_locked() : 0;
    spin_unlock_irqrestore(&ho.lock, flags);
    if (n)
        object_put(&n->obj);
}

void handover_reclaim(void)
{
    /* No lock: a halting or panicking kernel may have stopped a CPU that held it.  The
     * notification is not released either: nothing runs after this. */
    if (ho.owner) {
        flush_locked();
        ho.owner = 0;
    }
}

void handover_tick(void)
{
    uint64_t flags = spin_lock_irqsave(&ho.lock);
    if (ho.owner && ho.pending) {
        ho.pending = false;
        notification_signal(ho.note, ho.bits);
    }
    spin_unlock_irqrestore(&ho.lock, flags);
}
