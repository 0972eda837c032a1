/* monitor/qmp.h: QMP, QEMU's JSON machine protocol, over TCP or a Unix
 * socket: the greeting, capabilities negotiation, commands with QEMU's
 * names, arguments, replies and error classes, and events. */
#ifndef EMBER_MONITOR_QMP_H
#define EMBER_MONITOR_QMP_H

#include <stdbool.h>
#include <stddef.h>

#include "util/mainloop.h"

/* What the monitor controls: the machine's run state. */
typedef struct MonitorTarget {
    bool (*running)(void *opaque);
    void (*stop)(void *opaque);
    void (*cont)(void *opaque);
    void (*reset)(void *opaque);
    void (*quit)(void *opaque);
    void *opaque;
} MonitorTarget;

typedef struct Qmp Qmp;

/* Listens on -qmp's device: "tcp:[HOST]:PORT,server,wait=off" (no HOST:
 * loopback) or "unix:PATH,server,wait=off" (",nowait" too). NULL with err. */
Qmp *qmp_open(const char *spec, MainLoop *loop, const MonitorTarget *target, char *err,
              size_t errlen);
void qmp_close(Qmp *qmp);

/* An event to the client (once it negotiated): name, and data as a JSON
 * object text ("{...}") or NULL. */
void qmp_event(Qmp *qmp, const char *name, const char *data_json);

#endif
