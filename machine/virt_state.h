/* machine/virt_state.h: the whole virt machine's state as one stream: the
 * virtual clock, RAM, every device and the hart, each through its state
 * description (util/state.h). Snapshots and migration build on this. */
#ifndef EMBER_MACHINE_VIRT_STATE_H
#define EMBER_MACHINE_VIRT_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "machine/virt.h"
#include "util/state.h"

/* Appends the machine's state to buf; false when out of memory. */
bool virt_save_state(VirtMachine *m, StateBuffer *buf);

/* Checks the whole stream against this machine (RAM size, the same devices
 * in the same order, every section's fields), then loads it. false with
 * one line in err and the machine untouched when the stream does not fit. */
bool virt_load_state(VirtMachine *m, const uint8_t *data, size_t len, char *err, size_t errlen);

#endif
