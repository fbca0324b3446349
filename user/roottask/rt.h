/*
 * rt.h - the root task's small test framework.
 */
#ifndef ROOTTASK_RT_H
#define ROOTTASK_RT_H

#include "../lib/mica.h"

extern unsigned rt_failed_checks;
extern mica_handle_t rt_self; /* the root task's own address space */

#define RT_CHECK(cond)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            mica_printf("  %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                 \
            rt_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

#define RT_EQ(a, b)                                                                                \
    do {                                                                                           \
        int64_t rt_a_ = (int64_t)(a), rt_b_ = (int64_t)(b);                                        \
        if (rt_a_ != rt_b_) {                                                                      \
            mica_printf("  %s:%d: check failed: %s == %s (%ld != %ld)\n", __FILE__, __LINE__, #a,  \
                        #b, rt_a_, rt_b_);                                                         \
            rt_failed_checks++;                                                                    \
        }                                                                                          \
    } while (0)

struct rt_test {
    const char *name;
    void (*fn)(void);
};

unsigned rt_run_all(mica_handle_t self);

#endif
