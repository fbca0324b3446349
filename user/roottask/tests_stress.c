/*
 * tests_stress.c - many threads at once on every CPU: IPC, memory mapping,
 * object creation and thread churn, each followed by a leak check (object
 * and handle counts exactly as before, free pages back within a small slack
 * for the kernel's caches).  Each test warms up once before it takes the
 * "before" snapshot, so that caches are already filled.
 */
#include <stdatomic.h>
#include "rt.h"
#include "tests.h"

#define SLACK_PAGES 64

/* ---- IPC: 8 clients, 4 servers, 4 endpoints ---- */

#define IPC_SERVERS 4
#define IPC_CLIENTS 8
#define IPC_ROUNDS  2000
#define QUIT_TAG    mica_tag(0xdead, 0, 0)

static mica_handle_t stress_ep[IPC_SERVERS];
static mica_handle_t stress_note;
static _Atomic uint64_t stress_errors;
static int rounds; /* of each worker in the current run: smaller for warm-ups */

/* Answer (label, w0..w3) with (label + 1, w3, w2, w1, w0 + tag) until QUIT_TAG. */
static void stress_server(uint64_t i)
{
    struct mica_msg m;
    int64_t r = mica_recv(stress_ep[i], &m);
    while (r == 0 && m.tag != QUIT_TAG) {
        uint64_t w0 = m.w[0], w1 = m.w[1];
        m.w[0] = m.w[3];
        m.w[1] = m.w[2];
        m.w[2] = w1;
        m.w[3] = w0 + m.tag;
        m.tag += mica_tag(1, 0, 0);
        r = mica_reply_recv(stress_ep[i], &m);
    }
    if (r == 0)
        mica_reply(&m);
    else
        atomic_fetch_add(&stress_errors, 1);
    rt_signal_exit(stress_note, 1ull << (32 + i));
}

static void stress_client(uint64_t id)
{
    mica_handle_t ep = stress_ep[id % IPC_SERVERS];
    uint64_t bad = 0;
    for (uint64_t i = 0; i < (uint64_t)rounds; i++) {
        struct mica_msg m;
        uint64_t tag = mica_tag((uint32_t)((id << 16) | i), 0, 0);
        m.tag = tag;
        m.w[0] = id;
        m.w[1] = i;
        m.w[2] = ~i;
        m.w[3] = id ^ (i << 16);
        if (mica_call(ep, &m) != 0 || m.tag != tag + mica_tag(1, 0, 0) ||
            m.w[0] != (id ^ (i << 16)) || m.w[1] != ~i || m.w[2] != i || m.w[3] != id + tag)
            bad++;
    }
    atomic_fetch_add(&stress_errors, bad);
    rt_signal_exit(stress_note, 1ull << id);
}

/* One full run: servers and clients start, clients finish, servers are told to quit. */
static void ipc_stress_run(int n)
{
    rounds = n;
    struct rt_thread srv[IPC_SERVERS], cli[IPC_CLIENTS];
    stress_note = (mica_handle_t)mica_notify_create();
    for (int i = 0; i < IPC_SERVERS; i++) {
        stress_ep[i] = (mica_handle_t)mica_endpoint_create();
        RT_EQ(rt_spawn(&srv[i], stress_server, (uint64_t)i), 0);
    }
    for (int i = 0; i < IPC_CLIENTS; i++)
        RT_EQ(rt_spawn(&cli[i], stress_client, (uint64_t)i), 0);
    RT_EQ(rt_wait_bits(stress_note, (1u << IPC_CLIENTS) - 1) & 0xff, (1u << IPC_CLIENTS) - 1);
    for (int i = 0; i < IPC_SERVERS; i++) {
        struct mica_msg m = {0};
        m.tag = QUIT_TAG;
        RT_EQ(mica_call(stress_ep[i], &m), 0);
    }
    rt_wait_bits(stress_note, 0xfull << 32);
    rt_reap(cli, IPC_CLIENTS);
    rt_reap(srv, IPC_SERVERS);
    for (int i = 0; i < IPC_SERVERS; i++)
        RT_EQ(mica_handle_close(stress_ep[i]), 0);
    RT_EQ(mica_handle_close(stress_note), 0);
}

/* 8 client threads make 2000 calls each to 4 servers through 4 endpoints; every reply is right. */
void test_stress_ipc(void)
{
    struct mica_kernel_stats before;
    ipc_stress_run(50); /* warm-up */
    rt_stats(&before);
    atomic_store(&stress_errors, 0);
    ipc_stress_run(IPC_ROUNDS);
    RT_EQ(atomic_load(&stress_errors), 0);
    rt_check_leaks(&before, SLACK_PAGES);
}

/* ---- memory: threads mapping, touching, protecting and unmapping at once ---- */

#define MEM_THREADS 4
#define MEM_ROUNDS  40
#define MEM_PAGES   8

static void mem_worker(uint64_t id)
{
    uint64_t bad = 0;
    for (int r = 0; r < rounds; r++) {
        int64_t v = mica_vmo_create(MEM_PAGES * RT_PAGE);
        int64_t at =
            v > 0 ? mica_vm_map(rt_self, (mica_handle_t)v, 0, 0, MEM_PAGES * RT_PAGE, RT_RW) : -1;
        if (at <= 0) {
            bad++;
            if (v > 0)
                mica_handle_close((mica_handle_t)v);
            continue;
        }
        volatile uint64_t *m = (uint64_t *)at;
        for (int p = 0; p < MEM_PAGES; p++)
            if (m[p * RT_PAGE / 8] != 0)
                bad++;
        for (int p = 0; p < MEM_PAGES; p++)
            m[p * RT_PAGE / 8 + id] = (id << 32) | (uint64_t)(r * MEM_PAGES + p);
        if (mica_vm_protect(rt_self, (uint64_t)at, MEM_PAGES * RT_PAGE, MICA_PROT_READ) != 0)
            bad++;
        for (int p = 0; p < MEM_PAGES; p++)
            if (m[p * RT_PAGE / 8 + id] != ((id << 32) | (uint64_t)(r * MEM_PAGES + p)))
                bad++;
        if (mica_vm_unmap(rt_self, (uint64_t)at, MEM_PAGES * RT_PAGE) != 0)
            bad++;
        if (mica_handle_close((mica_handle_t)v) != 0)
            bad++;
        if (r % 8 == 0)
            mica_yield();
    }
    atomic_fetch_add(&stress_errors, bad);
    rt_signal_exit(stress_note, 1ull << id);
}

static void mem_stress_run(int n)
{
    rounds = n;
    struct rt_thread t[MEM_THREADS];
    stress_note = (mica_handle_t)mica_notify_create();
    for (int i = 0; i < MEM_THREADS; i++)
        RT_EQ(rt_spawn(&t[i], mem_worker, (uint64_t)i), 0);
    RT_EQ(rt_wait_bits(stress_note, (1u << MEM_THREADS) - 1), (1u << MEM_THREADS) - 1);
    rt_reap(t, MEM_THREADS);
    RT_EQ(mica_handle_close(stress_note), 0);
}

/* Threads on all CPUs map, fill, protect, check and unmap memory in one address space. */
void test_stress_memory(void)
{
    struct mica_kernel_stats before;
    mem_stress_run(5); /* warm-up */
    rt_stats(&before);
    atomic_store(&stress_errors, 0);
    mem_stress_run(MEM_ROUNDS);
    RT_EQ(atomic_load(&stress_errors), 0);
    rt_check_leaks(&before, SLACK_PAGES);
}

/* ---- TLB: changing a mapping another CPU is using right now ---- */

static struct {
    mica_handle_t note;
    volatile uint64_t *page;
    volatile int survived;
} tlb;

static void tlb_reader(uint64_t arg)
{
    (void)arg;
    uint64_t sum = tlb.page[0];
    mica_notify_signal(tlb.note, 1);
    for (uint64_t i = 0; i < 20000000; i++)
        sum += tlb.page[0];
    tlb.survived = (int)(sum | 1);
    rt_signal_exit(tlb.note, 2);
}

static void tlb_writer(uint64_t arg)
{
    (void)arg;
    tlb.page[0] = 1;
    mica_notify_signal(tlb.note, 1);
    for (uint64_t i = 0; i < 20000000; i++)
        tlb.page[1] = i;
    tlb.survived = 1;
    rt_signal_exit(tlb.note, 2);
}

/* Unmapping a page that a thread on another CPU keeps reading makes that thread fault:
 * no CPU may keep using a stale TLB entry. */
void test_stress_tlb_unmap(void)
{
    mica_handle_t v;
    tlb.page = rt_map_new(RT_PAGE, RT_RW, &v);
    tlb.page[0] = 5;
    tlb.survived = 0;
    tlb.note = (mica_handle_t)mica_notify_create();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, tlb_reader, 0), 0);
    RT_EQ(rt_wait_bits(tlb.note, 1), 1);
    RT_EQ(mica_vm_unmap(rt_self, (uint64_t)tlb.page, RT_PAGE), 0);
    rt_reap(&t, 1);
    RT_EQ(tlb.survived, 0);
    RT_EQ(mica_handle_close(v), 0);
    RT_EQ(mica_handle_close(tlb.note), 0);
}

/* Making a page read-only while a thread on another CPU keeps writing it makes that thread fault.
 */
void test_stress_tlb_protect(void)
{
    mica_handle_t v;
    tlb.page = rt_map_new(RT_PAGE, RT_RW, &v);
    tlb.survived = 0;
    tlb.note = (mica_handle_t)mica_notify_create();
    struct rt_thread t;
    RT_EQ(rt_spawn(&t, tlb_writer, 0), 0);
    RT_EQ(rt_wait_bits(tlb.note, 1), 1);
    RT_EQ(mica_vm_protect(rt_self, (uint64_t)tlb.page, RT_PAGE, MICA_PROT_READ), 0);
    rt_reap(&t, 1);
    RT_EQ(tlb.survived, 0);
    rt_unmap_close((void *)tlb.page, RT_PAGE, v);
    RT_EQ(mica_handle_close(tlb.note), 0);
}

/* ---- objects: create and close every kind, over and over, from several threads ---- */

#define OBJ_THREADS 4
#define OBJ_ROUNDS  150

static void obj_exit_at_once(uint64_t arg)
{
    (void)arg;
    mica_thread_exit();
}

static void obj_worker(uint64_t id)
{
    uint64_t bad = 0;
    for (int r = 0; r < rounds; r++) {
        int64_t h[6];
        h[0] = mica_endpoint_create();
        h[1] = mica_notify_create();
        h[2] = mica_vmo_create(RT_PAGE * (uint64_t)(1 + r % 4));
        h[3] = rt_aspace_create();
        h[4] = mica_thread_create(rt_self, obj_exit_at_once, 0, 0); /* never started */
        h[5] = h[0] > 0 ? mica_handle_dup((mica_handle_t)h[0], MICA_RIGHT_SEND) : -1;
        for (int k = 0; k < 6; k++) {
            if (h[k] <= 0)
                bad++;
            else if (mica_handle_close((mica_handle_t)h[k]) != 0)
                bad++;
        }
    }
    atomic_fetch_add(&stress_errors, bad);
    rt_signal_exit(stress_note, 1ull << id);
}

static void obj_stress_run(int n)
{
    rounds = n;
    struct rt_thread t[OBJ_THREADS];
    stress_note = (mica_handle_t)mica_notify_create();
    for (int i = 0; i < OBJ_THREADS; i++)
        RT_EQ(rt_spawn(&t[i], obj_worker, (uint64_t)i), 0);
    RT_EQ(rt_wait_bits(stress_note, (1u << OBJ_THREADS) - 1), (1u << OBJ_THREADS) - 1);
    rt_reap(t, OBJ_THREADS);
    RT_EQ(mica_handle_close(stress_note), 0);
}

/* Four threads create and close objects of every kind 150 times each; nothing leaks. */
void test_stress_objects(void)
{
    struct mica_kernel_stats before;
    obj_stress_run(10); /* warm-up */
    rt_stats(&before);
    atomic_store(&stress_errors, 0);
    obj_stress_run(OBJ_ROUNDS);
    RT_EQ(atomic_load(&stress_errors), 0);
    rt_check_leaks(&before, SLACK_PAGES);
}

/* ---- threads: many short-lived threads ---- */

#define CHURN_BATCH  16
#define CHURN_ROUNDS 20

static void churn_child(uint64_t i)
{
    rt_signal_exit(stress_note, 1ull << i);
}

static void churn_run(int batches)
{
    struct rt_thread t[CHURN_BATCH];
    stress_note = (mica_handle_t)mica_notify_create();
    for (int r = 0; r < batches; r++) {
        for (int i = 0; i < CHURN_BATCH; i++)
            RT_EQ(rt_spawn(&t[i], churn_child, (uint64_t)i), 0);
        RT_EQ(rt_wait_bits(stress_note, (1u << CHURN_BATCH) - 1), (1u << CHURN_BATCH) - 1);
        rt_reap(t, CHURN_BATCH);
    }
    RT_EQ(mica_handle_close(stress_note), 0);
}

/* 320 threads are started and end, 16 at a time; nothing leaks. */
void test_stress_thread_churn(void)
{
    struct mica_kernel_stats before;
    churn_run(1);
    rt_stats(&before);
    churn_run(CHURN_ROUNDS);
    rt_check_leaks(&before, SLACK_PAGES);
}

/* ---- everything at once ---- */

/* IPC, memory and object workers (40 rounds each) all run together; nothing is left over. */
void test_stress_mixed(void)
{
    struct mica_kernel_stats before;
    struct rt_thread srv[IPC_SERVERS], cli[IPC_CLIENTS], mem[MEM_THREADS], obj[OBJ_THREADS];
    rt_stats(&before);
    atomic_store(&stress_errors, 0);
    rounds = 40; /* of every worker */
    stress_note = (mica_handle_t)mica_notify_create();
    for (int i = 0; i < IPC_SERVERS; i++) {
        stress_ep[i] = (mica_handle_t)mica_endpoint_create();
        RT_EQ(rt_spawn(&srv[i], stress_server, (uint64_t)i), 0);
    }
    for (int i = 0; i < IPC_CLIENTS; i++)
        RT_EQ(rt_spawn(&cli[i], stress_client, (uint64_t)i), 0);
    /* Memory and object workers use bits 16.. and 24.. of the note. */
    for (int i = 0; i < MEM_THREADS; i++)
        RT_EQ(rt_spawn(&mem[i], mem_worker, (uint64_t)(16 + i)), 0);
    for (int i = 0; i < OBJ_THREADS; i++)
        RT_EQ(rt_spawn(&obj[i], obj_worker, (uint64_t)(24 + i)), 0);
    uint64_t want = 0xffull | (0xfull << 16) | (0xfull << 24);
    RT_EQ(rt_wait_bits(stress_note, want) & want, want);
    for (int i = 0; i < IPC_SERVERS; i++) {
        struct mica_msg m = {0};
        m.tag = QUIT_TAG;
        RT_EQ(mica_call(stress_ep[i], &m), 0);
    }
    rt_wait_bits(stress_note, 0xfull << 32);
    rt_reap(cli, IPC_CLIENTS);
    rt_reap(srv, IPC_SERVERS);
    rt_reap(mem, MEM_THREADS);
    rt_reap(obj, OBJ_THREADS);
    for (int i = 0; i < IPC_SERVERS; i++)
        RT_EQ(mica_handle_close(stress_ep[i]), 0);
    RT_EQ(mica_handle_close(stress_note), 0);
    RT_EQ(atomic_load(&stress_errors), 0);
    rt_check_leaks(&before, SLACK_PAGES);
}

/* ---- wake-ups racing with going to sleep ---- */

#define RACE_PAIRS  1
#define RACE_ROUNDS 10000
static mica_handle_t race_turn[2 * RACE_PAIRS];

/* Thread `id` and its partner id ^ 1 pass the turn back and forth through notifications. */
static void race_taker(uint64_t id)
{
    uint64_t bad = 0;
    mica_handle_t mine = race_turn[id], theirs = race_turn[id ^ 1];
    for (int i = 0; i < RACE_ROUNDS; i++) {
        if ((id & 1) || i > 0)
            bad += mica_notify_wait(mine) != 1;
        mica_notify_signal(theirs, 1);
    }
    if (!(id & 1))
        bad += mica_notify_wait(mine) != 1; /* the partner's last turn */
    atomic_fetch_add(&stress_errors, bad);
    rt_signal_exit(stress_note, 1ull << id);
}

/*
 * Two threads wake each other 10000 times: each wake-up often comes while
 * the woken thread is still on its way to sleep on its CPU, and meanwhile
 * other CPUs go idle and look for work.  The woken thread must run exactly
 * once, in one place.
 *
 * This found a bug: an idle CPU took such a thread (READY, but still the
 * current thread of its CPU) into its own queue; its old CPU then queued it
 * again, and once it had ended, picked the dead thread ("thread: a dead
 * thread was scheduled").  steal_from() now leaves threads with on_cpu set.
 */
void test_stress_wakeup_race(void)
{
    struct mica_kernel_stats before;
    struct rt_thread t[2 * RACE_PAIRS];
    rt_stats(&before);
    atomic_store(&stress_errors, 0);
    stress_note = (mica_handle_t)mica_notify_create();
    for (int i = 0; i < 2 * RACE_PAIRS; i++)
        race_turn[i] = (mica_handle_t)mica_notify_create();
    for (int i = 0; i < 2 * RACE_PAIRS; i++)
        RT_EQ(rt_spawn(&t[i], race_taker, (uint64_t)i), 0);
    RT_EQ(rt_wait_bits(stress_note, (1u << (2 * RACE_PAIRS)) - 1), (1u << (2 * RACE_PAIRS)) - 1);
    RT_EQ(atomic_load(&stress_errors), 0);
    rt_reap(t, 2 * RACE_PAIRS);
    for (int i = 0; i < 2 * RACE_PAIRS; i++)
        RT_EQ(mica_handle_close(race_turn[i]), 0);
    RT_EQ(mica_handle_close(stress_note), 0);
    rt_check_leaks(&before, SLACK_PAGES);
}
