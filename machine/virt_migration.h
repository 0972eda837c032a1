/* machine/virt_migration.h: migration and snapshots of the virt machine
 * (QEMU's migrate, -incoming, savevm, loadvm, delvm, -loadvm). */
#ifndef EMBER_MACHINE_VIRT_MIGRATION_H
#define EMBER_MACHINE_VIRT_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>

#include "machine/virt.h"
#include "migration/migration.h"
#include "monitor/monitor.h"

/* The machine's Migration, and -incoming when given (the machine then
 * waits, stopped, for its state). false with one line in err. */
bool virt_migration_init(VirtMachine *m, char *err, size_t errlen);

/* QEMU's savevm, loadvm and delvm over every writable disk (qcow2; the
 * first also holds the machine's state), or the disks named (NULL: all),
 * with QEMU's messages in err.
 * loadvm checks the saved state whole before any disk or the machine
 * changes; the machine keeps running or stopped as it was. */
bool virt_savevm(VirtMachine *m, const char *tag, const SnapshotDisks *disks, char *err,
                 size_t errlen);
bool virt_loadvm(VirtMachine *m, const char *tag, const SnapshotDisks *disks, char *err,
                 size_t errlen);
bool virt_delvm(VirtMachine *m, const char *tag, const SnapshotDisks *disks, char *err,
                size_t errlen);

#endif
