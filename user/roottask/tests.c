/*
 * tests.c - tests of the kernel's native system calls, run by the root task.
 * Every call is tried the right way and with each bad input it can get.
 *
 * This file has the simplest calls and the one table of all tests, in the
 * order they run; the others are in tests_*.c (see tests.h).
 */
#include "rt.h"
#include "tests.h"

/* The null call returns 0. */
static void test_null_syscall(void)
{
    RT_EQ(mica_syscall0(SYS_NULL), 0);
}

/* Numbers without a system call give ENOSYS. */
static void test_unknown_syscall(void)
{
    RT_EQ(mica_syscall0(SYS_COUNT), -MICA_ENOSYS);
    RT_EQ(mica_syscall0(1000000), -MICA_ENOSYS);
    RT_EQ(mica_syscall0((uint64_t)-1), -MICA_ENOSYS);
    RT_EQ(mica_syscall0(1ull << 32), -MICA_ENOSYS); /* not cut down to 32 bits */
}

/* Console output: bad pointers give EFAULT, more than 1024 bytes EINVAL. */
static void test_debug_write(void)
{
    RT_EQ(mica_write("", 0), 0);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, 0, 5), -MICA_EFAULT);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, 0xffff800000000000ull, 5), -MICA_EFAULT);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, (uint64_t) "x", 100000), -MICA_EINVAL);
}

/* The limits of console output: 1024 bytes pass, 1025 do not; a huge length is refused.
 * The 1024-byte line appears whole on the console, ending in "END." (the
 * system test roottask-smp1 looks for it). */
static void test_debug_write_limits(void)
{
    static char line[1025];
    static const char head[] = "  debug_write_limits: a line of 1024 bytes, ending in END:";
    for (int i = 0; i < 1024; i++)
        line[i] = i < (int)sizeof head - 1 ? head[i] : ' ';
    line[1019] = 'E';
    line[1020] = 'N';
    line[1021] = 'D';
    line[1022] = '.';
    line[1023] = '\n';
    RT_EQ(mica_write(line, 1024), 1024);
    mica_write("\n", 1); /* in case the line was cut short: the next one starts afresh */
    RT_EQ(mica_write(line, 1025), -MICA_EINVAL);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, (uint64_t)line, ~0ull), -MICA_EINVAL);
}

/* Console output from memory the caller may not read gives EFAULT. */
static void test_debug_write_bad_pointers(void)
{
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, RT_SCRATCH, 4), -MICA_EFAULT);      /* unmapped */
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, RT_USER_TOP - 2, 4), -MICA_EFAULT); /* past the end */
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, 0xffffffff80000000ull, 4), -MICA_EFAULT); /* kernel */
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, 0x8000000000000000ull, 4),
          -MICA_EFAULT); /* non-canonical */
    /* Starts in a mapped page, ends in an unmapped one. */
    int64_t v = mica_vmo_create(RT_PAGE);
    RT_EQ(mica_vm_map(rt_self, (mica_handle_t)v, 0, RT_SCRATCH, RT_PAGE, MICA_PROT_READ),
          RT_SCRATCH);
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, RT_SCRATCH + RT_PAGE - 2, 4), -MICA_EFAULT);
    /* A readable page is fine, even one never touched before (it holds zeros: prints nothing). */
    RT_EQ(mica_syscall2(SYS_DEBUG_WRITE, RT_SCRATCH, 16), 16);
    RT_EQ(mica_vm_unmap(rt_self, RT_SCRATCH, RT_PAGE), 0);
    RT_EQ(mica_handle_close((mica_handle_t)v), 0);
}

/* The clock runs forward, and a 10 ms sleep takes at least 10 ms of it. */
static void test_clock_ns(void)
{
    uint64_t a = mica_clock_ns(), b = mica_clock_ns();
    RT_CHECK(a > 0 && b >= a);
    RT_EQ(mica_sleep(10000000), 0);
    uint64_t c = mica_clock_ns();
    RT_CHECK(c - b >= 10000000);
    RT_CHECK(c - b < 10000000000ull); /* and not absurdly long */
}

const struct rt_test rt_tests[] = {
    /* basics */
    {"null_syscall", test_null_syscall},
    {"unknown_syscall", test_unknown_syscall},
    {"debug_write", test_debug_write},
    {"debug_write_limits", test_debug_write_limits},
    {"debug_write_bad_pointers", test_debug_write_bad_pointers},
    {"clock_ns", test_clock_ns},
    /* the kernel's entropy pool (tests_random.c) */
    {"random_get", test_random_get},
    {"random_get_bad_pointers", test_random_get_bad_pointers},
    {"entropy_add", test_entropy_add},
    {"entropy_add_keeps_secret", test_entropy_add_keeps_secret},
    /* handles (tests_handles.c) */
    {"handle_bad_values", test_handle_bad_values},
    {"handle_wide_values", test_handle_wide_values},
    {"handle_closed", test_handle_closed},
    {"handle_wrong_type", test_handle_wrong_type},
    {"handle_missing_right", test_handle_missing_right},
    {"handle_info_types", test_handle_info_types},
    {"handle_info_bad_pointers", test_handle_info_bad_pointers},
    {"handle_close_twice", test_handle_close_twice},
    {"handle_stale_generation", test_handle_stale_generation},
    {"handle_dup_rights", test_handle_dup_rights},
    {"handle_dup_same_object", test_handle_dup_same_object},
    {"kernel_stats_counts", test_kernel_stats_counts},
    {"kernel_stats_bad_pointers", test_kernel_stats_bad_pointers},
    {"kernel_stats_straddling", test_kernel_stats_straddling},
    {"handle_table_full", test_handle_table_full},
    {"handle_table_refill", test_handle_table_refill},
    /* memory (tests_memory.c) */
    {"vmo_create_sizes", test_vmo_create_sizes},
    {"vm_map_zero_filled", test_vm_map_zero_filled},
    {"vm_map_addresses", test_vm_map_addresses},
    {"vm_map_bad_ranges", test_vm_map_bad_ranges},
    {"vm_map_overlap", test_vm_map_overlap},
    {"vm_map_wx_refused", test_vm_map_wx_refused},
    {"vm_map_vmo_rights", test_vm_map_vmo_rights},
    {"vm_map_shared", test_vm_map_shared},
    {"vm_mapping_keeps_vmo", test_vm_mapping_keeps_vmo},
    {"vm_unmap_partial", test_vm_unmap_partial},
    {"vm_unmap_bad_ranges", test_vm_unmap_bad_ranges},
    {"vm_protect_basic", test_vm_protect_basic},
    {"vm_protect_none_keeps_data", test_vm_protect_none_keeps_data},
    {"vm_protect_split", test_vm_protect_split},
    {"vm_protect_errors", test_vm_protect_errors},
    {"vm_protect_unknown_bits", test_vm_protect_unknown_bits},
    {"vm_protect_respects_vmo_rights", test_vm_protect_respects_vmo_rights},
    {"vm_map_exec", test_vm_map_exec},
    {"vm_protect_exec", test_vm_protect_exec},
    {"vmo_demand_paging", test_vmo_demand_paging},
    {"vmo_pages_freed", test_vmo_pages_freed},
    /* threads and address spaces (tests_threads.c) */
    {"thread_create_bad_addresses", test_thread_create_bad_addresses},
    {"thread_start_twice", test_thread_start_twice},
    {"thread_unstarted", test_thread_unstarted},
    {"thread_arg_and_stack", test_thread_arg_and_stack},
    {"thread_yield", test_thread_yield},
    {"thread_handle_closed_early", test_thread_handle_closed_early},
    {"threads_parallel", test_threads_parallel},
    {"registers_kept_by_syscalls", test_registers_kept_by_syscalls},
    {"registers_kept_by_preemption", test_registers_kept_by_preemption},
    {"aspace_create_close", test_aspace_create_close},
    /* faults (tests_faults.c) */
    {"fault_null_read", test_fault_null_read},
    {"fault_null_write", test_fault_null_write},
    {"fault_null_call", test_fault_null_call},
    {"fault_write_readonly", test_fault_write_readonly},
    {"fault_write_code", test_fault_write_code},
    {"fault_read_unmapped", test_fault_read_unmapped},
    {"fault_read_prot_none", test_fault_read_prot_none},
    {"fault_exec_data", test_fault_exec_data},
    {"fault_exec_readonly", test_fault_exec_readonly},
    {"fault_hlt", test_fault_hlt},
    {"fault_cli", test_fault_cli},
    {"fault_port_in", test_fault_port_in},
    {"fault_port_out", test_fault_port_out},
    {"fault_read_cr3", test_fault_read_cr3},
    {"fault_write_cr0", test_fault_write_cr0},
    {"fault_rdmsr", test_fault_rdmsr},
    {"fault_wrmsr", test_fault_wrmsr},
    {"fault_lidt", test_fault_lidt},
    {"fault_invlpg", test_fault_invlpg},
    {"fault_swapgs", test_fault_swapgs},
    {"fault_sysret", test_fault_sysret},
    {"fault_divide_by_zero", test_fault_divide_by_zero},
    {"fault_divide_overflow", test_fault_divide_overflow},
    {"fault_invalid_opcode", test_fault_invalid_opcode},
    {"fault_breakpoint", test_fault_breakpoint},
    {"fault_int_0x80", test_fault_int_0x80},
    {"fault_int_timer_vector", test_fault_int_timer_vector},
    {"fault_kernel_read", test_fault_kernel_read},
    {"fault_kernel_write", test_fault_kernel_write},
    {"fault_kernel_jump", test_fault_kernel_jump},
    {"fault_noncanonical", test_fault_noncanonical},
    {"fault_stack_overflow", test_fault_stack_overflow},
    {"fault_single_step", test_fault_single_step},
    {"fault_iret_to_kernel", test_fault_iret_to_kernel},
    {"fault_kernel_segment", test_fault_kernel_segment},
    {"fault_far_jump_kernel", test_fault_far_jump_kernel},
    {"fault_syscall_at_top", test_fault_syscall_at_top},
    {"fault_many", test_fault_many},
    /* IPC (tests_ipc.c) */
    {"ipc_reply_without_caller", test_ipc_reply_without_caller},
    {"ipc_send_recv", test_ipc_send_recv},
    {"ipc_send_waits_for_receiver", test_ipc_send_waits_for_receiver},
    {"ipc_call_reply", test_ipc_call_reply},
    {"ipc_pingpong", test_ipc_pingpong},
    {"ipc_pingpong_send_recv", test_ipc_pingpong_send_recv},
    {"ipc_two_clients", test_ipc_two_clients},
    {"ipc_send_only_handle", test_ipc_send_only_handle},
    {"ipc_server_exit_epipe", test_ipc_server_exit_epipe},
    {"ipc_server_fault_epipe", test_ipc_server_fault_epipe},
    {"ipc_close_wakes_receiver", test_ipc_close_wakes_receiver},
    {"ipc_close_wakes_caller", test_ipc_close_wakes_caller},
    {"ipc_close_wakes_sender", test_ipc_close_wakes_sender},
    {"ipc_close_one_of_two_handles", test_ipc_close_one_of_two_handles},
    {"ipc_queued_senders", test_ipc_queued_senders},
    {"ipc_reserved_tag_bits", test_ipc_reserved_tag_bits},
    {"ipc_transfer_same_handle_twice", test_ipc_transfer_same_handle_twice},
    /* notifications (tests_notify.c) */
    {"notify_poll", test_notify_poll},
    {"notify_signal_ors", test_notify_signal_ors},
    {"notify_wait_blocks", test_notify_wait_blocks},
    {"notify_zero_signal", test_notify_zero_signal},
    {"notify_second_waiter_busy", test_notify_second_waiter_busy},
    {"notify_close_wakes_waiter", test_notify_close_wakes_waiter},
    {"notify_rights", test_notify_rights},
    {"notify_all_bits", test_notify_all_bits},
    {"notify_pingpong", test_notify_pingpong},
    /* stress, on every CPU (tests_stress.c) */
    {"stress_ipc", test_stress_ipc},
    {"stress_memory", test_stress_memory},
    {"stress_tlb_unmap", test_stress_tlb_unmap},
    {"stress_tlb_protect", test_stress_tlb_protect},
    {"stress_objects", test_stress_objects},
    {"stress_thread_churn", test_stress_thread_churn},
    {"stress_mixed", test_stress_mixed},
    {"stress_wakeup_race", test_stress_wakeup_race},
};
const unsigned rt_test_count = sizeof rt_tests / sizeof rt_tests[0];

/*
 * Tests that run after all others, because a kernel bug they find can take
 * the whole machine down: threads in address spaces of their own, whose page
 * tables are freed when the space dies (see test_aspace_teardown_repeated;
 * such a bug reset the machine in test_aspace_isolation once).
 */
const struct rt_test rt_late_tests[] = {
    {"aspace_foreign_thread", test_aspace_foreign_thread},
    {"aspace_isolation", test_aspace_isolation},
    {"aspace_kept_by_thread", test_aspace_kept_by_thread},
    {"aspace_teardown_repeated", test_aspace_teardown_repeated},
    {"aspace_handles_are_per_process", test_aspace_handles_are_per_process},
    {"aspace_halt_needs_root", test_aspace_halt_needs_root},
};
const unsigned rt_late_test_count = sizeof rt_late_tests / sizeof rt_late_tests[0];
