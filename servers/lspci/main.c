/*
 * main.c - lspci, the device manager's command-line tool: lists every PCI
 * function devmgr found, how it interrupts and which driver holds it.  It
 * needs `uses=devmgr` in its manifest line.
 */
#include <mica.h>
#include <runtime.h>
#include <server.h>
#include <thread.h>
#include "devmgr_client.h"

static const char *irq_kind(uint32_t kind)
{
    if (kind == DEVMGR_IRQ_MSIX)
        return "MSI-X";
    if (kind == DEVMGR_IRQ_MSI)
        return "MSI";
    return "-";
}

int main(const struct mica_server_start *st)
{
    mica_handle_t dm = mica_start_handle(st, "devmgr");
    if (mica_runtime_init(mica_start_handle(st, "self")) < 0 || !dm) {
        mica_printf("lspci: needs uses=devmgr\n");
        return 1;
    }
    struct mica_ipc_buffer *ipc = mica_thread_ipc_buffer();
    uint32_t n;
    int err = ipc ? devmgr_count(dm, ipc, &n) : -MICA_ENOMEM;
    if (err < 0) {
        mica_printf("lspci: cannot ask the device manager (error %d)\n", err);
        return 1;
    }
    mica_printf("lspci: %-8s %-9s %-6s %-6s %s\n", "address", "id", "class", "irq", "driver");
    for (uint32_t i = 0; i < n; i++) {
        uint32_t bus, slot, fn, vendor, device, cls, kind, vectors;
        char holder[DEVMGR_NAME_MAX];
        err = devmgr_info(dm, ipc, i, &bus, &slot, &fn, &vendor, &device, &cls, &kind, &vectors,
                          holder);
        if (err < 0) {
            mica_printf("lspci: function %u: error %d\n", i, err);
            return 1;
        }
        mica_printf("lspci: %02x:%02x.%x  %04x:%04x %06x %-5s%c %s\n", bus, slot, fn, vendor,
                    device, cls, irq_kind(kind), vectors ? (char)('0' + vectors) : ' ',
                    holder[0] ? holder : "-");
    }
    return 0;
}
