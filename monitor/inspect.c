/* monitor/inspect.c: the commands that look inside the machine: the
 * registers, guest memory (x, xp, memsave, pmemsave), the address space
 * (info mtree), the devices (info qtree), the page tables (info mem, info
 * tlb), a whole-memory ELF core (dump-guest-memory); and the debugging
 * switches (gdbserver, log, logfile). */
#define _GNU_SOURCE /* open_memstream */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cpu/riscv/dump.h"
#include "cpu/riscv/mmu.h"
#include "monitor/elfcore.h"
#include "monitor/monitor_internal.h"
#include "util/log.h"

/* ---- Registers and page tables ---- */

static RiscvCpu *hart(MonitorCall *c, long long index)
{
    return index >= 0 && index < (long long)c->set->t.n_harts ? c->set->t.harts[index] : NULL;
}

static void cmd_info_registers(MonitorCall *c)
{
    bool all = arg_bool(c, "all");
    long long only = arg_int(c, "vcpu", c->set->cpu);
    if (!hart(c, only)) {
        monitor_error(c, "GenericError", "CPU#%lld not available", only);
        return;
    }
    for (unsigned i = 0; i < c->set->t.n_harts; i++) {
        if (!all && i != only)
            continue;
        const RiscvCpu *cpu = c->set->t.harts[i];
        strbuf_printf(c->out, "\nCPU#%u\n", i);
        riscv_cpu_dump_state(cpu, c->out, true);
        /* QEMU 7.2 leaves the privilege level out; a person asks for it
         * first, so it closes ember's dump. */
        strbuf_printf(c->out, " priv     %s\n",
                      cpu->priv == PRV_M   ? "M (machine)"
                      : cpu->priv == PRV_S ? "S (supervisor)"
                                           : "U (user)");
    }
}

static void cmd_info_mem(MonitorCall *c)
{
    riscv_dump_page_tables(c->set->t.harts[c->set->cpu], c->out);
}

/* ---- Guest memory ---- */

typedef struct MemoryView {
    MonitorSet *set;
    RiscvCpu *cpu; /* NULL: physical addresses */
} MemoryView;

static bool read_guest(void *opaque, uint64_t addr, uint8_t *buf, size_t len)
{
    MemoryView *v = opaque;
    AddressSpace *as = v->set->t.as;
    for (size_t i = 0; i < len; i++) {
        uint64_t paddr = addr + i, value;
        if (v->cpu && !riscv_debug_translate(v->cpu, addr + i, &paddr))
            return false;
        if (!memory_read(as, paddr, 1, &value))
            return false;
        buf[i] = (uint8_t)value;
    }
    return true;
}

static void memory_dump(MonitorCall *c, bool physical)
{
    MonitorSet *set = c->set;
    MemDumpFormat fmt = set->last_format;
    char err[200];
    /* Without a format: the last format and size, one unit (QEMU's). */
    if (!memdump_parse_format(arg_str(c, "format"), &fmt, err, sizeof(err))) {
        monitor_error(c, "GenericError", "%s", err);
        return;
    }
    uint64_t addr = (uint64_t)arg_int(c, "addr", 0);
    MemoryView view = {set, physical ? NULL : set->t.harts[set->cpu]};
    memdump(c->out, &fmt, addr, physical, read_guest, &view);
    set->last_format = fmt;
}

static void cmd_x(MonitorCall *c)
{
    memory_dump(c, false);
}

static void cmd_xp(MonitorCall *c)
{
    memory_dump(c, true);
}

/* Writes len bytes from the guest at addr to a new file, through a
 * temporary file renamed into place: a failure leaves nothing behind. */
static void save_memory(MonitorCall *c, RiscvCpu *cpu)
{
    long long addr = arg_int(c, "val", 0), size = arg_int(c, "size", 0);
    const char *path = arg_str(c, "filename");
    if (size < 0) {
        monitor_error(c, "GenericError", "Invalid size %lld", size);
        return;
    }
    char tmp[4200];
    snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        monitor_error(c, "GenericError", "Could not open '%s': %s", path, strerror(errno));
        return;
    }
    MemoryView view = {c->set, cpu};
    uint8_t buf[4096];
    bool ok = true;
    for (long long done = 0; ok && done < size;) {
        size_t n = size - done < (long long)sizeof(buf) ? (size_t)(size - done) : sizeof(buf);
        if (!read_guest(&view, (uint64_t)addr + (uint64_t)done, buf, n)) {
            monitor_error(c, "GenericError", "Invalid addr 0x%016llx/size %lld specified",
                          (unsigned long long)addr, size);
            ok = false;
        } else if (write(fd, buf, n) != (ssize_t)n) {
            monitor_error(c, "GenericError", "writing memory to '%s' failed", path);
            ok = false;
        }
        done += (long long)n;
    }
    if (close(fd) != 0 && ok) {
        monitor_error(c, "GenericError", "writing memory to '%s' failed", path);
        ok = false;
    }
    if (ok && rename(tmp, path) != 0) {
        monitor_error(c, "GenericError", "Could not open '%s': %s", path, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(tmp);
}

static void cmd_memsave(MonitorCall *c)
{
    long long index = arg_int(c, "cpu-index", c->set->cpu);
    RiscvCpu *cpu = hart(c, index);
    if (!cpu) {
        monitor_error(c, "GenericError", "CPU %lld is not present", index);
        return;
    }
    save_memory(c, cpu);
}

static void cmd_pmemsave(MonitorCall *c)
{
    save_memory(c, NULL);
}

static uint64_t ram_bytes(const AddressSpace *as)
{
    uint64_t total = 0;
    for (int i = 0; i < as->count; i++)
        if (as->regions[i].host && !as->regions[i].readonly)
            total += as->regions[i].size;
    return total;
}

static void cmd_dump_guest_memory(MonitorCall *c)
{
    const char *protocol = arg_str(c, "protocol");
    const char *path = arg_str(c, "filename");
    if (protocol) {
        if (strncmp(protocol, "file:", 5) != 0) {
            monitor_error(c, "GenericError",
                          "Invalid parameter 'protocol' (ember writes file:PATH only)");
            return;
        }
        path = protocol + 5;
    }
    if (arg_bool(c, "paging") || json_object_get(c->args, "begin") ||
        json_object_get(c->args, "length")) {
        monitor_error(c, "GenericError",
                      "ember dumps all of guest RAM by physical address (no paging, begin or "
                      "length)");
        return;
    }
    const char *format = arg_str(c, "format");
    if (format && strcmp(format, "elf") != 0) {
        monitor_error(c, "GenericError", "unsupported dump format '%s' (ember writes elf)", format);
        return;
    }
    MonitorTarget *t = &c->set->t;
    bool was_running = t->running(t->opaque);
    /* As in QEMU: the machine stops for the dump, which reports when done. */
    if (was_running) {
        t->stop(t->opaque);
        monitor_event(c->set, "STOP", NULL);
    }
    char err[512];
    bool ok = elfcore_write(path, t->as, t->harts, t->n_harts, err, sizeof(err));
    if (ok) {
        char data[200];
        unsigned long long total = (unsigned long long)ram_bytes(t->as);
        snprintf(data, sizeof(data),
                 "{\"result\": {\"total\": %llu, \"status\": \"completed\", \"completed\": %llu}}",
                 total, total);
        monitor_event(c->set, "DUMP_COMPLETED", data);
    } else {
        monitor_error(c, "GenericError", "%s", err);
    }
    char detail[400];
    if (was_running && t->cont(t->opaque, detail, sizeof(detail)))
        monitor_event(c->set, "RESUME", NULL);
}

/* ---- The address space and the devices ---- */

static int by_base(const void *a, const void *b)
{
    const MemoryRegion *x = *(const MemoryRegion *const *)a, *y = *(const MemoryRegion *const *)b;
    return x->base < y->base ? -1 : x->base > y->base;
}

static void cmd_info_mtree(MonitorCall *c)
{
    const AddressSpace *as = c->set->t.as;
    const MemoryRegion *sorted[MEMORY_MAX_REGIONS];
    for (int i = 0; i < as->count; i++)
        sorted[i] = &as->regions[i];
    qsort(sorted, (size_t)as->count, sizeof(sorted[0]), by_base);
    strbuf_printf(c->out, "address-space: cpu-memory-0\naddress-space: memory\n"
                          "  0000000000000000-ffffffffffffffff (prio 0, i/o): system\n");
    for (int i = 0; i < as->count; i++) {
        const MemoryRegion *r = sorted[i];
        const char *kind = r->ops ? "i/o" : r->readonly ? "rom" : "ram";
        strbuf_printf(c->out, "    %016llx-%016llx (prio 0, %s): %s\n", (unsigned long long)r->base,
                      (unsigned long long)(r->base + r->size - 1), kind, r->name);
    }
    strbuf_printf(c->out, "\n");
}

static void print_device(StrBuf *out, const Device *dev, const char *indent)
{
    strbuf_printf(out, "%sdev: %s, id \"%s\"\n", indent, dev->type->name, dev->id);
    for (unsigned k = 0; dev->type->props && dev->type->props[k].name; k++) {
        const DeviceProperty *p = &dev->type->props[k];
        const char *value = device_prop(dev, p->name);
        switch (p->type) {
        case PROP_BOOL:
            strbuf_printf(out, "%s  %s = %s\n", indent, p->name,
                          device_prop_bool(dev, p->name) ? "true" : "false");
            break;
        case PROP_UINT: {
            unsigned long long v = (unsigned long long)device_prop_uint(dev, p->name);
            strbuf_printf(out, "%s  %s = %llu (0x%llx)\n", indent, p->name, v, v);
            break;
        }
        case PROP_SIZE: {
            unsigned long long v = (unsigned long long)device_prop_uint(dev, p->name);
            strbuf_printf(out, "%s  %s = %llu (%llu B)\n", indent, p->name, v, v);
            break;
        }
        default:
            strbuf_printf(out, "%s  %s = \"%s\"\n", indent, p->name, value ? value : "");
            break;
        }
    }
    if (dev->irq_number)
        strbuf_printf(out, "%s  irq %u\n", indent, dev->irq_number);
    if (dev->size)
        strbuf_printf(out, "%s  mmio %016llx/%016llx\n", indent, (unsigned long long)dev->base,
                      (unsigned long long)dev->size);
}

/* The system bus's devices; those on another bus (virtio) under it. */
static void cmd_info_qtree(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    strbuf_printf(c->out, "bus: main-system-bus\n  type System\n");
    Device *dev;
    for (unsigned i = 0; (dev = t->device(t->opaque, i)) != NULL; i++)
        if (!dev->type->bus)
            print_device(c->out, dev, "  ");
    for (unsigned i = 0; (dev = t->device(t->opaque, i)) != NULL; i++) {
        if (dev->type->bus) {
            strbuf_printf(c->out, "  bus: %s\n    type %s\n", dev->type->bus, dev->type->bus);
            print_device(c->out, dev, "    ");
        }
    }
}

/* ---- Debugging ---- */

static void cmd_gdbserver(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    const char *device = arg_str(c, "device");
    if (!device)
        device = "tcp::1234";
    char err[400];
    if (!t->gdbserver(t->opaque, device, err, sizeof(err))) {
        strbuf_printf(c->out, "Could not open gdbserver on device '%s': %s\n", device, err);
        return;
    }
    if (strcmp(device, "none") == 0)
        strbuf_printf(c->out, "Disabled gdbserver\n");
    else
        strbuf_printf(c->out, "Waiting for gdb connection on device '%s'\n", device);
}

static void cmd_log(MonitorCall *c)
{
    const char *items = arg_str(c, "items");
    unsigned mask = 0;
    bool help = false;
    char err[200];
    if (strcmp(items, "none") != 0 &&
        (!log_parse_categories(items, &mask, &help, err, sizeof(err)) || help)) {
        char *text = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&text, &len);
        if (f) {
            log_print_categories(f);
            fclose(f);
            strbuf_append(c->out, text, len);
        }
        free(text);
        return;
    }
    log_mask = mask;
    c->set->t.log_changed(c->set->t.opaque);
    /* What was logged so far can be read now, as after QEMU's log. */
    if (log_file)
        fflush(log_file);
}

static void cmd_logfile(MonitorCall *c)
{
    const char *path = arg_str(c, "filename");
    if (!log_open_file(path))
        monitor_error(c, "GenericError", "could not open '%s': %s", path, strerror(errno));
}

const MonitorCommand monitor_inspect_commands[] = {
    {NULL, "info registers", "all:-a,vcpu:i?", NULL, "[-a|vcpu]",
     "show the cpu registers (-a: all harts; vcpu: that one)", cmd_info_registers, NULL},
    {NULL, "info mem", "", NULL, "", "show the active virtual memory mappings", cmd_info_mem, NULL},
    {NULL, "info tlb", "", NULL, "", "show the page-table walk for the current satp (as info mem)",
     cmd_info_mem, NULL},
    {NULL, "info mtree", "", NULL, "", "show memory tree", cmd_info_mtree, NULL},
    {NULL, "info qtree", "", NULL, "", "show device tree", cmd_info_qtree, NULL},
    {NULL, "x", "format:/,addr:i", NULL, "/fmt addr", "virtual memory dump starting at 'addr'",
     cmd_x, NULL},
    {NULL, "xp", "format:/,addr:i", NULL, "/fmt addr", "physical memory dump starting at 'addr'",
     cmd_xp, NULL},
    {"memsave", "memsave", "val:i,size:i,filename:s,cpu-index:i?", "val:i,size:i,filename:s",
     "addr size file", "save to disk virtual memory dump starting at 'addr' of size 'size'",
     cmd_memsave, NULL},
    {"pmemsave", "pmemsave", "val:i,size:i,filename:s", NULL, "addr size file",
     "save to disk physical memory dump starting at 'addr' of size 'size'", cmd_pmemsave, NULL},
    {"dump-guest-memory", "dump-guest-memory",
     "paging:b,protocol:s,detach:b?,begin:i?,length:i?,format:s?",
     "paging:-p,filename:F,begin:i?,length:i?", "[-p] filename [begin length]",
     "dump guest memory into file 'filename' as an ELF core", cmd_dump_guest_memory, NULL},
    {NULL, "gdbserver", "device:s?", NULL, "[device]",
     "start gdbserver on given device (default 'tcp::1234'), stop with 'none'", cmd_gdbserver,
     NULL},
    {NULL, "log", "items:s", NULL, "item1[,...]", "activate logging of the specified items",
     cmd_log, NULL},
    {NULL, "logfile", "filename:F", NULL, "filename", "output logs to 'filename'", cmd_logfile,
     NULL},
};

const size_t monitor_n_inspect_commands =
    sizeof(monitor_inspect_commands) / sizeof(monitor_inspect_commands[0]);
