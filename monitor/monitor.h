/* monitor/monitor.h: the human monitor (HMP) and QMP, on character
 * devices, over one table of commands with QEMU's names, arguments,
 * replies and output (monitor/commands.c). A machine has one MonitorSet;
 * each -monitor, -mon and -qmp attaches a monitor to it. */
#ifndef EMBER_MONITOR_MONITOR_H
#define EMBER_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>

#include "block/block.h"
#include "chardev/chardev.h"
#include "cpu/riscv/cpu.h"
#include "hw/device.h"
#include "migration/migration.h"
#include "softmmu/memory.h"

/* The disks a snapshot operation uses (QMP's snapshot-* jobs), by drive
 * id or node name ("#block0"); vmstate is the one holding the machine's
 * state (NULL for delete). */
typedef struct SnapshotDisks {
    const char *const *devices;
    unsigned n;
    const char *vmstate;
} SnapshotDisks;

/* What the monitor controls and inspects: the machine's run state, and
 * live views of its parts (owned by the machine; the monitor only reads
 * them between the machine's time slices). */
typedef struct MonitorTarget {
    bool (*running)(void *opaque);
    void (*stop)(void *opaque);
    /* false with the reason in err when the machine cannot run (its disks
     * are another process's after a migration). */
    bool (*cont)(void *opaque, char *err, size_t errlen);
    void (*reset)(void *opaque);
    void (*quit)(void *opaque);
    /* Starts the gdbstub on a -gdb device, or ends it for "none". */
    bool (*gdbserver)(void *opaque, const char *device, char *err, size_t errlen);
    /* The -d categories changed (log_mask is already set). */
    void (*log_changed)(void *opaque);
    /* The i-th device (the board's, then -device's), NULL past the last. */
    Device *(*device)(void *opaque, unsigned i);
    /* The i-th -drive (NULL past the last; an unopened one has *bd NULL). */
    const char *(*drive)(void *opaque, unsigned i, BlockDevice **bd, bool *readonly);
    /* The i-th character device and its label, NULL past the last. */
    Chardev *(*chardev)(void *opaque, unsigned i, const char **label);
    /* QEMU's run state: "running", "paused", "inmigrate", "postmigrate". */
    const char *(*run_state)(void *opaque);
    /* savevm, loadvm, delvm on the disks named (NULL: HMP's rule, every
     * writable disk, the first holding the machine's state): false with
     * QEMU's message in err. */
    bool (*savevm)(void *opaque, const char *tag, const SnapshotDisks *disks, char *err,
                   size_t errlen);
    bool (*loadvm)(void *opaque, const char *tag, const SnapshotDisks *disks, char *err,
                   size_t errlen);
    bool (*delvm)(void *opaque, const char *tag, const SnapshotDisks *disks, char *err,
                  size_t errlen);
    void *opaque;
    AddressSpace *as;
    RiscvCpu *const *harts;
    unsigned n_harts;
} MonitorTarget;

typedef struct MonitorSet MonitorSet;

MonitorSet *monitor_set_new(const MonitorTarget *target);
/* Closes every monitor (not their chardevs, which the machine owns). */
void monitor_set_free(MonitorSet *set);

/* A monitor on chr: QMP when control, else HMP with its prompt and line
 * editing. A chardev that multiplexes (stdio) keeps its other frontends;
 * false with err when chr has no room. */
bool monitor_attach(MonitorSet *set, Chardev *chr, bool control, char *err, size_t errlen);

/* The machine's migration, for migrate and its kin (NULL: none). */
void monitor_set_migration(MonitorSet *set, Migration *mig);

/* An event to every QMP client that negotiated: its name, and data as a
 * JSON object text or NULL. */
void monitor_event(MonitorSet *set, const char *name, const char *data_json);

#endif
