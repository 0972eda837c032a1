/* machine/virt_migration.c: the virt machine's side of migration (RAM's
 * dirty log, its stream pieces, stopping and resuming, -incoming) and of
 * snapshots (savevm, loadvm, delvm into the qcow2 disks, as QEMU's). */
#include "machine/virt_migration.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "machine/virt_state.h"
#include "monitor/monitor.h"
#include "util/log.h"

/* ---- Migration's hooks ---- */

/* Write entries of the TLB may let stores to freshly cleaned pages
 * through without the slow path that logs them. */
static void log_flush(VirtMachine *m)
{
    for (unsigned h = 0; h < m->n_harts; h++)
        riscv_flush_translation(m->harts[h]);
}

static bool log_start(void *opaque)
{
    VirtMachine *m = opaque;
    if (!memory_dirty_log_start(m->ram))
        return false;
    log_flush(m);
    return true;
}

static uint64_t log_sync(void *opaque, uint64_t *bitmap)
{
    VirtMachine *m = opaque;
    uint64_t added = memory_dirty_log_sync(m->ram, bitmap);
    log_flush(m);
    return added;
}

static void log_stop(void *opaque)
{
    VirtMachine *m = opaque;
    memory_dirty_log_stop(m->ram);
    log_flush(m);
}

static void config(void *opaque, char *out, size_t len)
{
    virt_stream_config(opaque, out, len);
}

static bool save_devices(void *opaque, StateBuffer *buf)
{
    return virt_save_devices(opaque, buf);
}

static bool running(void *opaque)
{
    return virt_running(opaque);
}

/* The source stops for the last part (and resumes when it fails): QMP
 * clients hear it, as QEMU's do. */
static void stop(void *opaque)
{
    VirtMachine *m = opaque;
    virt_pause(m);
    monitor_event(m->monitors, "STOP", NULL);
}

static void cont(void *opaque)
{
    VirtMachine *m = opaque;
    virt_resume(m);
    monitor_event(m->monitors, "RESUME", NULL);
}

static bool disks_release(void *opaque, char *err, size_t errlen)
{
    return virt_inactivate_disks(opaque, err, errlen);
}

static bool disks_take(void *opaque, char *err, size_t errlen)
{
    return virt_activate_disks(opaque, err, errlen);
}

static bool check_config(void *opaque, const char *text, char *err, size_t errlen)
{
    return virt_check_config(opaque, text, err, errlen);
}

static bool load_devices(void *opaque, const uint8_t *data, size_t len, bool apply, char *err,
                         size_t errlen)
{
    return virt_load_devices(opaque, data, len, apply, err, errlen);
}

/* Console input typed while the state comes waits: the devices it would
 * go to are about to be replaced. */
static void hold_guest_input(VirtMachine *m, bool held)
{
    chardev_hold_input(m->serial, held);
    for (unsigned i = 0; i < EMBER_MAX_CHARDEVS; i++)
        if (m->chardevs[i])
            chardev_hold_input(m->chardevs[i], held);
}

/* As QEMU's destination: a stream that fails ends ember; a complete one
 * runs when the source ran (or cont came meanwhile), unless -S. */
static void incoming_done(void *opaque, const char *err, bool source_running)
{
    VirtMachine *m = opaque;
    hold_guest_input(m, false);
    if (err) {
        error_report("load of migration failed: %s", err);
        virt_request_shutdown(m, 1);
        return;
    }
    if ((source_running || m->cont_after_incoming) && !m->opts.start_stopped)
        cont(m);
    m->cont_after_incoming = false;
}

static void status_changed(void *opaque, const char *status, bool incoming)
{
    VirtMachine *m = opaque;
    /* The source stays stopped; only cont resumes it (QEMU's postmigrate). */
    if (strcmp(status, "completed") == 0 && !incoming && !virt_running(m))
        m->postmigrate = true;
    if (!migration_capabilities(m->migration)->events)
        return;
    char data[64];
    snprintf(data, sizeof(data), "{\"status\": \"%s\"}", status);
    monitor_event(m->monitors, "MIGRATION", data);
}

bool virt_migration_init(VirtMachine *m, char *err, size_t errlen)
{
    MigrationHooks hooks = {
        .opaque = m,
        .ram = m->ram->host,
        .ram_size = m->opts.ram_size,
        .log_start = log_start,
        .log_sync = log_sync,
        .log_stop = log_stop,
        .config = config,
        .save_devices = save_devices,
        .running = running,
        .stop = stop,
        .cont = cont,
        .disks_release = disks_release,
        .disks_take = disks_take,
        .check_config = check_config,
        .load_devices = load_devices,
        .incoming_done = incoming_done,
        .status_changed = status_changed,
        .loop = &m->loop,
    };
    m->migration = migration_new(&hooks);
    if (!m->migration) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    if (!m->opts.incoming)
        return true;
    /* The machine waits, stopped, for its state. */
    virt_pause(m);
    hold_guest_input(m, true);
    char detail[400];
    if (!migration_incoming(m->migration, m->opts.incoming, detail, sizeof(detail))) {
        snprintf(err, errlen, "-incoming %s: %s", m->opts.incoming, detail);
        return false;
    }
    return true;
}

/* ---- Snapshots ---- */

/* A drive by its id or the node name query-block shows ("#block0"). */
static int drive_named(VirtMachine *m, const char *name)
{
    for (unsigned i = 0; i < m->opts.ndrives; i++) {
        char node[32];
        snprintf(node, sizeof(node), "#block%u", i);
        if (m->drives[i] && (strcmp(name, virt_drive_name(m, i)) == 0 || strcmp(name, node) == 0))
            return (int)i;
    }
    return -1;
}

/* QMP's snapshot jobs name their disks, the machine state's first. */
static int named_drives(VirtMachine *m, const SnapshotDisks *disks, unsigned *out, char *err,
                        size_t errlen)
{
    int n = 0;
    if (disks->vmstate) {
        int i = drive_named(m, disks->vmstate);
        if (i < 0) {
            snprintf(err, errlen, "No block device node '%s'", disks->vmstate);
            return -1;
        }
        out[n++] = (unsigned)i;
    }
    for (unsigned k = 0; k < disks->n; k++) {
        int i = drive_named(m, disks->devices[k]);
        if (i < 0) {
            snprintf(err, errlen, "No block device node '%s'", disks->devices[k]);
            return -1;
        }
        bool listed = false;
        for (int j = 0; j < n; j++)
            listed |= out[j] == (unsigned)i;
        if (!listed && n < EMBER_MAX_DRIVES)
            out[n++] = (unsigned)i;
    }
    for (int j = 0; j < n; j++) {
        BlockDevice *bd = m->drives[out[j]];
        if (bd->readonly || !block_can_snapshot(bd)) {
            snprintf(err, errlen, "Device '%s' is %s", virt_drive_name(m, out[j]),
                     bd->readonly ? "read-only" : "writable but does not support snapshots");
            return -1;
        }
    }
    if (n == 0)
        snprintf(err, errlen, "No block device can accept snapshots");
    return n ? n : -1;
}

/* The drives a snapshot operation uses (their places in m->drives): the
 * named ones, or every writable one, which must all hold snapshots; the
 * first of them also takes the machine's state. */
static int snapshot_drives(VirtMachine *m, const SnapshotDisks *disks, unsigned *out, char *err,
                           size_t errlen)
{
    if (disks)
        return named_drives(m, disks, out, err, errlen);
    int n = 0;
    for (unsigned i = 0; i < m->opts.ndrives; i++) {
        BlockDevice *bd = m->drives[i];
        if (!bd || bd->readonly)
            continue;
        if (!block_can_snapshot(bd)) {
            snprintf(err, errlen, "Device '%s' is writable but does not support snapshots",
                     virt_drive_name(m, i));
            return -1;
        }
        out[n++] = i;
    }
    if (n == 0)
        snprintf(err, errlen, "No block device can accept snapshots");
    return n ? n : -1;
}

static bool has_snapshot(BlockDevice *bd, const char *tag, BlockSnapshot *found)
{
    BlockSnapshot *list;
    char err[400];
    int n = block_snapshot_list(bd, &list, err, sizeof(err));
    bool hit = false;
    for (int i = 0; i < n && !hit; i++) {
        if (strcmp(list[i].name, tag) == 0 || strcmp(list[i].id, tag) == 0) {
            hit = true;
            if (found)
                *found = list[i];
        }
    }
    if (n > 0)
        free(list);
    return hit;
}

bool virt_savevm(VirtMachine *m, const char *tag, const SnapshotDisks *disks, char *err,
                 size_t errlen)
{
    unsigned drives[EMBER_MAX_DRIVES];
    int n = snapshot_drives(m, disks, drives, err, errlen);
    if (n < 0)
        return false;
    char name[64];
    if (!tag || !tag[0]) {
        /* QEMU's name for a snapshot given none. */
        time_t now = time(NULL);
        strftime(name, sizeof(name), "vm-%Y%m%d%H%M%S", localtime(&now));
        tag = name;
    }
    bool was_running = virt_running(m);
    virt_pause(m);
    StateBuffer state = {0};
    bool ok = virt_save_state(m, &state, NULL);
    if (!ok)
        snprintf(err, errlen, "Error while saving the machine state: out of memory");
    for (int i = 0; ok && i < n; i++) {
        char detail[400];
        int rc = block_snapshot_create(m->drives[drives[i]], tag, i == 0 ? state.data : NULL,
                                       i == 0 ? state.len : 0, clock_virtual_ns(), detail,
                                       sizeof(detail));
        if (rc < 0) {
            snprintf(err, errlen, "Error while creating snapshot on '%s': %s",
                     virt_drive_name(m, drives[i]), detail);
            ok = false;
        }
    }
    state_buffer_free(&state);
    if (was_running)
        virt_resume(m);
    return ok;
}

bool virt_loadvm(VirtMachine *m, const char *tag, const SnapshotDisks *disks, char *err,
                 size_t errlen)
{
    unsigned drives[EMBER_MAX_DRIVES];
    int n = snapshot_drives(m, disks, drives, err, errlen);
    if (n < 0)
        return false;
    BlockSnapshot found;
    for (int i = 0; i < n; i++) {
        if (!has_snapshot(m->drives[drives[i]], tag, i == 0 ? &found : NULL)) {
            snprintf(err, errlen, "Device '%s' does not have the requested snapshot '%s'",
                     virt_drive_name(m, drives[i]), tag);
            return false;
        }
    }
    if (found.vm_state_size == 0) {
        snprintf(err, errlen, "This is a disk-only snapshot. Revert to it offline using qemu-img");
        return false;
    }
    bool was_running = virt_running(m);
    virt_pause(m);
    uint8_t *state = NULL;
    size_t len = 0;
    char detail[400];
    /* The state is checked whole before the disks or the machine change. */
    bool ok = block_snapshot_read_vmstate(m->drives[drives[0]], tag, &state, &len, detail,
                                          sizeof(detail)) == 0;
    if (!ok)
        snprintf(err, errlen, "Error while reading the machine state: %s", detail);
    if (ok && !virt_check_state(m, state, len, detail, sizeof(detail))) {
        snprintf(err, errlen, "Snapshot '%s' cannot be loaded: %s", tag, detail);
        ok = false;
    }
    for (int i = 0; ok && i < n; i++) {
        if (block_snapshot_goto(m->drives[drives[i]], tag, detail, sizeof(detail)) < 0) {
            snprintf(err, errlen, "Error while reverting '%s' to snapshot '%s': %s",
                     virt_drive_name(m, drives[i]), tag, detail);
            ok = false;
        }
    }
    if (ok)
        ok = virt_load_state(m, state, len, err, errlen);
    free(state);
    if (was_running)
        virt_resume(m);
    return ok;
}

bool virt_delvm(VirtMachine *m, const char *tag, const SnapshotDisks *disks, char *err,
                size_t errlen)
{
    unsigned drives[EMBER_MAX_DRIVES];
    int n = snapshot_drives(m, disks, drives, err, errlen);
    if (n < 0)
        return false;
    for (int i = 0; i < n; i++) {
        BlockDevice *bd = m->drives[drives[i]];
        char detail[400];
        if (has_snapshot(bd, tag, NULL) &&
            block_snapshot_delete(bd, tag, detail, sizeof(detail)) < 0) {
            snprintf(err, errlen, "Error while deleting snapshot on device '%s': %s",
                     virt_drive_name(m, drives[i]), detail);
            return false;
        }
    }
    return true;
}
