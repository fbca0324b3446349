/*
 * tests_runtime.c - tests of the native runtime (lib/mica/) on the real
 * kernel: the clock, threads with join and detach, mutexes, condition
 * variables, semaphores, once, and malloc used by several threads at once.
 * The pure parts (heap core, number parsing) also have host unit tests.
 */
#include <stdatomic.h>
#include "rt.h"
#include <clock.h>
#include <cond.h>
#include <malloc.h>
#include <mutex.h>
#include <once.h>
#include <sem.h>
#include <str.h>
#include <thread.h>

#define MS         1000000ull
#define WAIT_LIMIT (20000 * MS) /* for waits on other threads: generous, for a loaded host */

/* ---- Helpers ---- */

/* Threads, notifications, VM objects and handles as before: everything a thread had is freed. */
static void check_threads_freed(const struct mica_kernel_stats *before)
{
    struct mica_kernel_stats after;
    RT_CHECK(rt_wait_threads(before->objects[RT_OBJ_THREAD]));
    rt_stats(&after);
    RT_EQ(after.objects[RT_OBJ_THREAD], before->objects[RT_OBJ_THREAD]);
    RT_EQ(after.objects[RT_OBJ_NOTIFICATION], before->objects[RT_OBJ_NOTIFICATION]);
    RT_EQ(after.objects[RT_OBJ_VMO], before->objects[RT_OBJ_VMO]);
    RT_EQ(after.handles, before->handles);
}

static void spawn_all(struct mica_thread **t, unsigned n, void *(*fn)(void *), void *arg)
{
    for (unsigned i = 0; i < n; i++)
        RT_EQ(mica_thread_spawn(&t[i], fn, arg, 0), 0);
}

static void join_all(struct mica_thread **t, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        RT_EQ(mica_thread_join(t[i], NULL), 0);
}

/* ---- Clock ---- */

/* The clock runs forward, and a sleep lasts at least as long as asked. */
static void test_runtime_clock(void)
{
    uint64_t t0 = mica_time_ns();
    RT_CHECK(t0 > 0);
    RT_CHECK(mica_time_ns() >= t0);
    RT_EQ(mica_sleep(20 * MS), 0);
    uint64_t t1 = mica_time_ns();
    RT_CHECK(t1 - t0 >= 20 * MS);
    RT_CHECK(t1 - t0 < WAIT_LIMIT); /* not wildly off either */
    mica_sleep_until(t1 + 15 * MS);
    RT_CHECK(mica_time_ns() >= t1 + 15 * MS);
    RT_EQ(mica_deadline(MICA_TIMEOUT_FOREVER), MICA_TIMEOUT_FOREVER);
    RT_EQ(mica_deadline(MICA_TIMEOUT_FOREVER - 1), MICA_TIMEOUT_FOREVER);
}

/* The string and formatting functions as linked into native programs. */
static void test_runtime_strings(void)
{
    char buf[32];
    RT_EQ(mica_snprintf(buf, sizeof buf, "%s-%05d-%lx", "ab", 42, 0xbeefUL), 13);
    RT_EQ(strcmp(buf, "ab-00042-beef"), 0);
    RT_EQ(mica_snprintf(buf, 4, "%d", 123456), 6);
    RT_EQ(strcmp(buf, "123"), 0);
    char *end;
    RT_EQ(strtoul("  0x1fz", &end, 0), 0x1f);
    RT_EQ(*end, 'z');
    RT_EQ(strtol("-123", NULL, 10), -123);
    uint64_t v;
    RT_EQ(mica_parse_u64("18446744073709551615", 10, &v), 0);
    RT_EQ(v, UINT64_MAX);
    RT_EQ(mica_parse_u64("18446744073709551616", 10, &v), -MICA_EINVAL);
    RT_CHECK(strrchr("a/b/c", '/') != NULL && strcmp(strrchr("a/b/c", '/'), "/c") == 0);
    RT_CHECK(strstr("hello world", "o w") != NULL);
    RT_EQ(strlcpy(buf, "truncated", 5), 9);
    RT_EQ(strcmp(buf, "trun"), 0);
}

/* ---- Threads ---- */

static void *double_it(void *arg)
{
    return (void *)((uint64_t)arg * 2);
}

/* Every thread's result comes back through join, and join frees everything. */
static void test_runtime_thread_join(void)
{
    struct mica_kernel_stats before;
    rt_stats(&before);
    struct mica_thread *t[8];
    for (uint64_t i = 0; i < 8; i++)
        RT_EQ(mica_thread_spawn(&t[i], double_it, (void *)(i + 1), 0), 0);
    for (uint64_t i = 0; i < 8; i++) {
        void *r = NULL;
        RT_EQ(mica_thread_join(t[i], &r), 0);
        RT_EQ((uint64_t)r, 2 * (i + 1));
    }
    check_threads_freed(&before);
}

static atomic_int detached_done;

static void *count_and_end(void *arg)
{
    (void)arg;
    atomic_fetch_add(&detached_done, 1);
    return NULL;
}

static void *return_at_once(void *arg)
{
    return arg;
}

/* A detached thread frees itself, also when it was detached after it had ended. */
static void test_runtime_thread_detach(void)
{
    struct mica_kernel_stats before;
    rt_stats(&before);
    atomic_store(&detached_done, 0);
    for (unsigned i = 0; i < 8; i++) {
        struct mica_thread *t;
        RT_EQ(mica_thread_spawn(&t, count_and_end, NULL, 0), 0);
        RT_EQ(mica_thread_detach(t), 0);
    }
    for (uint64_t end = mica_deadline(WAIT_LIMIT);
         atomic_load(&detached_done) < 8 && mica_time_ns() < end;)
        mica_yield();
    RT_EQ(atomic_load(&detached_done), 8);

    struct mica_thread *late;
    RT_EQ(mica_thread_spawn(&late, return_at_once, NULL, 0), 0);
    for (uint64_t end = mica_deadline(WAIT_LIMIT);
         atomic_load(&late->state) != MICA_THREAD_EXITED && mica_time_ns() < end;)
        mica_yield();
    RT_EQ(atomic_load(&late->state), MICA_THREAD_EXITED);
    RT_EQ(mica_thread_detach(late), 0); /* already ended: detach frees it */
    check_threads_freed(&before);
}

static void *report_self(void *arg)
{
    (void)arg;
    struct mica_thread *me = mica_thread_self();
    return me->self == me ? me : NULL;
}

/* mica_thread_self() is each thread's own control block. */
static void test_runtime_thread_self(void)
{
    struct mica_thread *t;
    RT_EQ(mica_thread_spawn(&t, report_self, NULL, 8192), 0);
    void *r = NULL;
    struct mica_thread *expected = t;
    RT_EQ(mica_thread_join(t, &r), 0);
    RT_CHECK(r == expected);
    RT_CHECK(mica_thread_self() != expected);
    RT_EQ(mica_thread_join(mica_thread_self(), NULL), -MICA_EINVAL);
}

static mica_handle_t sum_ep;

/* Answers one call: the sum of the long message's words. */
static void *sum_server(void *arg)
{
    (void)arg;
    struct mica_ipc_buffer *buf = mica_thread_ipc_buffer();
    if (!buf)
        return (void *)1;
    struct mica_msg m = {0};
    if (mica_recv(sum_ep, &m) < 0)
        return (void *)2;
    uint64_t sum = 0;
    for (unsigned i = 0; i < (m.tag & MICA_TAG_WORDS_MASK); i++)
        sum += buf->words[i];
    struct mica_msg reply = {0, 0, {sum, 0, 0, 0}};
    return (void *)(uint64_t)(mica_reply(&reply) < 0 ? 3 : 0);
}

static void *sum_client(void *arg)
{
    (void)arg;
    struct mica_ipc_buffer *buf = mica_thread_ipc_buffer();
    if (!buf || buf != mica_thread_ipc_buffer()) /* made once, then the same */
        return (void *)1;
    for (unsigned i = 0; i < 100; i++)
        buf->words[i] = i + 1;
    struct mica_msg m = {0, mica_tag(1, 100, 0), {0, 0, 0, 0}};
    if (mica_call(sum_ep, &m) < 0)
        return (void *)2;
    return (void *)m.w[0];
}

/* Two runtime threads exchange a long message through their IPC buffers, which go with them. */
static void test_runtime_thread_ipc_buffer(void)
{
    struct mica_kernel_stats before;
    rt_stats(&before);
    int64_t ep = mica_endpoint_create();
    RT_CHECK(ep > 0);
    sum_ep = (mica_handle_t)ep;
    struct mica_thread *server, *client;
    RT_EQ(mica_thread_spawn(&server, sum_server, NULL, 0), 0);
    RT_EQ(mica_thread_spawn(&client, sum_client, NULL, 0), 0);
    void *r = NULL;
    RT_EQ(mica_thread_join(client, &r), 0);
    RT_EQ((uint64_t)r, 5050);
    RT_EQ(mica_thread_join(server, &r), 0);
    RT_EQ((uint64_t)r, 0);
    RT_EQ(mica_handle_close(sum_ep), 0);
    check_threads_freed(&before);
}

/* ---- Mutex ---- */

#define COUNT_THREADS 4
#define COUNT_ROUNDS  1000

static mica_mutex_t count_lock = MICA_MUTEX_INIT;
static volatile uint64_t counter;

/* A read-modify-write stretched out, so that any overlap loses increments. */
static void *count_under_lock(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < COUNT_ROUNDS; i++) {
        mica_mutex_lock(&count_lock);
        uint64_t v = counter;
        for (unsigned k = 0; k < 20; k++)
            __asm__ volatile("pause");
        counter = v + 1;
        mica_mutex_unlock(&count_lock);
        if (i % 64 == 0)
            mica_yield(); /* mix the order up */
    }
    return NULL;
}

static void test_runtime_mutex_counter(void)
{
    struct mica_thread *t[COUNT_THREADS];
    counter = 0;
    spawn_all(t, COUNT_THREADS, count_under_lock, NULL);
    count_under_lock(NULL); /* the first thread takes part too */
    join_all(t, COUNT_THREADS);
    RT_EQ(counter, (COUNT_THREADS + 1) * COUNT_ROUNDS);
    RT_EQ(atomic_load(&count_lock.state), MICA_MUTEX_UNLOCKED);
    RT_CHECK(mica_waitq_empty(&count_lock.queue));
}

static mica_mutex_t held_lock = MICA_MUTEX_INIT;
static atomic_int holder_ran;

static void *take_held_lock(void *arg)
{
    (void)arg;
    mica_mutex_lock(&held_lock); /* blocks: the first thread holds it */
    atomic_store(&holder_ran, 1);
    mica_mutex_unlock(&held_lock);
    return NULL;
}

/* A thread blocked on a held mutex sleeps, and runs once the mutex is handed to it. */
static void test_runtime_mutex_blocks(void)
{
    atomic_store(&holder_ran, 0);
    mica_mutex_lock(&held_lock);
    RT_EQ(mica_mutex_trylock(&held_lock), -MICA_EBUSY);
    struct mica_thread *t;
    RT_EQ(mica_thread_spawn(&t, take_held_lock, NULL, 0), 0);
    for (uint64_t end = mica_deadline(WAIT_LIMIT);
         atomic_load(&held_lock.state) != MICA_MUTEX_CONTENDED && mica_time_ns() < end;)
        mica_yield();
    RT_EQ(atomic_load(&held_lock.state), MICA_MUTEX_CONTENDED); /* it is queued */
    mica_sleep(10 * MS);
    RT_EQ(atomic_load(&holder_ran), 0);
    mica_mutex_unlock(&held_lock);
    RT_EQ(mica_thread_join(t, NULL), 0);
    RT_EQ(atomic_load(&holder_ran), 1);
    RT_EQ(mica_mutex_trylock(&held_lock), 0);
    mica_mutex_unlock(&held_lock);
}

static mica_mutex_t barged_lock = MICA_MUTEX_INIT;
static atomic_int waiter_got_it;

static void *wait_for_barged_lock(void *arg)
{
    (void)arg;
    mica_mutex_lock(&barged_lock);
    atomic_store(&waiter_got_it, 1);
    mica_mutex_unlock(&barged_lock);
    return NULL;
}

/*
 * A thread that unlocks and at once locks again keeps winning against a
 * woken waiter - until the waiter has lost often enough to be handed the
 * mutex.  Without the hand-over, the waiter would wait for ever.
 */
static void test_runtime_mutex_no_starvation(void)
{
    atomic_store(&waiter_got_it, 0);
    mica_mutex_lock(&barged_lock);
    struct mica_thread *t;
    RT_EQ(mica_thread_spawn(&t, wait_for_barged_lock, NULL, 0), 0);
    for (uint64_t end = mica_deadline(WAIT_LIMIT);
         atomic_load(&barged_lock.state) != MICA_MUTEX_CONTENDED && mica_time_ns() < end;)
        mica_yield();
    unsigned rounds = 0;
    while (!atomic_load(&waiter_got_it) && rounds < 50) {
        mica_mutex_unlock(&barged_lock);
        mica_mutex_lock(&barged_lock); /* barges in before the woken waiter runs */
        for (uint64_t end = mica_deadline(WAIT_LIMIT);
             atomic_load(&barged_lock.state) != MICA_MUTEX_CONTENDED &&
             !atomic_load(&waiter_got_it) && mica_time_ns() < end;)
            mica_yield(); /* until it has lost once more and queued again */
        rounds++;
    }
    RT_EQ(atomic_load(&waiter_got_it), 1);
    RT_CHECK(rounds <= 10);
    mica_mutex_unlock(&barged_lock);
    RT_EQ(mica_thread_join(t, NULL), 0);
}

/* ---- Condition variables and semaphores: bounded buffers ---- */

#define SLOTS     8
#define ITEMS     400 /* per producer */
#define PRODUCERS 2
#define CONSUMERS 2

struct ring {
    uint64_t item[SLOTS];
    unsigned head, tail, count;
};

static struct ring ring;
static mica_mutex_t ring_lock = MICA_MUTEX_INIT;
static mica_cond_t not_full = MICA_COND_INIT, not_empty = MICA_COND_INIT;
static uint64_t consumed_sum;
static mica_mutex_t sum_lock = MICA_MUTEX_INIT;

static void ring_put(uint64_t v)
{
    ring.item[ring.tail] = v;
    ring.tail = (ring.tail + 1) % SLOTS;
    ring.count++;
}

static uint64_t ring_get(void)
{
    uint64_t v = ring.item[ring.head];
    ring.head = (ring.head + 1) % SLOTS;
    ring.count--;
    return v;
}

static void add_to_sum(uint64_t sum)
{
    mica_mutex_lock(&sum_lock);
    consumed_sum += sum;
    mica_mutex_unlock(&sum_lock);
}

/* Items are 1..ITEMS; 0 tells a consumer to stop. */
static void *cond_producer(void *arg)
{
    uint64_t n = (uint64_t)arg;
    for (uint64_t i = 1; i <= n; i++) {
        mica_mutex_lock(&ring_lock);
        while (ring.count == SLOTS)
            mica_cond_wait(&not_full, &ring_lock);
        ring_put(i);
        mica_cond_signal(&not_empty);
        mica_mutex_unlock(&ring_lock);
    }
    return NULL;
}

static void *cond_consumer(void *arg)
{
    (void)arg;
    uint64_t sum = 0;
    for (;;) {
        mica_mutex_lock(&ring_lock);
        while (ring.count == 0)
            mica_cond_wait(&not_empty, &ring_lock);
        uint64_t v = ring_get();
        mica_cond_signal(&not_full);
        mica_mutex_unlock(&ring_lock);
        if (v == 0)
            break;
        sum += v;
    }
    add_to_sum(sum);
    return NULL;
}

static uint64_t expected_sum(void)
{
    return PRODUCERS * (uint64_t)ITEMS * (ITEMS + 1) / 2;
}

static void test_runtime_cond_producer_consumer(void)
{
    struct mica_thread *p[PRODUCERS], *c[CONSUMERS];
    ring = (struct ring){{0}, 0, 0, 0};
    consumed_sum = 0;
    spawn_all(c, CONSUMERS, cond_consumer, NULL);
    spawn_all(p, PRODUCERS, cond_producer, (void *)(uint64_t)ITEMS);
    join_all(p, PRODUCERS);
    for (unsigned i = 0; i < CONSUMERS; i++) {
        mica_mutex_lock(&ring_lock);
        while (ring.count == SLOTS)
            mica_cond_wait(&not_full, &ring_lock);
        ring_put(0);
        mica_cond_signal(&not_empty);
        mica_mutex_unlock(&ring_lock);
    }
    join_all(c, CONSUMERS);
    RT_EQ(consumed_sum, expected_sum());
    RT_EQ(ring.count, 0);
}

static mica_sem_t free_slots, used_slots;

static void sem_put(uint64_t v)
{
    mica_sem_wait(&free_slots);
    mica_mutex_lock(&ring_lock);
    ring_put(v);
    mica_mutex_unlock(&ring_lock);
    mica_sem_post(&used_slots);
}

static void *sem_producer(void *arg)
{
    for (uint64_t i = 1; i <= (uint64_t)arg; i++)
        sem_put(i);
    return NULL;
}

static void *sem_consumer(void *arg)
{
    (void)arg;
    uint64_t sum = 0, v;
    do {
        mica_sem_wait(&used_slots);
        mica_mutex_lock(&ring_lock);
        v = ring_get();
        mica_mutex_unlock(&ring_lock);
        mica_sem_post(&free_slots);
        sum += v;
    } while (v != 0);
    add_to_sum(sum);
    return NULL;
}

static void test_runtime_sem_producer_consumer(void)
{
    struct mica_thread *p[PRODUCERS], *c[CONSUMERS];
    ring = (struct ring){{0}, 0, 0, 0};
    consumed_sum = 0;
    mica_sem_init(&free_slots, SLOTS);
    mica_sem_init(&used_slots, 0);
    spawn_all(c, CONSUMERS, sem_consumer, NULL);
    spawn_all(p, PRODUCERS, sem_producer, (void *)(uint64_t)ITEMS);
    join_all(p, PRODUCERS);
    for (unsigned i = 0; i < CONSUMERS; i++)
        sem_put(0);
    join_all(c, CONSUMERS);
    RT_EQ(consumed_sum, expected_sum());
    RT_EQ(free_slots.count, SLOTS);
    RT_EQ(used_slots.count, 0);
}

/* Timed waits time out when nothing comes, and leave nothing queued. */
static void test_runtime_timeouts(void)
{
    mica_mutex_t m = MICA_MUTEX_INIT;
    mica_cond_t c = MICA_COND_INIT;
    mica_sem_t s = MICA_SEM_INIT(1);
    uint64_t t0 = mica_time_ns();
    mica_mutex_lock(&m);
    RT_EQ(mica_cond_timedwait(&c, &m, 20 * MS), -MICA_ETIMEDOUT);
    RT_EQ(mica_mutex_trylock(&m), -MICA_EBUSY); /* locked again after the timeout */
    mica_mutex_unlock(&m);
    RT_CHECK(mica_time_ns() - t0 >= 20 * MS);
    RT_CHECK(mica_waitq_empty(&c.queue));

    RT_EQ(mica_sem_trywait(&s), 0);
    RT_EQ(mica_sem_trywait(&s), -MICA_EAGAIN);
    t0 = mica_time_ns();
    RT_EQ(mica_sem_timedwait(&s, 20 * MS), -MICA_ETIMEDOUT);
    RT_CHECK(mica_time_ns() - t0 >= 20 * MS);
    RT_CHECK(mica_waitq_empty(&s.queue));
    mica_sem_post(&s);
    RT_EQ(mica_sem_timedwait(&s, 0), 0);
}

#define WAITERS 6

static mica_mutex_t gate_lock = MICA_MUTEX_INIT;
static mica_cond_t gate_open = MICA_COND_INIT;
static int gate_is_open;
static atomic_int gate_waiting;

static void *wait_at_gate(void *arg)
{
    (void)arg;
    mica_mutex_lock(&gate_lock);
    atomic_fetch_add(&gate_waiting, 1);
    while (!gate_is_open)
        mica_cond_wait(&gate_open, &gate_lock);
    mica_mutex_unlock(&gate_lock);
    return NULL;
}

/* One broadcast wakes every waiter. */
static void test_runtime_cond_broadcast(void)
{
    struct mica_thread *t[WAITERS];
    gate_is_open = 0;
    atomic_store(&gate_waiting, 0);
    spawn_all(t, WAITERS, wait_at_gate, NULL);
    for (uint64_t end = mica_deadline(WAIT_LIMIT);
         atomic_load(&gate_waiting) < WAITERS && mica_time_ns() < end;)
        mica_yield();
    mica_mutex_lock(&gate_lock);
    gate_is_open = 1;
    mica_cond_broadcast(&gate_open);
    mica_mutex_unlock(&gate_lock);
    join_all(t, WAITERS); /* hangs if one was not woken */
    RT_CHECK(mica_waitq_empty(&gate_open.queue));
}

static mica_once_t once = MICA_ONCE_INIT;
static atomic_int once_calls;

static void init_once(void)
{
    mica_sleep(5 * MS); /* let the others arrive while it runs */
    atomic_fetch_add(&once_calls, 1);
}

static void *call_once(void *arg)
{
    (void)arg;
    mica_once(&once, init_once);
    return (void *)(uint64_t)atomic_load(&once_calls);
}

/* The function runs once, and nobody returns before it has run. */
static void test_runtime_once(void)
{
    struct mica_thread *t[4];
    spawn_all(t, 4, call_once, NULL);
    for (unsigned i = 0; i < 4; i++) {
        void *r = NULL;
        RT_EQ(mica_thread_join(t[i], &r), 0);
        RT_EQ((uint64_t)r, 1);
    }
    RT_EQ(atomic_load(&once_calls), 1);
}

/* ---- malloc ---- */

static void test_runtime_malloc_basic(void)
{
    struct mica_heap_stats before, after;
    mica_heap_stats(&before);
    char *p = malloc(100);
    RT_CHECK(p != NULL && (uint64_t)p % 16 == 0);
    memset(p, 'x', 100);
    uint64_t *z = calloc(1000, sizeof *z);
    RT_CHECK(z != NULL);
    uint64_t nonzero = 0;
    for (unsigned i = 0; i < 1000; i++)
        nonzero |= z[i];
    RT_EQ(nonzero, 0);
    RT_CHECK(calloc((size_t)1 << 40, (size_t)1 << 40) == NULL); /* overflows */
    void *a = aligned_alloc(4096, 10);
    RT_CHECK(a != NULL && (uint64_t)a % 4096 == 0);
    p = realloc(p, 100000);
    RT_CHECK(p != NULL && p[0] == 'x' && p[99] == 'x');
    RT_CHECK(malloc_usable_size(p) >= 100000);
    free(p);
    free(z);
    free(a);
    free(NULL);
    RT_CHECK(mica_heap_check() == NULL);
    mica_heap_stats(&after);
    RT_EQ(after.used_bytes, before.used_bytes);
}

#define HEAP_THREADS 4
#define HEAP_ROUNDS  1500
#define HEAP_SLOTS   32

/* Random malloc, realloc and free, each block filled with a pattern checked before it goes. */
static void *heap_worker(void *arg)
{
    uint64_t rng = (uint64_t)arg * 0x9e3779b97f4a7c15ull + 1;
    unsigned char *slot[HEAP_SLOTS] = {0};
    size_t len[HEAP_SLOTS] = {0};
    uint64_t bad = 0;
    for (unsigned r = 0; r < HEAP_ROUNDS; r++) {
        rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
        unsigned i = (unsigned)(rng % HEAP_SLOTS);
        unsigned char fill = (unsigned char)(i + (uint64_t)arg * 37);
        for (size_t k = 0; slot[i] && k < len[i]; k++)
            bad += slot[i][k] != fill;
        size_t n = (rng >> 8) % (rng & 0x100 ? 3000 : 100);
        if (slot[i] && (rng & 0x200)) {
            free(slot[i]);
            slot[i] = NULL;
            continue;
        }
        slot[i] = slot[i] ? realloc(slot[i], n) : malloc(n);
        bad += slot[i] == NULL;
        len[i] = slot[i] ? n : 0;
        memset(slot[i], fill, len[i]);
    }
    for (unsigned i = 0; i < HEAP_SLOTS; i++)
        free(slot[i]);
    return (void *)bad;
}

static void test_runtime_malloc_threads(void)
{
    struct mica_heap_stats before, after;
    mica_heap_stats(&before);
    struct mica_thread *t[HEAP_THREADS];
    for (uint64_t i = 0; i < HEAP_THREADS; i++)
        RT_EQ(mica_thread_spawn(&t[i], heap_worker, (void *)(i + 1), 0), 0);
    for (unsigned i = 0; i < HEAP_THREADS; i++) {
        void *bad = (void *)1;
        RT_EQ(mica_thread_join(t[i], &bad), 0);
        RT_EQ((uint64_t)bad, 0);
    }
    const char *err = mica_heap_check();
    if (err)
        mica_printf("  heap: %s\n", err);
    RT_CHECK(err == NULL);
    mica_heap_stats(&after);
    RT_EQ(after.used_bytes, before.used_bytes);
}

/* ---- Threads that die of a fault ---- */

static mica_sem_t go = MICA_SEM_INIT(0);

/*
 * Run fn in a runtime thread whose faults go to an endpoint of ours; the
 * fault message's words (vector, error code, address, rip) go to w[].  The
 * thread is killed, and since it never reaches its end, nothing frees it:
 * this does, and checks that nothing is left.
 */
static void run_until_fault(void *(*fn)(void *), uint64_t w[4], uint64_t *map_base)
{
    struct mica_kernel_stats before, after;
    rt_stats(&before);
    struct mica_thread *t;
    int64_t ep = mica_endpoint_create();
    RT_CHECK(ep > 0);
    RT_EQ(mica_thread_spawn(&t, fn, NULL, 0), 0);
    RT_EQ(mica_thread_set_fault_handler(t->handle, (mica_handle_t)ep), 0);
    mica_sem_post(&go); /* now it may fault */
    struct mica_msg m = {0};
    RT_EQ(mica_recv((mica_handle_t)ep, &m), 0);
    RT_EQ(m.tag >> MICA_TAG_LABEL_SHIFT, MICA_MSG_FAULT);
    for (unsigned i = 0; i < 4; i++)
        w[i] = m.w[i];
    struct mica_msg kill = {0, 0, {MICA_FAULT_KILL, 0, 0, 0}};
    RT_EQ(mica_reply(&kill), 0);

    uint64_t base = t->map_base, size = t->map_size;
    *map_base = base;
    mica_handle_close(t->park);
    mica_handle_close(t->exited);
    mica_handle_close(t->handle);
    RT_EQ(mica_vm_unmap(rt_self, base, size), 0);
    mica_handle_close((mica_handle_t)ep);
    RT_CHECK(rt_wait_threads(before.objects[RT_OBJ_THREAD])); /* the kernel has freed it */
    RT_CHECK(rt_wait_objects(RT_OBJ_ENDPOINT, before.objects[RT_OBJ_ENDPOINT])); /* its handler */
    rt_stats(&after);
    RT_EQ(after.objects[RT_OBJ_ENDPOINT], before.objects[RT_OBJ_ENDPOINT]);
    RT_EQ(after.objects[RT_OBJ_NOTIFICATION], before.objects[RT_OBJ_NOTIFICATION]);
    RT_EQ(after.handles, before.handles);
}

static void *free_twice(void *arg)
{
    (void)arg;
    mica_sem_wait(&go);
    void *p = malloc(64);
    free(p);
    free(p); /* prints "fatal: free(...): double free ..." and faults */
    return (void *)1;
}

/* A double free stops the thread with an invalid-opcode fault, which its fault handler sees. */
static void test_runtime_double_free_stops_thread(void)
{
    uint64_t w[4], base;
    run_until_fault(free_twice, w, &base);
    RT_EQ(w[0], 6); /* #UD: the ud2 in mica_panic() */
    RT_CHECK(mica_heap_check() == NULL);
}

/* Each level takes 512 bytes of stack and uses them, so the compiler cannot drop it. */
__attribute__((noinline)) static uint64_t recurse(uint64_t depth)
{
    volatile char frame[512];
    frame[0] = (char)depth;
    if (depth > (1u << 30))
        return 0;
    return recurse(depth + 1) + (uint64_t)frame[0];
}

static void *overflow_stack(void *arg)
{
    (void)arg;
    mica_sem_wait(&go);
    return (void *)recurse(0);
}

/* A thread that overflows its stack faults in the guard page below it. */
static void test_runtime_stack_guard_page(void)
{
    uint64_t w[4], base;
    run_until_fault(overflow_stack, w, &base);
    RT_EQ(w[0], 14); /* page fault */
    RT_CHECK(w[2] >= base && w[2] < base + RT_PAGE);
}

const struct rt_test rt_runtime_tests[] = {
    {"runtime_clock", test_runtime_clock},
    {"runtime_strings", test_runtime_strings},
    {"runtime_thread_join", test_runtime_thread_join},
    {"runtime_thread_detach", test_runtime_thread_detach},
    {"runtime_thread_self", test_runtime_thread_self},
    {"runtime_thread_ipc_buffer", test_runtime_thread_ipc_buffer},
    {"runtime_mutex_counter", test_runtime_mutex_counter},
    {"runtime_mutex_blocks", test_runtime_mutex_blocks},
    {"runtime_mutex_no_starvation", test_runtime_mutex_no_starvation},
    {"runtime_cond_producer_consumer", test_runtime_cond_producer_consumer},
    {"runtime_sem_producer_consumer", test_runtime_sem_producer_consumer},
    {"runtime_timeouts", test_runtime_timeouts},
    {"runtime_cond_broadcast", test_runtime_cond_broadcast},
    {"runtime_once", test_runtime_once},
    {"runtime_malloc_basic", test_runtime_malloc_basic},
    {"runtime_malloc_threads", test_runtime_malloc_threads},
    {"runtime_double_free_stops_thread", test_runtime_double_free_stops_thread},
    {"runtime_stack_guard_page", test_runtime_stack_guard_page},
};
const unsigned rt_runtime_test_count = sizeof rt_runtime_tests / sizeof rt_runtime_tests[0];
