/* machine/virt_state.c: the whole virt machine's state as one stream. */
#include "machine/virt_state.h"

#include <string.h>

#include "block/block.h"
#include "util/timer.h"

/* What the rest of the stream is checked against. */
typedef struct MachineHeader {
    uint64_t ram_size;
    uint64_t clock_ns; /* the virtual clock when saved */
    uint32_t n_devices;
} MachineHeader;

static const StateField header_fields[] = {
    STATE_UINT(MachineHeader, ram_size),
    STATE_UINT(MachineHeader, clock_ns),
    STATE_UINT(MachineHeader, n_devices),
    STATE_END,
};

static const StateDescription header_state = {
    .name = "virt",
    .c_type = "MachineHeader",
    .version = 1,
    .struct_size = sizeof(MachineHeader),
    .fields = header_fields,
};

/* RAM as one section of page-sized elements. */
#define RAM_PAGE 4096u

typedef struct RamDescription {
    StateField fields[2];
    StateDescription desc;
} RamDescription;

static void ram_description(RamDescription *r, uint64_t ram_size)
{
    r->fields[0] = (StateField){.name = "pages",
                                .kind = FIELD_BYTES,
                                .offset = 0,
                                .size = RAM_PAGE,
                                .count = (size_t)(ram_size / RAM_PAGE)};
    r->fields[1] = (StateField)STATE_END;
    r->desc = (StateDescription){
        .name = "ram", .c_type = "-", .version = 1, .struct_size = ram_size, .fields = r->fields};
}

/* Every device with state, in a fixed order: the board's table, the
 * command line's devices, HTIF. */
static unsigned saved_devices(VirtMachine *m, Device **out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < m->n_devices; i++)
        out[n++] = m->devices[i];
    for (unsigned i = 0; i < m->user.n; i++)
        out[n++] = m->user.dev[i];
    if (m->htif)
        out[n++] = m->htif;
    return n;
}

#define MAX_SAVED_DEVICES (VIRT_MAX_BOARD_DEVICES + EMBER_MAX_DEVICES + 1)

bool virt_save_state(VirtMachine *m, StateBuffer *buf)
{
    /* No request in flight: each is either not taken yet or answered. */
    block_drain_all();
    Device *devices[MAX_SAVED_DEVICES];
    unsigned n = saved_devices(m, devices);
    MachineHeader header = {m->opts.ram_size, clock_virtual_ns(), n};
    state_save(buf, &header_state, &header);
    RamDescription ram;
    ram_description(&ram, m->opts.ram_size);
    state_save(buf, &ram.desc, m->ram->host);
    for (unsigned i = 0; i < n; i++)
        state_save(buf, devices[i]->type->state, devices[i]->state);
    state_save(buf, &riscv_cpu_state, m->cpu);
    return !buf->failed;
}

/* The stream's sections in order, each checked (object NULL) or loaded. */
static bool walk_stream(VirtMachine *m, const uint8_t *data, size_t len, bool apply, char *err,
                        size_t errlen)
{
    Device *devices[MAX_SAVED_DEVICES];
    unsigned n = saved_devices(m, devices);
    size_t pos = 0;
    MachineHeader header;
    if (!state_load(data, len, &pos, &header_state, &header, err, errlen))
        return false;
    if (header.ram_size != m->opts.ram_size || header.n_devices != n) {
        snprintf(err, errlen,
                 "the saved machine has %llu MiB of RAM and %u devices; this one %llu MiB and %u",
                 (unsigned long long)(header.ram_size >> 20), header.n_devices,
                 (unsigned long long)(m->opts.ram_size >> 20), n);
        return false;
    }
    RamDescription ram;
    ram_description(&ram, m->opts.ram_size);
    if (apply)
        clock_virtual_set(header.clock_ns);
    bool ok = apply ? state_load(data, len, &pos, &ram.desc, m->ram->host, err, errlen)
                    : state_check(data, len, &pos, &ram.desc, err, errlen);
    for (unsigned i = 0; ok && i < n; i++)
        ok = apply ? state_load(data, len, &pos, devices[i]->type->state, devices[i]->state, err,
                                errlen)
                   : state_check(data, len, &pos, devices[i]->type->state, err, errlen);
    if (ok)
        ok = apply ? state_load(data, len, &pos, &riscv_cpu_state, m->cpu, err, errlen)
                   : state_check(data, len, &pos, &riscv_cpu_state, err, errlen);
    if (ok && pos != len) {
        snprintf(err, errlen, "the saved machine has %zu bytes more than this one takes",
                 len - pos);
        ok = false;
    }
    return ok;
}

bool virt_load_state(VirtMachine *m, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    if (!walk_stream(m, data, len, false, err, errlen))
        return false;
    walk_stream(m, data, len, true, err, errlen);
    /* RAM changed under the translated code. */
    tb_flush(&m->tb_cache);
    m->shutdown_requested = m->reset_requested = false;
    return true;
}
