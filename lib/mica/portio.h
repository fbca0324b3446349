/*
 * portio.h - the x86 I/O port instructions for drivers (concept: port I/O,
 * the PC's second address space for device registers, next to memory-mapped
 * I/O).
 *
 * `in` and `out` work in user mode only on ports the kernel opened in the
 * process's I/O permission bitmap (the manifest's ioports=, docs/servers.md);
 * any other port raises a general protection fault, which the supervisor
 * sees as the driver's crash.
 */
#ifndef MICA_PORTIO_H
#define MICA_PORTIO_H

#include <stdint.h>

static inline uint8_t inb(uint16_t port)
{
    uint8_t v;
    __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outb(uint16_t port, uint8_t v)
{
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint16_t inw(uint16_t port)
{
    uint16_t v;
    __asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
    return v;
}

static inline void outw(uint16_t port, uint16_t v)
{
    __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

#endif
