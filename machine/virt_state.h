/* machine/virt_state.h: the whole virt machine's state as one stream: the
 * virtual clock, RAM, every device and the hart, each through its state
 * description (util/state.h). Snapshots and migration build on this. */
#ifndef EMBER_MACHINE_VIRT_STATE_H
#define EMBER_MACHINE_VIRT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/virt.h"
#include "migration/stream.h"
#include "util/state.h"

/* The whole machine as one stream (migration/stream.h): header, all of
 * RAM, the devices, the end. Waits for disk requests in flight first;
 * counts pages into stats (may be NULL). false when out of memory. */
bool virt_save_state(VirtMachine *m, StateBuffer *buf, MigRamStats *stats);

/* Checks the whole stream against this machine (its configuration, every
 * section's CRC, RAM pages, every device's fields), then loads it. false
 * with one line in err and the machine untouched when it does not fit. */
bool virt_load_state(VirtMachine *m, const uint8_t *data, size_t len, char *err, size_t errlen);
/* Only the check. */
bool virt_check_state(VirtMachine *m, const uint8_t *data, size_t len, char *err, size_t errlen);

/* The pieces, for migration: the configuration text a stream's header
 * carries and the check of another's against this machine; the DEVICES
 * section's payload, and its check (apply false) or load. */
void virt_stream_config(VirtMachine *m, char *out, size_t len);
bool virt_check_config(VirtMachine *m, const char *config, char *err, size_t errlen);
bool virt_save_devices(VirtMachine *m, StateBuffer *buf);
bool virt_load_devices(VirtMachine *m, const uint8_t *data, size_t len, bool apply, char *err,
                       size_t errlen);

#endif
