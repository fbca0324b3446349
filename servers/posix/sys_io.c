/*
 * sys_io.c - read, write, writev and ioctl on the console (concepts: file
 * descriptors, the terminal as a file, copying through user pointers).
 *
 * This first version has no file table: descriptors 0, 1 and 2 are the
 * console service (idl/console.idl), 0 for reading and 1 and 2 for
 * writing, as if a terminal were open on them; every other descriptor is
 * EBADF.  Output goes in chunks of console.CHUNK bytes; if a chunk of the
 * program's buffer cannot be read, write returns what it wrote so far, or
 * -EFAULT if that is nothing (as Linux does for a terminal).
 */
#include "posix.h"
#include "syscalls.h"
#include "usercopy.h"
#include "console_client.h"
#include <mica/string.h>

#define IOV_MAX 1024 /* UIO_MAXIOV (linux/uio.h) */

/* termios bits (asm-generic/termbits.h and termbits-common.h) for a sensible terminal. */
#define T_ICRNL   0x100
#define T_IXON    0x400
#define T_OPOST   0x01
#define T_ONLCR   0x04
#define T_B115200 0x1002
#define T_CS8     0x30
#define T_CREAD   0x80
#define T_LFLAGS  (0x1 | 0x2 | 0x8 | 0x10 | 0x20 | 0x200 | 0x800 | 0x8000) /* ISIG ICANON ECHO.. */

/* The kernel's struct termios (asm-generic/termbits.h): what TCGETS writes, 36 bytes. */
struct linux_termios {
    uint32_t iflag, oflag, cflag, lflag;
    uint8_t line;
    uint8_t cc[19];
};

struct linux_winsize {
    uint16_t rows, cols, xpixel, ypixel;
};

struct linux_iovec {
    uint64_t base, len;
};

/* Write len bytes from the program's buf to the console: bytes written or -EFAULT. */
static int64_t write_from(struct process *p, uint64_t buf, uint64_t len)
{
    uint8_t chunk[CONSOLE_CHUNK];
    uint64_t done = 0;
    while (done < len) {
        uint64_t n = len - done < sizeof chunk ? len - done : sizeof chunk;
        if (user_read(&p->mem, chunk, buf + done, n) < 0)
            return done ? (int64_t)done : -LINUX_EFAULT;
        int64_t w = posix_console_write(chunk, n);
        if (w < 0)
            return done ? (int64_t)done : w;
        done += (uint64_t)w;
    }
    return (int64_t)done;
}

int64_t sys_write(struct process *p, const uint64_t *a)
{
    if (a[0] != 1 && a[0] != 2)
        return -LINUX_EBADF;
    return write_from(p, a[1], a[2]);
}

int64_t sys_writev(struct process *p, const uint64_t *a)
{
    int64_t cnt = (int64_t)a[2];
    if (a[0] != 1 && a[0] != 2)
        return -LINUX_EBADF;
    if (cnt < 0 || cnt > IOV_MAX)
        return -LINUX_EINVAL;
    static struct linux_iovec iov[IOV_MAX];
    if (user_read(&p->mem, iov, a[1], (uint64_t)cnt * sizeof iov[0]) < 0)
        return -LINUX_EFAULT;
    uint64_t total = 0;
    for (int64_t i = 0; i < cnt; i++) {
        if (iov[i].len > INT64_MAX - total)
            return -LINUX_EINVAL;
        total += iov[i].len;
    }
    int64_t done = 0;
    for (int64_t i = 0; i < cnt; i++) {
        int64_t w = write_from(p, iov[i].base, iov[i].len);
        if (w < 0)
            return done ? done : w;
        done += w;
        if ((uint64_t)w < iov[i].len)
            break;
    }
    return done;
}

/* read(0, buf, n): waits for at least one byte of console input, returns what has come. */
int64_t sys_read(struct process *p, const uint64_t *a)
{
    if (a[0] != 0)
        return -LINUX_EBADF;
    if (a[2] == 0)
        return 0;
    if (!regions_cover(&p->mem, a[1], a[1] + (a[2] < CONSOLE_CHUNK ? a[2] : CONSOLE_CHUNK),
                       LINUX_PROT_WRITE))
        return -LINUX_EFAULT;
    if (!posix.console.ep)
        return 0; /* no console: end of file */
    uint8_t data[CONSOLE_CHUNK];
    uint32_t n = 0;
    uint32_t max = a[2] < CONSOLE_CHUNK ? (uint32_t)a[2] : CONSOLE_CHUNK;
    if (console_read_r(&posix.console, max, true, data, &n) < 0)
        return -LINUX_EIO;
    if (user_write(&p->mem, a[1], data, n) < 0)
        return -LINUX_EFAULT;
    return n;
}

static int64_t tcgets(struct process *p, uint64_t arg)
{
    struct linux_termios t;
    memset(&t, 0, sizeof t);
    t.iflag = T_ICRNL | T_IXON;
    t.oflag = T_OPOST | T_ONLCR;
    t.cflag = T_B115200 | T_CS8 | T_CREAD;
    t.lflag = T_LFLAGS;
    /* VINTR ^C, VQUIT ^\, VERASE DEL, VKILL ^U, VEOF ^D, VTIME 0, VMIN 1, VSTART ^Q, VSTOP ^S,
     * VSUSP ^Z */
    const uint8_t cc[11] = {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a};
    memcpy(t.cc, cc, sizeof cc);
    return user_write(&p->mem, arg, &t, sizeof t);
}

int64_t sys_ioctl(struct process *p, const uint64_t *a)
{
    if (a[0] > 2)
        return -LINUX_EBADF;
    if ((uint32_t)a[1] == LINUX_TCGETS)
        return tcgets(p, a[2]);
    if ((uint32_t)a[1] == LINUX_TIOCGWINSZ) {
        struct linux_winsize w = {24, 80, 0, 0};
        return user_write(&p->mem, a[2], &w, sizeof w);
    }
    return -LINUX_ENOTTY;
}
