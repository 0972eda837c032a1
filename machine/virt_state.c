/* machine/virt_state.c: the whole virt machine's state as one stream. */
#include "machine/virt_state.h"

#include <string.h>

#include <stdio.h>
#include <stdlib.h>

#include "block/block.h"
#include "migration/pack.h"
#include "migration/stream.h"
#include "util/timer.h"

/* The board's own state. What the machine is (RAM, devices) the stream's
 * header says, and is checked before this section is read. */
typedef struct MachineHeader {
    uint64_t clock_ns; /* the virtual clock when saved */
} MachineHeader;

static const StateField header_fields[] = {
    STATE_UINT(MachineHeader, clock_ns),
    STATE_END,
};

static const StateDescription header_state = {
    .name = "virt",
    .c_type = "MachineHeader",
    .version = 2,
    .struct_size = sizeof(MachineHeader),
    .fields = header_fields,
};

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

void virt_stream_config(VirtMachine *m, char *out, size_t len)
{
    Device *devices[MAX_SAVED_DEVICES];
    unsigned n = saved_devices(m, devices);
    int at = snprintf(out, len,
                      "board=virt ram=%llu harts=1 devices=", (unsigned long long)m->opts.ram_size);
    for (unsigned i = 0; i < n && at > 0 && (size_t)at < len; i++)
        at += snprintf(out + at, len - (size_t)at, "%s%s", i ? "," : "", devices[i]->type->name);
}

/* One of "key=value" in a configuration text, into out. */
static void config_item(const char *config, const char *key, char *out, size_t len)
{
    size_t k = strlen(key);
    for (const char *p = config; p && *p; p = strchr(p, ' ')) {
        p += *p == ' ';
        if (strncmp(p, key, k) == 0 && p[k] == '=') {
            size_t n = strcspn(p + k + 1, " ");
            snprintf(out, len, "%.*s", (int)n, p + k + 1);
            return;
        }
    }
    snprintf(out, len, "?");
}

bool virt_check_config(VirtMachine *m, const char *config, char *err, size_t errlen)
{
    char ours[MIG_CONFIG_MAX];
    virt_stream_config(m, ours, sizeof(ours));
    if (strcmp(ours, config) == 0)
        return true;
    static const char *const keys[] = {"board", "ram", "harts", "devices"};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        char a[MIG_CONFIG_MAX], b[MIG_CONFIG_MAX];
        config_item(config, keys[i], a, sizeof(a));
        config_item(ours, keys[i], b, sizeof(b));
        if (strcmp(a, b) == 0)
            continue;
        if (strcmp(keys[i], "ram") == 0)
            snprintf(err, errlen, "the saved machine has %llu MiB of RAM, this one %llu MiB",
                     strtoull(a, NULL, 10) >> 20, strtoull(b, NULL, 10) >> 20);
        else
            snprintf(err, errlen, "the saved machine has %s %s, this one %s", keys[i], a, b);
        return false;
    }
    snprintf(err, errlen, "the saved machine is configured as '%s', this one as '%s'", config,
             ours);
    return false;
}

bool virt_save_devices(VirtMachine *m, StateBuffer *buf)
{
    Device *devices[MAX_SAVED_DEVICES];
    unsigned n = saved_devices(m, devices);
    MachineHeader header = {clock_virtual_ns()};
    state_save(buf, &header_state, &header);
    for (unsigned i = 0; i < n; i++)
        state_save(buf, devices[i]->type->state, devices[i]->state);
    for (unsigned h = 0; h < m->n_harts; h++)
        state_save(buf, &riscv_cpu_state, m->harts[h]);
    return !buf->failed;
}

bool virt_load_devices(VirtMachine *m, const uint8_t *data, size_t len, bool apply, char *err,
                       size_t errlen)
{
    Device *devices[MAX_SAVED_DEVICES];
    unsigned n = saved_devices(m, devices);
    size_t pos = 0;
    MachineHeader header;
    if (!state_load(data, len, &pos, &header_state, &header, err, errlen))
        return false;
    if (apply)
        clock_virtual_set(header.clock_ns);
    bool ok = true;
    for (unsigned i = 0; ok && i < n; i++)
        ok = apply ? state_load(data, len, &pos, devices[i]->type->state, devices[i]->state, err,
                                errlen)
                   : state_check(data, len, &pos, devices[i]->type->state, err, errlen);
    for (unsigned h = 0; ok && h < m->n_harts; h++)
        ok = apply ? state_load(data, len, &pos, &riscv_cpu_state, m->harts[h], err, errlen)
                   : state_check(data, len, &pos, &riscv_cpu_state, err, errlen);
    if (ok && pos != len) {
        snprintf(err, errlen, "the saved machine has %zu bytes more than this one takes",
                 len - pos);
        ok = false;
    }
    if (ok && apply) {
        /* RAM changed under the translated code. */
        tb_flush(&m->tb_cache);
        m->shutdown_requested = m->reset_requested = false;
    }
    return ok;
}

bool virt_save_state(VirtMachine *m, StateBuffer *buf, MigRamStats *stats)
{
    /* No request in flight: each is either not taken yet or answered. */
    block_drain_all();
    char config[MIG_CONFIG_MAX];
    virt_stream_config(m, config, sizeof(config));
    mig_put_header(buf, config);
    /* The machine is stopped: both cores compress. */
    MigPacker *packer = mig_packer_new(2);
    if (!packer)
        return false;
    uint32_t pages[MIG_RAM_BATCH];
    uint64_t n_pages = m->opts.ram_size / MIG_PAGE_SIZE;
    MigRamStats unused = {0};
    if (!stats)
        stats = &unused;
    for (uint64_t first = 0; first < n_pages && !buf->failed; first += MIG_RAM_BATCH) {
        unsigned n = n_pages - first < MIG_RAM_BATCH ? (unsigned)(n_pages - first) : MIG_RAM_BATCH;
        for (unsigned i = 0; i < n; i++)
            pages[i] = (uint32_t)(first + i);
        while (!mig_packer_submit(packer, m->ram->host, pages, n))
            mig_packer_collect(packer, buf, stats, MIG_PACKER_QUEUE - 1);
    }
    mig_packer_collect(packer, buf, stats, 0);
    mig_packer_free(packer);
    StateBuffer devices = {0};
    if (!virt_save_devices(m, &devices)) {
        state_buffer_free(&devices);
        return false;
    }
    mig_put_section(buf, MIG_SECTION_DEVICES, devices.data, devices.len);
    state_buffer_free(&devices);
    mig_put_end(buf, false);
    return !buf->failed;
}

/* The stream's sections in order, each checked or loaded. */
static bool walk_stream(VirtMachine *m, const uint8_t *data, size_t len, bool apply, char *err,
                        size_t errlen)
{
    char config[MIG_CONFIG_MAX];
    long got = mig_get_header(data, len, config, err, errlen);
    if (got == 0)
        snprintf(err, errlen, "the stream ends inside its header");
    if (got <= 0 || !virt_check_config(m, config, err, errlen))
        return false;
    size_t pos = (size_t)got;
    bool have_devices = false;
    for (;;) {
        MigSection section;
        got = mig_get_section(data + pos, len - pos, &section, err, errlen);
        if (got == 0)
            snprintf(err, errlen, "the stream ends before the machine is complete");
        if (got <= 0)
            return false;
        pos += (size_t)got;
        bool ok = true;
        switch (section.type) {
        case MIG_SECTION_RAM:
            ok = mig_load_ram(&section, apply ? m->ram->host : NULL, m->opts.ram_size, err, errlen);
            break;
        case MIG_SECTION_DEVICES:
            ok = virt_load_devices(m, section.payload, section.len, apply, err, errlen);
            have_devices = true;
            break;
        case MIG_SECTION_END:
            if (mig_end_running(&section, err, errlen) < 0)
                return false;
            if (!have_devices) {
                snprintf(err, errlen, "the stream ends without the devices' state");
                return false;
            }
            if (pos != len) {
                snprintf(err, errlen, "%zu bytes follow the stream's end", len - pos);
                return false;
            }
            return true;
        }
        if (!ok)
            return false;
    }
}

bool virt_check_state(VirtMachine *m, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    return walk_stream(m, data, len, false, err, errlen);
}

bool virt_load_state(VirtMachine *m, const uint8_t *data, size_t len, char *err, size_t errlen)
{
    if (!virt_check_state(m, data, len, err, errlen))
        return false;
    walk_stream(m, data, len, true, err, errlen);
    return true;
}
