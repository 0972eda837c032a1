/* hw/misc/htif.c: the Spike host-target interface that bare-metal test
 * suites use: a guest write to the tohost word ends the run or prints. */
#include "hw/misc/htif.h"

#include <string.h>

#include "util/log.h"

#define HTIF_DEV_SYSCALL 0
#define HTIF_DEV_CONSOLE 1
#define HTIF_CONSOLE_PUTCHAR 1

bool htif_init(Htif *htif, AddressSpace *as, uint64_t tohost, uint64_t fromhost, FILE *console,
               PowerControl power)
{
    *htif = (Htif){
        .as = as, .tohost = tohost, .fromhost = fromhost, .console = console, .power = power};
    MemoryRegion *r = memory_find(as, tohost);
    if (!r || !r->page_flags || !region_contains(r, tohost, 8))
        return false;
    memory_set_page_flag(r, tohost, PAGE_WATCHED);
    return true;
}

/* Writes a word without going through the store hooks (which would call
 * back into the device). */
static void poke(Htif *htif, uint64_t paddr, uint64_t value)
{
    uint8_t *p = memory_host_ptr(htif->as, paddr, 8);
    if (p)
        memcpy(p, &value, 8);
}

void htif_store(Htif *htif, uint64_t paddr, unsigned size)
{
    /* Like QEMU, act when the upper half is written: a 64-bit store, or the
     * second of two 32-bit ones. */
    if (paddr + size <= htif->tohost + 4 || paddr >= htif->tohost + 8)
        return;
    uint64_t value;
    if (!memory_read(htif->as, htif->tohost, 8, &value) || value == 0)
        return;
    unsigned device = (unsigned)(value >> 56);
    unsigned command = (unsigned)(value >> 48) & 0xff;
    uint64_t payload = value & ((1ull << 48) - 1);
    uint64_t response = 0;

    if (device == HTIF_DEV_SYSCALL && command == 0 && (payload & 1)) {
        htif->power.shutdown(htif->power.opaque, (int)(payload >> 1));
        return;
    }
    if (device == HTIF_DEV_CONSOLE && command == HTIF_CONSOLE_PUTCHAR) {
        fputc((int)(payload & 0xff), htif->console);
        fflush(htif->console);
        response = 0x100 | (payload & 0xff);
    } else {
        log_guest_error("htif: unsupported request 0x%016llx\n", (unsigned long long)value);
    }
    /* As QEMU does: acknowledge in fromhost and clear tohost. */
    poke(htif, htif->tohost, 0);
    if (htif->fromhost)
        poke(htif, htif->fromhost, (value >> 48 << 48) | response);
}

/* ---- Device type ---- */

static bool htif_realize(Device *dev, const DeviceContext *ctx, char *err, size_t errlen)
{
    uint64_t tohost = device_prop_uint(dev, "tohost");
    uint64_t fromhost = device_prop_uint(dev, "fromhost");
    if (!htif_init(dev->state, ctx->as, tohost, fromhost, stdout, ctx->power)) {
        snprintf(err, errlen, "htif: tohost at 0x%llx is not in guest RAM",
                 (unsigned long long)tohost);
        return false;
    }
    return true;
}

static const DeviceProperty htif_props[] = {
    {.name = "tohost",
     .type = PROP_UINT,
     .default_value = NULL,
     .help = "guest address of the tohost word",
     .required = true},
    {.name = "fromhost",
     .type = PROP_UINT,
     .default_value = "0",
     .help = "guest address of the fromhost word (0: none)"},
    {0},
};

/* The words' addresses come from the program loaded, as properties. */
static const StateField htif_fields[] = {STATE_END};

static const StateField htif_unsaved[] = {
    STATE_UNSAVED(Htif, as),      STATE_UNSAVED(Htif, tohost), STATE_UNSAVED(Htif, fromhost),
    STATE_UNSAVED(Htif, console), STATE_UNSAVED(Htif, power),  STATE_END,
};

static const StateDescription htif_state = {
    .name = "riscv.htif",
    .c_type = "Htif",
    .version = 1,
    .struct_size = sizeof(Htif),
    .fields = htif_fields,
    .unsaved = htif_unsaved,
};

/* Not in the board table: it exists when the program that runs first
 * defines tohost, as the bare-metal test suites' programs do. */
const DeviceType htif_type = {
    .name = "riscv.htif",
    .desc = "Spike host-target interface (tohost/fromhost)",
    .state_size = sizeof(Htif),
    .props = htif_props,
    .realize = htif_realize,
    .state = &htif_state,
};
