/*
 * tests.h - the tests in tests_*.c, listed in the table in tests.c.
 */
#ifndef ROOTTASK_TESTS_H
#define ROOTTASK_TESTS_H

/* tests_handles.c */
void test_handle_bad_values(void);
void test_handle_wide_values(void);
void test_handle_closed(void);
void test_handle_wrong_type(void);
void test_handle_missing_right(void);
void test_handle_info_types(void);
void test_handle_info_bad_pointers(void);
void test_handle_close_twice(void);
void test_handle_stale_generation(void);
void test_handle_dup_rights(void);
void test_handle_dup_same_object(void);
void test_kernel_stats_counts(void);
void test_kernel_stats_bad_pointers(void);
void test_kernel_stats_straddling(void);
void test_handle_table_full(void);
void test_handle_table_refill(void);

/* tests_random.c */
void test_random_get(void);
void test_random_get_bad_pointers(void);
void test_entropy_add(void);
void test_entropy_add_keeps_secret(void);

/* tests_memory.c */
void test_vmo_create_sizes(void);
void test_vm_map_zero_filled(void);
void test_vm_map_addresses(void);
void test_vm_map_bad_ranges(void);
void test_vm_map_overlap(void);
void test_vm_map_wx_refused(void);
void test_vm_map_vmo_rights(void);
void test_vm_map_shared(void);
void test_vm_mapping_keeps_vmo(void);
void test_vm_unmap_partial(void);
void test_vm_unmap_bad_ranges(void);
void test_vm_protect_basic(void);
void test_vm_protect_none_keeps_data(void);
void test_vm_protect_split(void);
void test_vm_protect_errors(void);
void test_vm_protect_unknown_bits(void);
void test_vm_protect_respects_vmo_rights(void);
void test_vm_map_exec(void);
void test_vm_protect_exec(void);
void test_vmo_demand_paging(void);
void test_vmo_pages_freed(void);

/* tests_threads.c */
void test_thread_create_bad_addresses(void);
void test_thread_start_twice(void);
void test_thread_unstarted(void);
void test_thread_arg_and_stack(void);
void test_thread_yield(void);
void test_thread_handle_closed_early(void);
void test_threads_parallel(void);
void test_registers_kept_by_syscalls(void);
void test_registers_kept_by_preemption(void);
void test_aspace_create_close(void);
void test_aspace_foreign_thread(void);
void test_aspace_isolation(void);
void test_aspace_kept_by_thread(void);
void test_aspace_teardown_repeated(void);
void test_aspace_handles_are_per_process(void);
void test_aspace_halt_needs_root(void);

/* tests_faults.c */
void test_fault_null_read(void);
void test_fault_null_write(void);
void test_fault_null_call(void);
void test_fault_write_readonly(void);
void test_fault_write_code(void);
void test_fault_read_unmapped(void);
void test_fault_read_prot_none(void);
void test_fault_exec_data(void);
void test_fault_exec_readonly(void);
void test_fault_hlt(void);
void test_fault_cli(void);
void test_fault_port_in(void);
void test_fault_port_out(void);
void test_fault_read_cr3(void);
void test_fault_write_cr0(void);
void test_fault_rdmsr(void);
void test_fault_wrmsr(void);
void test_fault_lidt(void);
void test_fault_invlpg(void);
void test_fault_swapgs(void);
void test_fault_sysret(void);
void test_fault_divide_by_zero(void);
void test_fault_divide_overflow(void);
void test_fault_invalid_opcode(void);
void test_fault_breakpoint(void);
void test_fault_int_0x80(void);
void test_fault_int_timer_vector(void);
void test_fault_kernel_read(void);
void test_fault_kernel_write(void);
void test_fault_kernel_jump(void);
void test_fault_noncanonical(void);
void test_fault_stack_overflow(void);
void test_fault_single_step(void);
void test_fault_iret_to_kernel(void);
void test_fault_kernel_segment(void);
void test_fault_far_jump_kernel(void);
void test_fault_syscall_at_top(void);
void test_fault_many(void);

/* tests_ipc.c */
void test_ipc_reply_without_caller(void);
void test_ipc_send_recv(void);
void test_ipc_send_waits_for_receiver(void);
void test_ipc_call_reply(void);
void test_ipc_pingpong(void);
void test_ipc_pingpong_send_recv(void);
void test_ipc_two_clients(void);
void test_ipc_send_only_handle(void);
void test_ipc_server_exit_epipe(void);
void test_ipc_server_fault_epipe(void);
void test_ipc_close_wakes_receiver(void);
void test_ipc_close_wakes_caller(void);
void test_ipc_close_wakes_sender(void);
void test_ipc_close_one_of_two_handles(void);
void test_ipc_queued_senders(void);
void test_ipc_transfer_same_handle_twice(void);
void test_ipc_reserved_tag_bits(void);

/* tests_notify.c */
void test_notify_poll(void);
void test_notify_signal_ors(void);
void test_notify_wait_blocks(void);
void test_notify_zero_signal(void);
void test_notify_second_waiter_busy(void);
void test_notify_close_wakes_waiter(void);
void test_notify_rights(void);
void test_notify_all_bits(void);
void test_notify_pingpong(void);

/* tests_stress.c */
void test_stress_ipc(void);
void test_stress_memory(void);
void test_stress_tlb_unmap(void);
void test_stress_tlb_protect(void);
void test_stress_objects(void);
void test_stress_thread_churn(void);
void test_stress_mixed(void);
void test_stress_wakeup_race(void);

#endif
