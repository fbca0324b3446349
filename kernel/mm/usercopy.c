/*
 * usercopy.c - moving data between the kernel and user memory safely
 * (concept: protection at the system-call boundary).
 *
 * A user pointer is checked to lie wholly in the user half, then the copy
 * runs through copy_user_bytes (probe.S), whose faults are caught: a page
 * not yet present is filled in by demand paging, anything else makes the
 * copy return -EFAULT.  So a bad pointer costs the caller an error, never
 * the kernel its life.
 */
#include <mica/aspace.h>
#include <mica/errno.h>

int copy_user_bytes(void *dst, const void *src, uint64_t len);

static bool user_range(uint64_t addr, uint64_t len)
{
    return addr < ASPACE_USER_TOP && len <= ASPACE_USER_TOP - addr;
}

int copy_from_user(void *dst, uint64_t src, uint64_t len)
{
    if (len == 0)
        return 0;
    if (!user_range(src, len))
        return -EFAULT;
    return copy_user_bytes(dst, (const void *)src, len);
}

int copy_to_user(uint64_t dst, const void *src, uint64_t len)
{
    if (len == 0)
        return 0;
    if (!user_range(dst, len))
        return -EFAULT;
    return copy_user_bytes((void *)dst, src, len);
}
