/* migration/migration.h: moving a running machine (QEMU's migrate and
 * -incoming): pre-copy over tcp:HOST:PORT, exec:CMD or file:PATH. RAM
 * goes while the guest runs, pages it writes meanwhile are logged and sent
 * again, until what remains fits the downtime limit; then the machine
 * stops and the rest and the devices go (migration/stream.h). Everything
 * runs on the main loop, between the guest's time slices. */
#ifndef EMBER_MIGRATION_MIGRATION_H
#define EMBER_MIGRATION_MIGRATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/mainloop.h"
#include "util/state.h"

/* What migration needs of the machine. */
typedef struct MigrationHooks {
    void *opaque;
    uint8_t *ram;
    uint64_t ram_size;
    /* Dirty logging of RAM: from start on (false: out of memory), sync
     * ORs into bitmap (a bit a page) the pages written since the previous
     * sync (or start) and returns how many it added. */
    bool (*log_start)(void *opaque);
    uint64_t (*log_sync)(void *opaque, uint64_t *bitmap);
    void (*log_stop)(void *opaque);
    void (*config)(void *opaque, char *out, size_t len);
    bool (*save_devices)(void *opaque, StateBuffer *buf);
    /* The run state: migration stops the machine for its last part, and
     * resumes it when that part fails or is cancelled. */
    bool (*running)(void *opaque);
    void (*stop)(void *opaque);
    void (*cont)(void *opaque);
    /* The disks are shared files: the source gives them up before its
     * last part goes (and takes them back when it fails), the destination
     * takes them when the stream is complete. false with err. */
    bool (*disks_release)(void *opaque, char *err, size_t errlen);
    bool (*disks_take)(void *opaque, char *err, size_t errlen);
    /* The destination's side: the stream's configuration checked against
     * this machine, the DEVICES section checked or loaded; done reports
     * the end (err NULL: the machine is complete, and running says
     * whether the source was running). */
    bool (*check_config)(void *opaque, const char *config, char *err, size_t errlen);
    bool (*load_devices)(void *opaque, const uint8_t *data, size_t len, bool apply, char *err,
                         size_t errlen);
    void (*incoming_done)(void *opaque, const char *err, bool running);
    /* A status change, for QMP's MIGRATION event ("setup", "active", ...),
     * of the outgoing migration or the incoming one. */
    void (*status_changed)(void *opaque, const char *status, bool incoming);
    MainLoop *loop;
} MigrationHooks;

typedef enum MigrationStatus {
    MIGRATION_NONE,
    MIGRATION_SETUP,
    MIGRATION_ACTIVE,
    MIGRATION_COMPLETED,
    MIGRATION_FAILED,
    MIGRATION_CANCELLED,
} MigrationStatus;

/* QEMU's name of a status: "none", "setup", "active", ... */
const char *migration_status_name(MigrationStatus status);

/* query-migrate's numbers (bytes, milliseconds), as QEMU counts them. */
typedef struct MigrationInfo {
    MigrationStatus status;
    uint64_t total_time_ms; /* so far while active */
    uint64_t setup_time_ms;
    uint64_t downtime_ms;          /* once completed */
    uint64_t expected_downtime_ms; /* while active */
    uint64_t transferred, remaining, total;
    uint64_t duplicate, normal, normal_bytes;
    uint64_t dirty_sync_count;
    uint64_t dirty_pages_rate; /* pages a second, over the last pass */
    double mbps;               /* throughput, megabits a second */
    unsigned cpu_throttle;     /* auto-converge's, percent */
    char error[512];           /* why it failed */
} MigrationInfo;

typedef struct MigrationParameters {
    uint64_t downtime_limit_ms; /* QEMU's default: 300 */
    uint64_t max_bandwidth;     /* bytes a second; QEMU's default: 128 MiB */
    /* auto-converge: the guest's CPU is slowed by cpu_throttle_initial
     * percent, then by increment more, up to max, each time it wrote more
     * than trigger_threshold percent of what went in a pass, twice. */
    uint64_t cpu_throttle_initial;       /* 20 */
    uint64_t cpu_throttle_increment;     /* 10 */
    uint64_t max_cpu_throttle;           /* 99 */
    uint64_t throttle_trigger_threshold; /* 50 */
} MigrationParameters;

/* QEMU's migration capabilities that ember has. */
typedef struct MigrationCapabilities {
    bool events;        /* MIGRATION events with each status */
    bool auto_converge; /* slow the guest down when it writes too fast */
} MigrationCapabilities;

typedef struct Migration Migration;

Migration *migration_new(const MigrationHooks *hooks);
/* Cancels an outgoing migration, closes everything. */
void migration_free(Migration *mig);

/* migrate URI: false with QEMU's kind of message in err for a URI ember
 * cannot use, or a migration already running; otherwise it runs on. */
bool migration_start(Migration *mig, const char *uri, char *err, size_t errlen);
void migration_cancel(Migration *mig);
void migration_info(const Migration *mig, MigrationInfo *info);
MigrationParameters *migration_parameters(Migration *mig);
MigrationCapabilities *migration_capabilities(Migration *mig);
/* The share of time (percent, 0: none) the guest's CPU should sleep now:
 * auto-converge's throttle while a migration runs. */
unsigned migration_cpu_throttle(const Migration *mig);

/* -incoming URI (or migrate-incoming after -incoming defer): waits for a
 * stream and loads it; hooks->incoming_done tells how it ended. */
bool migration_incoming(Migration *mig, const char *uri, char *err, size_t errlen);
/* Whether the machine waits for an incoming stream (it must not run). */
bool migration_incoming_pending(const Migration *mig);

#endif
