/* machine/virt.c: the QEMU-compatible "virt" board: its device table,
 * the wiring the devices get, and the main loop that runs it. */
#include "machine/virt.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "block/block.h"
#include "cpu/exec.h"
#include "gdbstub/gdbstub.h"
#include "monitor/monitor.h"
#include "hw/char/uart16550.h"
#include "hw/intc/hart_irq.h"
#include "hw/misc/sifive_test.h"
#include "hw/rtc/goldfish_rtc.h"
#include "hw/virtio/mmio.h"
#include "machine/fdt.h"
#include "machine/virt_migration.h"
#include "net/net.h"
#include "util/keyval.h"
#include "util/log.h"
#include "util/signals.h"

/* Instructions between checks of timers and devices. */
#define SLICE_INSNS 100000
/* A hart's turn with others to run. The turn ends early whenever a hart
 * waits or spins, so the quantum only matters for harts that compute: a
 * Linux -smp 4 boot to the shell took 0.61 s with 5,000, 0.58 s with
 * 25,000, 0.55 s with 50,000 or 100,000 instructions (-smp 1: 0.48 s). The
 * main loop runs after every round, so a longer one delays devices'
 * timers and input by up to N quanta. */
#define HART_QUANTUM 50000
#define MAX_IDLE_NS 100000000ull

/* The board's devices, like QEMU's virt_memmap[] with what each is: its
 * window, PLIC source, how many (each next one at base + size, source + 1),
 * device-tree phandle (which follows the harts': machine/fdt.h) and
 * properties. In QEMU's creation order: QEMU adds each device-tree node in
 * front of its siblings, so /soc lists them (and the instances of a row)
 * in reverse, as the board emits them. */
enum BoardPhandle { BOARD_PHANDLE_NONE, BOARD_PHANDLE_PLIC, BOARD_PHANDLE_TEST };

typedef struct BoardRow {
    const DeviceType *type;
    uint64_t base, size;
    unsigned irq;
    unsigned count;
    enum BoardPhandle phandle;
    const char *props;
} BoardRow;

static const BoardRow virt_board[] = {
    {&aclint_type, 0x2000000, 0x10000, 0, 1, 0, NULL},
    {&plic_type, 0xc000000, PLIC_SIZE, 0, 1, BOARD_PHANDLE_PLIC, NULL},
    {&virtio_mmio_type, 0x10001000, VIRTIO_MMIO_SIZE, 1, VIRT_VIRTIO_COUNT, 0, NULL},
    {&sifive_test_type, 0x100000, 0x1000, 0, 1, BOARD_PHANDLE_TEST, NULL},
    {&uart16550_type, 0x10000000, 0x100, 10, 1, 0, "chardev=serial0"},
    {&goldfish_rtc_type, 0x101000, 0x1000, 11, 1, 0, NULL},
};

void virt_kick(VirtMachine *m)
{
    m->harts[m->running]->exit_request = true;
}

void virt_request_shutdown(VirtMachine *m, int status)
{
    m->shutdown_requested = true;
    m->exit_status = status;
    virt_kick(m);
}

static void request_reset(void *opaque)
{
    VirtMachine *m = opaque;
    m->reset_requested = true;
    virt_kick(m);
}

/* The devices' power control: what the guest asks for is also an event
 * for QMP clients (the monitor's commands send theirs). */
static void guest_shutdown(void *opaque, int status)
{
    VirtMachine *m = opaque;
    monitor_event(m->monitors, "SHUTDOWN", "{\"guest\": true, \"reason\": \"guest-shutdown\"}");
    virt_request_shutdown(m, status);
}

static void guest_reset(void *opaque)
{
    VirtMachine *m = opaque;
    monitor_event(m->monitors, "RESET", "{\"guest\": true, \"reason\": \"guest-reset\"}");
    request_reset(m);
}

/* Ctrl-A x on the console: end ember like a normal poweroff. */
static void serial_quit(void *opaque)
{
    virt_request_shutdown(opaque, 0);
}

/* Stores to pages holding translated code or watched words land here. */
static void flagged_write(void *opaque, uint64_t paddr, unsigned size)
{
    VirtMachine *m = opaque;
    MemoryRegion *r = memory_find(&m->as, paddr);
    if (!r || !r->page_flags)
        return;
    uint8_t flags = r->page_flags[(paddr - r->base) >> PAGE_SHIFT];
    if (flags & PAGE_HAS_CODE)
        tb_invalidate_page(&m->tb_cache, paddr);
    if ((flags & PAGE_WATCHED) && m->htif)
        htif_store(m->htif->state, paddr, size);
}

/* Opens every -chardev; stdio can serve only one of them and -serial. */
static bool open_chardevs(VirtMachine *m, const ChardevSpec *serial, char *err, size_t errlen)
{
    const EmberOptions *o = &m->opts;
    const char *stdio_user = serial->kind == CHARDEV_STDIO ? "-serial" : NULL;
    for (unsigned i = 0; i < o->nchardevs; i++) {
        ChardevSpec spec;
        if (!chardev_parse_spec(o->chardevs[i].spec, &spec, err, errlen))
            return false;
        spec.mux = o->chardevs[i].mux;
        if (spec.kind == CHARDEV_STDIO) {
            if (stdio_user) {
                snprintf(err, errlen,
                         "-chardev id=%s: stdio is already used by %s (give -serial "
                         "null, or another backend)",
                         o->chardevs[i].id, stdio_user);
                return false;
            }
            stdio_user = "another -chardev";
        }
        m->chardevs[i] = chardev_open(&spec, &m->loop, err, errlen);
        if (!m->chardevs[i])
            return false;
        chardev_set_quit_handler(m->chardevs[i], serial_quit, m);
    }
    return true;
}

/* ---- What devices get from the board while they are realized ---- */

/* A hart's interrupt input. An interrupt for a hart other than the one
 * running (an IPI, a device's, its timer) hands the turn to it at once:
 * the running hart returns at its next block and that hart goes next. */
static void board_hart_irq_set(void *opaque, unsigned n, bool level)
{
    VirtMachine *m = opaque;
    unsigned hart = n / 64, irq = n % 64;
    IrqLine line = hart_irq_line(m->harts[hart], 1ull << irq);
    irq_set(&line, level);
    if (level && hart != m->running && m->wake_next < 0) {
        m->wake_next = (int)hart;
        virt_kick(m);
    }
}

static IrqLine board_hart_irq(void *board, unsigned hart, enum HartIrq irq)
{
    VirtMachine *m = board;
    if (hart >= m->n_harts)
        return (IrqLine){0};
    if (m->n_harts == 1)
        return hart_irq_line(m->harts[0], 1ull << irq);
    return (IrqLine){.set = board_hart_irq_set, .opaque = m, .n = hart * 64 + irq};
}

/* Devices interrupt through the PLIC, which the table realizes before
 * them; the line goes through the board so no device names the PLIC. */
static void board_plic_set(void *board, unsigned source, bool level)
{
    VirtMachine *m = board;
    if (m->plic) {
        IrqLine line = plic_irq_line(m->plic, source);
        irq_set(&line, level);
    }
}

/* "serial0" is -serial's backend, as in QEMU; the rest are -chardev ids,
 * each serving one device (board_devices.c checked that). */
static Chardev *board_chardev(void *board, const char *id, char *err, size_t errlen)
{
    VirtMachine *m = board;
    if (strcmp(id, "serial0") == 0)
        return m->serial;
    for (unsigned i = 0; i < m->opts.nchardevs; i++)
        if (strcmp(m->opts.chardevs[i].id, id) == 0)
            return m->chardevs[i];
    snprintf(err, errlen, "no -chardev with id=%s", id);
    return NULL;
}

static BlockDevice *board_drive(void *board, const char *id, char *err, size_t errlen)
{
    VirtMachine *m = board;
    for (unsigned i = 0; i < m->opts.ndrives; i++) {
        const DriveOption *drive = &m->opts.drives[i];
        if (strcmp(drive->id, id) != 0)
            continue;
        char detail[400];
        const char *format = drive->format[0] ? drive->format : NULL;
        /* QEMU's rule: a read-only drive needs no overlay. */
        if ((drive->snapshot || m->opts.snapshot) && !drive->readonly)
            m->drives[i] = block_open_snapshot(drive->file, format, detail, sizeof(detail));
        else if (m->opts.incoming) /* the source still has it */
            m->drives[i] =
                block_open_inactive(drive->file, drive->readonly, format, detail, sizeof(detail));
        else
            m->drives[i] = block_open(drive->file, drive->readonly, format, detail, sizeof(detail));
        if (!m->drives[i]) {
            snprintf(err, errlen, "-drive: %s", detail);
            return NULL;
        }
        if (!drive->readonly)
            signals_sync_at_death(m->drives[i]->fd);
        return m->drives[i];
    }
    snprintf(err, errlen, "no -drive with id=%s", id);
    return NULL;
}

static DeviceContext device_context(VirtMachine *m)
{
    return (DeviceContext){
        .as = &m->as,
        .timers = &m->timers,
        .power = {guest_shutdown, guest_reset, m},
        .n_harts = m->n_harts,
        .hart_irq = board_hart_irq,
        .chardev = board_chardev,
        .drive = board_drive,
        .netdev = virt_board_netdev,
        .board = m,
    };
}

/* ---- Building the board ---- */

static void run_block_completions(void *opaque)
{
    (void)opaque;
    block_run_completions();
}

static bool realize_and_map(VirtMachine *m, Device *dev, char *err, size_t errlen)
{
    DeviceContext ctx = device_context(m);
    if (!device_realize(dev, &ctx, err, errlen))
        return false;
    if (dev->type->mmio_ops && !memory_add_mmio(&m->as, dev->type->name, dev->base, dev->size,
                                                dev->type->mmio_ops, dev->state)) {
        snprintf(err, errlen, "cannot map %s at 0x%llx", dev->type->name,
                 (unsigned long long)dev->base);
        return false;
    }
    return true;
}

static bool create_board_devices(VirtMachine *m, char *err, size_t errlen)
{
    for (size_t r = 0; r < sizeof(virt_board) / sizeof(virt_board[0]); r++) {
        const BoardRow *row = &virt_board[r];
        for (unsigned i = 0; i < row->count; i++) {
            Device *dev = device_create(row->type, row->props, err, errlen);
            if (!dev)
                return false;
            m->devices[m->n_devices++] = dev;
            dev->base = row->base + i * row->size;
            dev->size = row->size;
            dev->phandle = row->phandle == BOARD_PHANDLE_PLIC   ? virt_phandle_plic(m->n_harts)
                           : row->phandle == BOARD_PHANDLE_TEST ? virt_phandle_test(m->n_harts)
                                                                : 0;
            if (row->irq) {
                dev->irq_number = row->irq + i;
                dev->irq = (IrqLine){.set = board_plic_set, .opaque = m, .n = dev->irq_number};
            }
            if (!realize_and_map(m, dev, err, errlen))
                return false;
            if (row->type == &plic_type)
                m->plic = dev->state;
            else if (row->type == &aclint_type)
                m->clint = dev->state;
            else if (row->type == &virtio_mmio_type)
                m->virtio_slots[i] = dev;
        }
    }
    for (unsigned h = 0; h < m->n_harts; h++)
        m->harts[h]->time = (RiscvTimeSource){aclint_read_time, m->clint};
    return true;
}

/* -device and -drive if=virtio: the first gets the highest virtio-mmio
 * slot, as in QEMU, so Linux finds it first. */
static bool create_user_devices(VirtMachine *m, char *err, size_t errlen)
{
    if (!user_devices_create(&m->opts, VIRT_VIRTIO_COUNT, &m->user, err, errlen))
        return false;
    for (unsigned i = 0; i < m->user.n; i++) {
        Device *dev = m->user.dev[i];
        char detail[400];
        if (!realize_and_map(m, dev, detail, sizeof(detail))) {
            snprintf(err, errlen, "-device %s: %s", dev->type->name, detail);
            return false;
        }
        Device *slot = m->virtio_slots[VIRT_VIRTIO_COUNT - 1 - i];
        virtio_mmio_init(slot->state, dev->type->virtio(dev), slot->irq);
    }
    return true;
}

static bool create_htif(VirtMachine *m, char *err, size_t errlen)
{
    if (!m->tohost)
        return true;
    char props[80], detail[256];
    snprintf(props, sizeof(props), "tohost=%llu,fromhost=%llu", (unsigned long long)m->tohost,
             (unsigned long long)m->fromhost);
    m->htif = device_create(&htif_type, props, detail, sizeof(detail));
    if (!m->htif || !realize_and_map(m, m->htif, detail, sizeof(detail))) {
        snprintf(err, errlen, "'%s': %s", m->first_program, detail);
        return false;
    }
    return true;
}

/* ---- What a debugger does to the machine ---- */

static void debug_stop(void *opaque)
{
    VirtMachine *m = opaque;
    if (!m->debug_stopped) {
        /* As QEMU's vm_stop: no disk writes into a stopped guest. */
        block_drain_all();
        m->debug_stopped = true;
        clock_virtual_stop(); /* guest time stands still too */
        net_set_vm_running(!m->paused && !m->debug_stopped);
    }
}

static void debug_resume(void *opaque)
{
    VirtMachine *m = opaque;
    if (m->debug_stopped) {
        m->debug_stopped = false;
        clock_virtual_start();
        net_set_vm_running(!m->paused && !m->debug_stopped);
    }
}

static void debug_step(void *opaque, unsigned hart, bool interrupts)
{
    VirtMachine *m = opaque;
    if (hart < m->n_harts)
        cpu_step(m->harts[hart], interrupts);
}

static void flush_translations(VirtMachine *m)
{
    for (unsigned h = 0; h < m->n_harts; h++)
        riscv_flush_translation(m->harts[h]);
}

/* Blocks end before breakpoints and pages with watchpoints bypass the
 * TLB's fast path: both are decided when translating and filling. */
static void debug_breakpoints_changed(void *opaque)
{
    VirtMachine *m = opaque;
    tb_flush(&m->tb_cache);
    flush_translations(m);
}

static void debug_quit(void *opaque)
{
    virt_request_shutdown(opaque, 0);
}

static bool open_gdbstub(VirtMachine *m, const char *spec, char *err, size_t errlen)
{
    if (!spec)
        return true;
    GdbTarget target = {
        .harts = m->harts,
        .n_harts = m->n_harts,
        .stop = debug_stop,
        .resume = debug_resume,
        .step = debug_step,
        .breakpoints_changed = debug_breakpoints_changed,
        .quit = debug_quit,
        .opaque = m,
    };
    m->gdb = gdbstub_open(spec, &m->loop, &target, err, errlen);
    return m->gdb != NULL;
}

/* ---- What the monitor does to the machine ---- */

bool virt_running(VirtMachine *m)
{
    return !m->paused && !m->debug_stopped;
}

/* The monitor's stop and a debugger's nest: guest time stands still while
 * either holds the machine (the clock's stops nest too). */
void virt_pause(VirtMachine *m)
{
    if (!m->paused) {
        block_drain_all();
        m->paused = true;
        clock_virtual_stop();
        net_set_vm_running(!m->paused && !m->debug_stopped);
    }
}

void virt_resume(VirtMachine *m)
{
    m->postmigrate = false;
    if (m->paused) {
        m->paused = false;
        clock_virtual_start();
        net_set_vm_running(!m->paused && !m->debug_stopped);
    }
}

static bool monitor_running(void *opaque)
{
    return virt_running(opaque);
}

static void monitor_stop(void *opaque)
{
    virt_pause(opaque);
}

/* op on every drive; the first failure names the drive after what. */
static bool each_drive(VirtMachine *m, bool (*op)(BlockDevice *, char *, size_t), const char *what,
                       char *err, size_t errlen)
{
    for (unsigned i = 0; i < m->opts.ndrives; i++) {
        char detail[400];
        if (m->drives[i] && !op(m->drives[i], detail, sizeof(detail))) {
            snprintf(err, errlen, "Could not %s '%s': %s", what, virt_drive_name(m, i), detail);
            return false;
        }
    }
    return true;
}

bool virt_activate_disks(VirtMachine *m, char *err, size_t errlen)
{
    return each_drive(m, block_activate, "take back", err, errlen);
}

bool virt_inactivate_disks(VirtMachine *m, char *err, size_t errlen)
{
    return each_drive(m, block_inactivate, "release", err, errlen);
}

/* While a migration's state is still coming, cont only asks for the
 * machine to run once it is there, as QEMU's does. After a migration out,
 * the disks must come back first. */
static bool monitor_cont(void *opaque, char *err, size_t errlen)
{
    VirtMachine *m = opaque;
    if (m->migration && migration_incoming_pending(m->migration)) {
        m->cont_after_incoming = true;
        return true;
    }
    if (!virt_activate_disks(m, err, errlen))
        return false;
    virt_resume(m);
    return true;
}

static const char *monitor_run_state(void *opaque)
{
    VirtMachine *m = opaque;
    if (m->migration && migration_incoming_pending(m->migration))
        return "inmigrate";
    if (m->postmigrate)
        return "postmigrate";
    return virt_running(m) ? "running" : "paused";
}

static bool monitor_savevm(void *opaque, const char *tag, const SnapshotDisks *disks, char *err,
                           size_t errlen)
{
    return virt_savevm(opaque, tag, disks, err, errlen);
}

static bool monitor_loadvm(void *opaque, const char *tag, const SnapshotDisks *disks, char *err,
                           size_t errlen)
{
    return virt_loadvm(opaque, tag, disks, err, errlen);
}

static bool monitor_delvm(void *opaque, const char *tag, const SnapshotDisks *disks, char *err,
                          size_t errlen)
{
    return virt_delvm(opaque, tag, disks, err, errlen);
}

static void monitor_reset(void *opaque)
{
    request_reset(opaque);
}

static void monitor_quit(void *opaque)
{
    virt_request_shutdown(opaque, 0);
}

/* gdbserver: the stub moves to device, or ends ("none"); a debugger
 * that held the machine lets go. */
static bool monitor_gdbserver(void *opaque, const char *device, char *err, size_t errlen)
{
    VirtMachine *m = opaque;
    if (m->gdb) {
        gdbstub_close(m->gdb);
        m->gdb = NULL;
        debug_breakpoints_changed(m);
        debug_resume(m);
    }
    return strcmp(device, "none") == 0 || open_gdbstub(m, device, err, errlen);
}

/* log: traces of every block need unchained blocks, and in_asm shows
 * what is translated from now on, so the cache starts afresh. */
static void monitor_log_changed(void *opaque)
{
    VirtMachine *m = opaque;
    for (unsigned h = 0; h < m->n_harts; h++)
        m->harts[h]->no_chain = (log_mask & (LOG_EXEC | LOG_CPU)) != 0;
    debug_breakpoints_changed(m);
}

static Device *monitor_device(void *opaque, unsigned i)
{
    VirtMachine *m = opaque;
    if (i < m->n_devices)
        return m->devices[i];
    i -= m->n_devices;
    if (i < m->user.n)
        return m->user.dev[i];
    return i == m->user.n ? m->htif : NULL;
}

/* QEMU's names: the id given, else the interface and its index. */
const char *virt_drive_name(VirtMachine *m, unsigned i)
{
    static char names[EMBER_MAX_DRIVES][40];
    const DriveOption *d = &m->opts.drives[i];
    if (d->id[0] != '#')
        return d->id;
    unsigned index = 0;
    for (unsigned k = 0; k < i; k++)
        index += m->opts.drives[k].if_none == d->if_none && m->opts.drives[k].id[0] == '#';
    snprintf(names[i], sizeof(names[i]), "%s%u", d->if_none ? "none" : "virtio", index);
    return names[i];
}

static const char *monitor_drive(void *opaque, unsigned i, BlockDevice **bd, bool *readonly)
{
    VirtMachine *m = opaque;
    if (i >= m->opts.ndrives)
        return NULL;
    *bd = m->drives[i];
    *readonly = m->opts.drives[i].readonly;
    return virt_drive_name(m, i);
}

static Chardev *monitor_chardev(void *opaque, unsigned i, const char **label)
{
    VirtMachine *m = opaque;
    if (i == 0) {
        *label = "serial0";
        return m->serial;
    }
    i--;
    if (i < m->opts.nchardevs) {
        *label = m->opts.chardevs[i].id;
        return m->chardevs[i];
    }
    i -= m->opts.nchardevs;
    for (unsigned k = 0; k < EMBER_MAX_MONITORS; k++) {
        if (m->monitor_chardevs[k] && i-- == 0) {
            *label = m->monitor_labels[k];
            return m->monitor_chardevs[k];
        }
    }
    return NULL;
}

/* The chardev a -monitor or -qmp names: its own, opened here (a server
 * with no host listens on loopback only: whoever reaches a monitor owns
 * the machine), or a -chardev's. */
static Chardev *monitor_backend(VirtMachine *m, unsigned n, const MonitorOption *mon,
                                const ChardevSpec *serial, char *err, size_t errlen)
{
    if (!mon->spec) {
        for (unsigned i = 0; i < m->opts.nchardevs; i++)
            if (strcmp(m->opts.chardevs[i].id, mon->chardev) == 0)
                return m->chardevs[i];
        snprintf(err, errlen, "-mon: no -chardev with id=%s", mon->chardev);
        return NULL;
    }
    const char *option = mon->control ? "-qmp" : "-monitor";
    ChardevSpec spec;
    char detail[400];
    if (!chardev_parse_spec(mon->spec, &spec, detail, sizeof(detail))) {
        snprintf(err, errlen, "%s: %s", option, detail);
        return NULL;
    }
    if (spec.kind == CHARDEV_STDIO && serial->kind == CHARDEV_STDIO) {
        snprintf(err, errlen,
                 "%s stdio: stdio is already the console's (give -serial null or another "
                 "backend; without -monitor the monitor shares the console: Ctrl-A c)",
                 option);
        return NULL;
    }
    if (spec.kind == CHARDEV_TCP && spec.host[0] == '\0')
        snprintf(spec.host, sizeof(spec.host), "127.0.0.1");
    m->monitor_chardevs[n] = chardev_open(&spec, &m->loop, detail, sizeof(detail));
    if (!m->monitor_chardevs[n]) {
        snprintf(err, errlen, "%s: %s", option, detail);
        return NULL;
    }
    chardev_set_quit_handler(m->monitor_chardevs[n], serial_quit, m);
    /* QEMU numbers the monitors' own chardevs among themselves. */
    unsigned own = 0;
    for (unsigned i = 0; i < n; i++)
        own += m->monitor_chardevs[i] != NULL;
    snprintf(m->monitor_labels[n], sizeof(m->monitor_labels[n]), "compat_monitor%u", own);
    return m->monitor_chardevs[n];
}

static bool attach_monitor(VirtMachine *m, Chardev *chr, bool control, const char *what, char *err,
                           size_t errlen)
{
    char detail[200];
    if (!monitor_attach(m->monitors, chr, control, detail, sizeof(detail))) {
        snprintf(err, errlen, "%s: %s", what, detail);
        return false;
    }
    m->n_monitors++;
    return true;
}

/* Every -monitor, -qmp and -mon; without -monitor, the human monitor
 * shares a stdio console (QEMU's -nographic mon:stdio). */
static bool open_monitors(VirtMachine *m, const ChardevSpec *serial, char *err, size_t errlen)
{
    MonitorTarget target = {
        .running = monitor_running,
        .stop = monitor_stop,
        .cont = monitor_cont,
        .reset = monitor_reset,
        .quit = monitor_quit,
        .gdbserver = monitor_gdbserver,
        .log_changed = monitor_log_changed,
        .device = monitor_device,
        .drive = monitor_drive,
        .chardev = monitor_chardev,
        .run_state = monitor_run_state,
        .savevm = monitor_savevm,
        .loadvm = monitor_loadvm,
        .delvm = monitor_delvm,
        .opaque = m,
        .as = &m->as,
        .harts = m->harts,
        .n_harts = m->n_harts,
    };
    m->monitors = monitor_set_new(&target);
    if (!m->monitors) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    const char *serial_text = m->opts.serial ? m->opts.serial : "mon:stdio";
    if (!m->opts.no_default_monitor && serial->kind == CHARDEV_STDIO &&
        strcmp(serial_text, "mon:stdio") == 0 &&
        !attach_monitor(m, m->serial, false, "the console's monitor", err, errlen))
        return false;
    for (unsigned i = 0; i < m->opts.nmonitors; i++) {
        const MonitorOption *mon = &m->opts.monitors[i];
        Chardev *chr = monitor_backend(m, i, mon, serial, err, errlen);
        if (!chr ||
            !attach_monitor(m, chr, mon->control,
                            mon->spec ? (mon->control ? "-qmp" : "-monitor") : "-mon", err, errlen))
            return false;
    }
    return true;
}

/* -S: the machine waits for a debugger's continue, or the monitor's cont
 * (whichever there is; with both, the debugger holds it). */
static bool hold_at_start(VirtMachine *m, char *err, size_t errlen)
{
    if (!m->opts.start_stopped)
        return true;
    if (m->gdb) {
        gdbstub_hold(m->gdb);
        debug_stop(m);
    } else if (m->n_monitors) {
        monitor_stop(m);
    } else {
        snprintf(err, errlen, "-S needs -s, -gdb or a monitor: something must say continue");
        return false;
    }
    return true;
}

/* Every hart starts at the reset vector, which hands each its hart id. */
static void reset_harts(VirtMachine *m)
{
    for (unsigned h = 0; h < m->n_harts; h++) {
        riscv_cpu_reset(m->harts[h], VIRT_MROM_BASE);
        m->harts[h]->exit_request = false;
    }
    m->running = 0;
    m->wake_next = -1;
}

/* -cpu MODEL[,EXT=on|off...], a QEMU key=value list (util/keyval.c) over
 * the extensions isa/riscv_ext.c knows. */
static bool parse_cpu(const char *spec, RiscvExtSet *set, char *err, size_t errlen)
{
    KeyVal kv;
    const char *p = spec;
    if (!keyval_next(&p, true, "model", &kv, "-cpu", err, errlen))
        return false;
    if (strcmp(kv.key, "model") != 0 || !riscv_ext_model(kv.value, set)) {
        snprintf(err, errlen, "-cpu %s: unknown CPU model (ember has rv64, rv32 and max)",
                 kv.value);
        return false;
    }
    while (*p) {
        if (!keyval_next(&p, false, NULL, &kv, "-cpu", err, errlen))
            return false;
        int ext = riscv_ext_find_property(kv.key);
        bool on;
        if (ext < 0) {
            snprintf(err, errlen, "-cpu: unknown property '%s' (see -cpu help)", kv.key);
            return false;
        }
        if (!keyval_bool(kv.value, &on)) {
            snprintf(err, errlen, "-cpu: %s takes on or off, not '%s'", kv.key, kv.value);
            return false;
        }
        *set = on ? *set | (RiscvExtSet)1 << ext : *set & ~((RiscvExtSet)1 << ext);
    }
    *set = riscv_ext_complete(*set);
    return true;
}

bool virt_init(VirtMachine *m, const EmberOptions *opts, char *err, size_t errlen)
{
    memset(m, 0, sizeof(*m));
    /* Guest time starts at 0, as QEMU's virtual clock (mtime, and the VM
     * clock a snapshot records). */
    clock_virtual_set(0);
    m->opts = *opts;
    m->as.flagged_write = flagged_write;
    m->as.flagged_write_opaque = m;
    if (!tb_cache_init(&m->tb_cache, &m->as, 64ull << 20)) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    RiscvExtSet ext;
    if (!parse_cpu(opts->cpu ? opts->cpu : "rv64", &ext, err, errlen))
        return false;
    m->n_harts = opts->smp ? opts->smp : 1;
    m->wake_next = -1;
    for (unsigned h = 0; h < m->n_harts; h++) {
        m->harts[h] = riscv_cpu_new(&m->as, h);
        if (!m->harts[h]) {
            snprintf(err, errlen, "out of memory");
            return false;
        }
        m->harts[h]->ext = ext;
        tb_cache_add_cpu(&m->tb_cache, m->harts[h]);
        m->harts[h]->no_chain = (log_mask & (LOG_EXEC | LOG_CPU)) != 0;
        m->harts[h]->yield_on_spin = m->n_harts > 1;
    }

    mainloop_init(&m->loop);
    if (block_completion_fd() < 0 ||
        mainloop_add_fd(&m->loop, block_completion_fd(), run_block_completions, NULL) < 0) {
        snprintf(err, errlen, "cannot watch disk completions: %s", strerror(errno));
        return false;
    }
    ChardevSpec serial;
    if (!chardev_parse_spec(opts->serial ? opts->serial : "stdio", &serial, err, errlen))
        return false;
    m->serial = chardev_open(&serial, &m->loop, err, errlen);
    if (!m->serial)
        return false;
    chardev_set_quit_handler(m->serial, serial_quit, m);
    if (!open_chardevs(m, &serial, err, errlen) || !virt_open_netdevs(m, err, errlen))
        return false;

    m->rom = memory_add_rom(&m->as, "mrom", VIRT_MROM_BASE, VIRT_MROM_SIZE);
    m->ram = memory_add_ram(&m->as, "ram", VIRT_DRAM_BASE, opts->ram_size);
    if (!m->rom || !m->ram) {
        snprintf(err, errlen, "cannot build the virt memory map");
        return false;
    }
    if (!create_board_devices(m, err, errlen) || !create_user_devices(m, err, errlen) ||
        !virt_start_network(m, err, errlen) || !virt_load_images(m, err, errlen) ||
        !create_htif(m, err, errlen) || !open_gdbstub(m, m->opts.gdb, err, errlen) ||
        !open_monitors(m, &serial, err, errlen) || !virt_open_display(m, err, errlen) ||
        !hold_at_start(m, err, errlen))
        return false;
    reset_harts(m);
    if (!virt_migration_init(m, err, errlen))
        return false;
    monitor_set_migration(m->monitors, m->migration);
    if (m->opts.loadvm && !virt_loadvm(m, m->opts.loadvm, NULL, err, errlen))
        return false;
    return true;
}

/* Guest-requested reset: devices and harts restart, images are reloaded. */
static bool virt_reset(VirtMachine *m)
{
    char err[512];
    m->reset_requested = false;
    tb_flush(&m->tb_cache);
    for (unsigned i = 0; i < m->n_devices; i++)
        device_reset(m->devices[i]);
    for (unsigned i = 0; i < m->user.n; i++)
        device_reset(m->user.dev[i]);
    if (!virt_load_images(m, err, sizeof(err))) {
        error_report("reset: %s", err);
        return false;
    }
    reset_harts(m);
    return true;
}

/* Whether the hart has work: not waiting in WFI, or an interrupt ends the
 * wait. */
static bool hart_runnable(RiscvCpu *cpu)
{
    return !cpu->wfi || riscv_pending_interrupts(cpu);
}

/* Sleeps until the next timer (a device's, or a hart's own stimecmp) or
 * input on a watched descriptor. A hart's stimecmp counts only while its
 * interrupt is enabled in mie: otherwise it cannot end the hart's wait
 * (OpenSBI parks a stopped hart with a passed stimecmp and STIE clear). */
static void idle_wait(VirtMachine *m)
{
    uint64_t ns = timer_list_ns_until_next(&m->timers);
    for (unsigned h = 0; h < m->n_harts; h++) {
        RiscvCpu *cpu = m->harts[h];
        if (!(cpu->mie & MIP_STIP))
            continue;
        uint64_t hart_ns = aclint_ns_until(m->clint, riscv_next_timer_deadline(cpu));
        if (hart_ns < ns)
            ns = hart_ns;
    }
    if (ns > MAX_IDLE_NS)
        ns = MAX_IDLE_NS;
    if (block_poll_completions())
        ns = 0;
    mainloop_poll(&m->loop, (int64_t)ns);
}

/* auto-converge: after a slice that took ran_ns, the harts sleep so that
 * they run 100 - percent of the time (the main loop keeps serving the
 * migration meanwhile), as QEMU's throttled vCPUs do. */
static void throttle_sleep(VirtMachine *m, uint64_t ran_ns, unsigned percent)
{
    uint64_t sleep_ns = ran_ns * percent / (100 - percent);
    if (sleep_ns > MAX_IDLE_NS)
        sleep_ns = MAX_IDLE_NS;
    uint64_t deadline = clock_host_ns() + sleep_ns;
    for (uint64_t now = clock_host_ns(); now < deadline; now = clock_host_ns())
        mainloop_poll(&m->loop, (int64_t)(deadline - now));
}

/* The hart whose turn is next: one an interrupt woke while another ran,
 * else the next runnable one after the last (round robin); -1 when all
 * wait. */
static int next_hart(VirtMachine *m)
{
    int woken = m->wake_next;
    m->wake_next = -1;
    if (woken >= 0 && hart_runnable(m->harts[woken]))
        return woken;
    for (unsigned k = 1; k <= m->n_harts; k++) {
        unsigned h = (m->running + k) % m->n_harts;
        if (hart_runnable(m->harts[h]))
            return (int)h;
    }
    return -1;
}

/* The harts take turns on the one CPU thread, each for up to a quantum,
 * and give the turn up at once when they wait
 * (WFI), when an interrupt comes for another hart (an IPI: that one goes
 * next), or when they spin (a spin-wait hint while others could run). A
 * reservation does not outlive its hart's turn: another hart may store
 * to it meanwhile, so an SC after a switch fails and its loop retries.
 * Returns false when a debugger's breakpoint stopped the machine. */
static bool run_harts(VirtMachine *m)
{
    uint64_t quantum = m->n_harts == 1 ? SLICE_INSNS : HART_QUANTUM;
    for (unsigned turn = 0; turn < m->n_harts; turn++) {
        int h = next_hart(m);
        if (h < 0 || m->shutdown_requested || m->reset_requested)
            return true;
        RiscvCpu *cpu = m->harts[h];
        m->running = (unsigned)h;
        cpu->exit_request = false;
        uint64_t start = cpu->instret;
        cpu_exec(cpu, quantum);
        /* How the turn ended, for -d stats: the scheduler's tuning. */
        enum TurnEnd why = cpu->wfi                          ? TURN_WAITED
                           : cpu->exit_request               ? TURN_YIELDED
                           : cpu->instret - start >= quantum ? TURN_QUANTUM
                                                             : TURN_OTHER;
        m->turns[h][why]++;
        if (m->n_harts > 1)
            cpu->reservation_valid = false;
        if (cpu->debug && cpu->debug->hit) {
            cpu->debug->hit = false;
            debug_stop(m);
            gdbstub_breakpoint_hit(m->gdb, (unsigned)h);
            return false;
        }
    }
    return true;
}

static bool all_harts_wait(VirtMachine *m)
{
    for (unsigned h = 0; h < m->n_harts; h++)
        if (hart_runnable(m->harts[h]))
            return false;
    return true;
}

int virt_run_slice(VirtMachine *m)
{
    if (m->debug_stopped || m->paused) {
        /* Only the debugger (and the console) until it lets go. */
        mainloop_poll(&m->loop, (int64_t)MAX_IDLE_NS);
    } else {
        timer_list_run_due(&m->timers);
        unsigned throttle = m->migration ? migration_cpu_throttle(m->migration) : 0;
        uint64_t slice_start = throttle ? clock_host_ns() : 0;
        run_harts(m);
        if (throttle)
            throttle_sleep(m, clock_host_ns() - slice_start, throttle);
        mainloop_poll(&m->loop, 0);
    }
    pid_t sender;
    int sig = signals_exit_requested(&sender);
    if (sig) {
        /* QEMU's answer to SIGINT, SIGTERM and SIGHUP: a normal end, so
         * disks are flushed and closed as at a poweroff. */
        signals_report_exit(sig, sender);
        return 0;
    }
    if (m->shutdown_requested)
        return m->exit_status;
    if (m->reset_requested && !virt_reset(m))
        return 1;
    if (!m->debug_stopped && !m->paused && all_harts_wait(m)) {
        timer_list_run_due(&m->timers);
        if (all_harts_wait(m))
            idle_wait(m);
    }
    return -1;
}

int virt_run(VirtMachine *m)
{
    signals_set_orderly_exit(true);
    int status;
    while ((status = virt_run_slice(m)) < 0)
        continue;
    signals_set_orderly_exit(false);
    return status;
}

void virt_report_stats(VirtMachine *m, double seconds)
{
    for (unsigned h = 0; m->n_harts > 1 && h < m->n_harts; h++) {
        const uint64_t *t = m->turns[h];
        log_printf("ember: stats: hart %u: %" PRIu64 " turns: %" PRIu64 " waited (WFI), %" PRIu64
                   " yielded (spin hint, masked WFI, another's interrupt, a request), %" PRIu64
                   " used the quantum, %" PRIu64 " other\n",
                   h, t[TURN_WAITED] + t[TURN_YIELDED] + t[TURN_QUANTUM] + t[TURN_OTHER],
                   t[TURN_WAITED], t[TURN_YIELDED], t[TURN_QUANTUM], t[TURN_OTHER]);
    }
    for (unsigned h = 0; h < m->n_harts; h++)
        cpu_report_stats(m->harts[h], &m->tb_cache.stats, seconds);
}

void virt_destroy(VirtMachine *m)
{
    virt_close_display(m);
    gdbstub_close(m->gdb);
    m->gdb = NULL;
    migration_free(m->migration);
    m->migration = NULL;
    /* Monitors before their chardevs, which are closed below. */
    monitor_set_free(m->monitors);
    m->monitors = NULL;
    /* Devices first, then disks: what the guest wrote is flushed before
     * ember exits. */
    user_devices_free(&m->user);
    for (unsigned i = 0; i < m->n_devices; i++)
        device_destroy(m->devices[i]);
    m->n_devices = 0;
    device_destroy(m->htif);
    m->htif = NULL;
    virt_close_netdevs(m);
    for (unsigned i = 0; i < EMBER_MAX_DRIVES; i++) {
        if (m->drives[i])
            signals_forget_fd(m->drives[i]->fd);
        block_close(m->drives[i]);
        m->drives[i] = NULL;
    }
    for (unsigned i = 0; i < EMBER_MAX_CHARDEVS; i++) {
        chardev_close(m->chardevs[i]);
        m->chardevs[i] = NULL;
    }
    for (unsigned i = 0; i < EMBER_MAX_MONITORS; i++) {
        chardev_close(m->monitor_chardevs[i]);
        m->monitor_chardevs[i] = NULL;
    }
    chardev_close(m->serial);
    m->serial = NULL;
    mainloop_destroy(&m->loop);
    free(m->fdt);
    m->fdt = NULL;
    tb_cache_destroy(&m->tb_cache);
    memory_destroy(&m->as);
    for (unsigned h = 0; h < m->n_harts; h++) {
        free(m->harts[h]);
        m->harts[h] = NULL;
    }
}
