/*
 * i8042.c - initialising the keyboard controller (see i8042.h).  The steps
 * and the command bytes are those of the 8042's documentation (and of every
 * PC since): commands to port 0x64, their arguments and answers through
 * port 0x60.
 */
#include "i8042.h"
#include <clock.h>
#include <mica.h>
#include <portio.h>

#define CMD_READ_CONFIG   0x20
#define CMD_WRITE_CONFIG  0x60
#define CMD_DISABLE_PORT2 0xa7
#define CMD_SELF_TEST     0xaa /* answers 0x55 */
#define CMD_TEST_PORT1    0xab /* answers 0x00 */
#define CMD_DISABLE_PORT1 0xad
#define CMD_ENABLE_PORT1  0xae
#define SELF_TEST_OK      0x55

/* The configuration byte ("command byte"). */
#define CONFIG_IRQ1      0x01 /* interrupt when a keyboard byte arrives */
#define CONFIG_IRQ12     0x02 /* the same for port 2 */
#define CONFIG_PORT1_OFF 0x10 /* port 1's clock disabled */
#define CONFIG_PORT2_OFF 0x20
#define CONFIG_TRANSLATE 0x40 /* translate the keyboard's set 2 into set 1 */

/* Commands to the keyboard itself (through port 0x60). */
#define KBD_RESET        0xff /* answers 0xfa, then 0xaa when its self-test passed */
#define KBD_ENABLE_SCAN  0xf4 /* answers 0xfa */
#define KBD_ACK          0xfa
#define KBD_SELF_TEST_OK 0xaa

#define MS        1000000ull
#define WAIT_NS   (100 * MS)  /* a controller answers within microseconds */
#define RESET_NS  (1000 * MS) /* a keyboard's reset may take hundreds of milliseconds */
#define FLUSH_MAX 32

/* Wait until the controller has taken our last byte: 0, or -1 after the time limit. */
static int wait_input_empty(void)
{
    uint64_t deadline = mica_time_ns() + WAIT_NS;
    while (inb(I8042_STATUS) & I8042_STATUS_INPUT) {
        if (mica_time_ns() > deadline)
            return -1;
        mica_yield();
    }
    return 0;
}

/* Wait for a byte in the output buffer and read it: 0, or -1 after timeout_ns. */
static int read_data(uint8_t *v, uint64_t timeout_ns)
{
    uint64_t deadline = mica_time_ns() + timeout_ns;
    while (!(inb(I8042_STATUS) & I8042_STATUS_OUTPUT)) {
        if (mica_time_ns() > deadline)
            return -1;
        mica_yield();
    }
    *v = inb(I8042_DATA);
    return 0;
}

static int command(uint8_t cmd)
{
    if (wait_input_empty() < 0)
        return -1;
    outb(I8042_COMMAND, cmd);
    return 0;
}

/* A command with an argument byte. */
static int command_arg(uint8_t cmd, uint8_t arg)
{
    if (command(cmd) < 0 || wait_input_empty() < 0)
        return -1;
    outb(I8042_DATA, arg);
    return 0;
}

/* A command with an answer byte. */
static int command_read(uint8_t cmd, uint8_t *answer)
{
    return command(cmd) < 0 ? -1 : read_data(answer, WAIT_NS);
}

/* A byte to the keyboard; it answers with an acknowledgement. */
static int keyboard_command(uint8_t cmd)
{
    uint8_t ack = 0;
    if (wait_input_empty() < 0)
        return -1;
    outb(I8042_DATA, cmd);
    if (read_data(&ack, RESET_NS) < 0 || ack != KBD_ACK)
        return -1;
    return 0;
}

/* Throw away whatever waits in the output buffer. */
static void flush(void)
{
    for (int i = 0; i < FLUSH_MAX && (inb(I8042_STATUS) & I8042_STATUS_OUTPUT); i++)
        (void)inb(I8042_DATA);
}

int i8042_init(const char **why)
{
    uint8_t config, answer;
    *why = "disabling the ports";
    if (command(CMD_DISABLE_PORT1) < 0 || command(CMD_DISABLE_PORT2) < 0)
        return -1;
    flush();
    *why = "reading the configuration byte";
    if (command_read(CMD_READ_CONFIG, &config) < 0)
        return -1;
    /* no interrupts and no translation while we test */
    config &= (uint8_t) ~(CONFIG_IRQ1 | CONFIG_IRQ12 | CONFIG_TRANSLATE);
    *why = "writing the configuration byte";
    if (command_arg(CMD_WRITE_CONFIG, config) < 0)
        return -1;
    *why = "the controller's self-test";
    if (command_read(CMD_SELF_TEST, &answer) < 0 || answer != SELF_TEST_OK)
        return -1;
    *why = "the test of port 1";
    if (command_read(CMD_TEST_PORT1, &answer) < 0 || answer != 0)
        return -1;
    /* the self-test may have reset the configuration: write it whole, interrupts still off */
    config = CONFIG_PORT2_OFF | CONFIG_TRANSLATE;
    *why = "writing the configuration byte";
    if (command_arg(CMD_WRITE_CONFIG, config) < 0 || command(CMD_ENABLE_PORT1) < 0)
        return -1;
    uint8_t passed = 0;
    *why = "resetting the keyboard";
    if (keyboard_command(KBD_RESET) < 0 || read_data(&passed, RESET_NS) < 0 ||
        passed != KBD_SELF_TEST_OK)
        return -1;
    *why = "enabling the keyboard";
    if (keyboard_command(KBD_ENABLE_SCAN) < 0)
        return -1;
    flush();
    *why = "turning the interrupt on";
    return command_arg(CMD_WRITE_CONFIG, config | CONFIG_IRQ1);
}
