/* monitor/migration.c: migration's and snapshots' commands with QEMU 7.2's
 * names, arguments, replies and texts: migrate, migrate_cancel, info
 * migrate (query-migrate), migrate_set_parameter (migrate-set-parameters),
 * info migrate_parameters, migrate-set-capabilities (events),
 * migrate_incoming, savevm, loadvm, delvm, info snapshots. */
#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "monitor/monitor_internal.h"

static Migration *migration_of(MonitorCall *c)
{
    Migration *mig = c->set->migration;
    if (!mig)
        monitor_error(c, "GenericError", "this machine cannot migrate");
    return mig;
}

static void cmd_migrate(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    if (strcmp(t->run_state(t->opaque), "postmigrate") == 0) {
        monitor_error(c, "GenericError",
                      "Can't migrate the vm that was paused due to previous migration");
        return;
    }
    char err[400];
    if (!migration_start(mig, arg_str(c, "uri"), err, sizeof(err)))
        monitor_error(c, "GenericError", "%s", err);
}

static void cmd_migrate_cancel(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (mig)
        migration_cancel(mig);
}

static void cmd_migrate_incoming(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    if (!migration_incoming_pending(mig)) {
        monitor_error(c, "GenericError", "'-incoming' was not specified on the command line");
        return;
    }
    char err[400];
    if (!migration_incoming(mig, arg_str(c, "uri"), err, sizeof(err)))
        monitor_error(c, "GenericError", "%s", err);
}

static void cmd_query_migrate(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    MigrationInfo info;
    migration_info(mig, &info);
    c->ret = json_object();
    if (info.status == MIGRATION_NONE)
        return;
    json_object_set_new(c->ret, "status", json_string(migration_status_name(info.status)));
    if (info.status == MIGRATION_FAILED) {
        json_object_set_new(c->ret, "error-desc", json_string(info.error));
        return;
    }
    bool active = info.status == MIGRATION_ACTIVE || info.status == MIGRATION_SETUP;
    json_object_set_new(c->ret, "setup-time", json_integer((json_int_t)info.setup_time_ms));
    json_object_set_new(c->ret, "total-time", json_integer((json_int_t)info.total_time_ms));
    json_object_set_new(
        c->ret, active ? "expected-downtime" : "downtime",
        json_integer((json_int_t)(active ? info.expected_downtime_ms : info.downtime_ms)));
    json_t *ram = json_pack(
        "{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:f}", "transferred", (json_int_t)info.transferred,
        "remaining", (json_int_t)info.remaining, "total", (json_int_t)info.total, "duplicate",
        (json_int_t)info.duplicate, "skipped", (json_int_t)0, "normal", (json_int_t)info.normal,
        "normal-bytes", (json_int_t)info.normal_bytes, "dirty-sync-count",
        (json_int_t)info.dirty_sync_count, "page-size", (json_int_t)4096, "mbps", info.mbps);
    if (active)
        json_object_set_new(ram, "dirty-pages-rate",
                            json_integer((json_int_t)info.dirty_pages_rate));
    json_object_set_new(c->ret, "ram", ram);
    if (info.cpu_throttle)
        json_object_set_new(c->ret, "cpu-throttle-percentage",
                            json_integer((json_int_t)info.cpu_throttle));
}

static long long ret_int(json_t *obj, const char *key)
{
    return (long long)json_integer_value(json_object_get(obj, key));
}

static void human_migrate(MonitorCall *c)
{
    StrBuf *out = c->out;
    strbuf_printf(out, "globals:\nstore-global-state: on\nonly-migratable: off\n"
                       "send-configuration: on\nsend-section-footer: on\n"
                       "decompress-error-check: on\nclear-bitmap-shift: 18\n");
    json_t *status = json_object_get(c->ret, "status");
    if (!status)
        return;
    strbuf_printf(out, "Migration status: %s", json_string_value(status));
    json_t *desc = json_object_get(c->ret, "error-desc");
    if (desc) {
        strbuf_printf(out, " (%s)\n", json_string_value(desc));
        return;
    }
    strbuf_printf(out, "\ntotal time: %lld ms\n", ret_int(c->ret, "total-time"));
    if (json_object_get(c->ret, "expected-downtime"))
        strbuf_printf(out, "expected downtime: %lld ms\n", ret_int(c->ret, "expected-downtime"));
    else
        strbuf_printf(out, "downtime: %lld ms\n", ret_int(c->ret, "downtime"));
    strbuf_printf(out, "setup: %lld ms\n", ret_int(c->ret, "setup-time"));
    json_t *ram = json_object_get(c->ret, "ram");
    strbuf_printf(out, "transferred ram: %lld kbytes\n", ret_int(ram, "transferred") >> 10);
    strbuf_printf(out, "throughput: %0.2f mbps\n", json_real_value(json_object_get(ram, "mbps")));
    strbuf_printf(out, "remaining ram: %lld kbytes\n", ret_int(ram, "remaining") >> 10);
    strbuf_printf(out, "total ram: %lld kbytes\n", ret_int(ram, "total") >> 10);
    strbuf_printf(out, "duplicate: %lld pages\n", ret_int(ram, "duplicate"));
    strbuf_printf(out, "skipped: 0 pages\n");
    strbuf_printf(out, "normal: %lld pages\n", ret_int(ram, "normal"));
    strbuf_printf(out, "normal bytes: %lld kbytes\n", ret_int(ram, "normal-bytes") >> 10);
    strbuf_printf(out, "dirty sync count: %lld\n", ret_int(ram, "dirty-sync-count"));
    strbuf_printf(out, "page size: 4 kbytes\n");
    if (json_object_get(ram, "dirty-pages-rate"))
        strbuf_printf(out, "dirty pages rate: %lld pages\n", ret_int(ram, "dirty-pages-rate"));
    if (json_object_get(c->ret, "cpu-throttle-percentage"))
        strbuf_printf(out, "cpu throttle percentage: %lld\n",
                      ret_int(c->ret, "cpu-throttle-percentage"));
}

/* The parameters ember has, with QEMU's names, units and limits. */
static const struct {
    const char *name;
    size_t offset;
    uint64_t max;
    const char *unit; /* how info migrate_parameters shows it */
} parameters[] = {
    {"max-bandwidth", offsetof(MigrationParameters, max_bandwidth), UINT64_MAX, " bytes/second"},
    {"downtime-limit", offsetof(MigrationParameters, downtime_limit_ms), 2000000, " ms"},
    {"cpu-throttle-initial", offsetof(MigrationParameters, cpu_throttle_initial), 99, ""},
    {"cpu-throttle-increment", offsetof(MigrationParameters, cpu_throttle_increment), 99, ""},
    {"max-cpu-throttle", offsetof(MigrationParameters, max_cpu_throttle), 99, ""},
    {"throttle-trigger-threshold", offsetof(MigrationParameters, throttle_trigger_threshold), 100,
     ""},
};
#define N_PARAMETERS (sizeof(parameters) / sizeof(parameters[0]))

static uint64_t *parameter(MigrationParameters *p, size_t i)
{
    return (uint64_t *)((char *)p + parameters[i].offset);
}

static void cmd_query_migrate_parameters(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    c->ret = json_object();
    for (size_t i = 0; i < N_PARAMETERS; i++)
        json_object_set_new(c->ret, parameters[i].name,
                            json_integer((json_int_t)*parameter(migration_parameters(mig), i)));
}

static void human_migrate_parameters(MonitorCall *c)
{
    for (size_t i = 0; i < N_PARAMETERS; i++)
        strbuf_printf(c->out, "%s: %lld%s\n", parameters[i].name,
                      ret_int(c->ret, parameters[i].name), parameters[i].unit);
}

/* QEMU's check and message: the range comes from the parameter. */
static bool set_parameter(MonitorCall *c, MigrationParameters *p, const char *name, long long value)
{
    for (size_t i = 0; i < N_PARAMETERS; i++) {
        if (strcmp(name, parameters[i].name) != 0)
            continue;
        if (value < 0 || (uint64_t)value > parameters[i].max) {
            char under[64];
            snprintf(under, sizeof(under), "%s", name);
            for (char *u = under; *u; u++)
                *u = *u == '-' ? '_' : *u;
            monitor_error(c, "GenericError",
                          "Parameter '%s' expects an integer in the range of 0 to %llu%s", under,
                          (unsigned long long)parameters[i].max, parameters[i].unit);
            return false;
        }
        *parameter(p, i) = (uint64_t)value;
        return true;
    }
    monitor_error(c, "GenericError", "Parameter '%s' is not supported by ember", name);
    return false;
}

static void cmd_migrate_set_parameters(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    MigrationParameters copy = *migration_parameters(mig);
    const char *key;
    json_t *value;
    json_object_foreach(c->args, key, value)
    {
        if (!json_is_integer(value)) {
            monitor_error(c, "GenericError", "Invalid parameter type for '%s', expected: integer",
                          key);
            return;
        }
        if (!set_parameter(c, &copy, key, (long long)json_integer_value(value)))
            return;
    }
    *migration_parameters(mig) = copy;
}

/* HMP: max-bandwidth takes a size (a bare number is MiB, as QEMU reads it). */
static void cmd_migrate_set_parameter(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    const char *name = arg_str(c, "parameter"), *text = arg_str(c, "value");
    char *end;
    double number = strtod(text, &end);
    static const char units[] = "BKMGTPE";
    const char *unit = *end ? strchr(units, *end & ~0x20) : NULL;
    bool bandwidth = strcmp(name, "max-bandwidth") == 0;
    if (end == text || number < 0 || (*end && (!bandwidth || !unit || end[1]))) {
        monitor_error(c, "GenericError", "Parameter '%s' expects %s", name,
                      bandwidth ? "a size value" : "an integer");
        return;
    }
    if (bandwidth)
        number *= pow(1024, unit ? (double)(unit - units) : 2);
    if (number > 9.2e18 || (!bandwidth && number != floor(number))) {
        monitor_error(c, "GenericError", "Parameter '%s' expects an integer", name);
        return;
    }
    MigrationParameters copy = *migration_parameters(mig);
    if (set_parameter(c, &copy, name, (long long)number))
        *migration_parameters(mig) = copy;
}

/* The capabilities ember has, with QEMU's names. */
static bool *capability(MigrationCapabilities *caps, const char *name)
{
    if (strcmp(name, "events") == 0)
        return &caps->events;
    if (strcmp(name, "auto-converge") == 0)
        return &caps->auto_converge;
    return NULL;
}

static const char *const capability_names[] = {"events", "auto-converge"};

static void cmd_migrate_set_capabilities(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    json_t *list = json_object_get(c->args, "capabilities");
    MigrationCapabilities copy = *migration_capabilities(mig);
    size_t i;
    json_t *cap;
    json_array_foreach(list, i, cap)
    {
        const char *name = json_string_value(json_object_get(cap, "capability"));
        json_t *state = json_object_get(cap, "state");
        if (!name || !json_is_boolean(state)) {
            monitor_error(c, "GenericError",
                          "Parameter 'capabilities' expects "
                          "{\"capability\": NAME, \"state\": BOOL} items");
            return;
        }
        bool *flag = capability(&copy, name);
        if (!flag) {
            monitor_error(c, "GenericError", "Capability '%s' is not supported by ember", name);
            return;
        }
        *flag = json_is_true(state);
    }
    *migration_capabilities(mig) = copy;
}

/* HMP: migrate_set_capability NAME on|off. */
static void cmd_migrate_set_capability(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    bool *flag = capability(migration_capabilities(mig), arg_str(c, "capability"));
    if (!flag)
        monitor_error(c, "GenericError", "Capability '%s' is not supported by ember",
                      arg_str(c, "capability"));
    else
        *flag = arg_bool(c, "state");
}

static void cmd_query_migrate_capabilities(MonitorCall *c)
{
    Migration *mig = migration_of(c);
    if (!mig)
        return;
    c->ret = json_array();
    for (size_t i = 0; i < sizeof(capability_names) / sizeof(capability_names[0]); i++)
        json_array_append_new(
            c->ret, json_pack("{s:s,s:b}", "capability", capability_names[i], "state",
                              *capability(migration_capabilities(mig), capability_names[i])));
}

static void human_migrate_capabilities(MonitorCall *c)
{
    size_t i;
    json_t *cap;
    json_array_foreach(c->ret, i, cap)
    {
        strbuf_printf(c->out, "%s: %s\n", json_string_value(json_object_get(cap, "capability")),
                      json_is_true(json_object_get(cap, "state")) ? "on" : "off");
    }
}

/* ---- Snapshots ---- */

typedef bool SnapshotOp(void *opaque, const char *tag, const SnapshotDisks *disks, char *err,
                        size_t errlen);

/* The machine stops for the operation: STOP and RESUME, as QEMU sends.
 * false with the reason in err. */
static bool run_snapshot_op(MonitorCall *c, SnapshotOp *op, const char *tag,
                            const SnapshotDisks *disks, char *err, size_t errlen)
{
    const MonitorTarget *t = &c->set->t;
    bool was_running = t->running(t->opaque);
    if (was_running)
        monitor_event(c->set, "STOP", NULL);
    bool ok = op(t->opaque, tag, disks, err, errlen);
    if (was_running && t->running(t->opaque))
        monitor_event(c->set, "RESUME", NULL);
    return ok;
}

static void hmp_snapshot_op(MonitorCall *c, SnapshotOp *op)
{
    char err[600];
    if (!run_snapshot_op(c, op, arg_str(c, "name"), NULL, err, sizeof(err)))
        monitor_error(c, "GenericError", "%s", err);
}

static void cmd_savevm(MonitorCall *c)
{
    hmp_snapshot_op(c, c->set->t.savevm);
}

static void cmd_loadvm(MonitorCall *c)
{
    hmp_snapshot_op(c, c->set->t.loadvm);
}

static void cmd_delvm(MonitorCall *c)
{
    hmp_snapshot_op(c, c->set->t.delvm);
}

/* ---- QMP's snapshot jobs (snapshot-save, -load, -delete), as QEMU 7.2:
 * the job runs at once; its statuses arrive as JOB_STATUS_CHANGE events
 * (created, running, then waiting, pending, concluded, or aborting,
 * concluded with the error); it stays in query-jobs until job-dismiss. */

static void job_status(MonitorCall *c, MonitorJob *job, const char *status)
{
    job->status = status;
    char data[200];
    snprintf(data, sizeof(data), "{\"status\": \"%s\", \"id\": \"%s\"}", status, job->id);
    monitor_event(c->set, "JOB_STATUS_CHANGE", data);
}

static MonitorJob *find_job(MonitorSet *set, const char *id)
{
    for (unsigned i = 0; i < set->n_jobs; i++)
        if (strcmp(set->jobs[i].id, id) == 0)
            return &set->jobs[i];
    return NULL;
}

static void snapshot_job(MonitorCall *c, const char *type, SnapshotOp *op, bool with_vmstate)
{
    MonitorSet *set = c->set;
    const char *id = arg_str(c, "job-id");
    json_t *list = json_object_get(c->args, "devices");
    const char *names[MONITOR_MAX_JOB_DEVICES];
    size_t n = json_array_size(list), i;
    json_t *item;
    if (find_job(set, id)) {
        monitor_error(c, "GenericError", "Job ID '%s' already in use", id);
        return;
    }
    if (strlen(id) >= sizeof(set->jobs[0].id) || set->n_jobs == MONITOR_MAX_JOBS ||
        n > MONITOR_MAX_JOB_DEVICES) {
        monitor_error(c, "GenericError", "Too many jobs, devices or too long a job ID");
        return;
    }
    json_array_foreach(list, i, item)
    {
        if (!json_is_string(item)) {
            monitor_error(c, "GenericError",
                          "Invalid parameter type for 'devices[%zu]', "
                          "expected: string",
                          i);
            return;
        }
        names[i] = json_string_value(item);
    }
    MonitorJob *job = &set->jobs[set->n_jobs++];
    *job = (MonitorJob){.type = type};
    snprintf(job->id, sizeof(job->id), "%s", id);
    job_status(c, job, "created");
    job_status(c, job, "running");
    SnapshotDisks disks = {names, (unsigned)n, with_vmstate ? arg_str(c, "vmstate") : NULL};
    if (run_snapshot_op(c, op, arg_str(c, "tag"), &disks, job->error, sizeof(job->error))) {
        job->error[0] = '\0';
        job_status(c, job, "waiting");
        job_status(c, job, "pending");
    } else {
        job_status(c, job, "aborting");
    }
    job_status(c, job, "concluded");
}

static void cmd_snapshot_save(MonitorCall *c)
{
    snapshot_job(c, "snapshot-save", c->set->t.savevm, true);
}

static void cmd_snapshot_load(MonitorCall *c)
{
    snapshot_job(c, "snapshot-load", c->set->t.loadvm, true);
}

static void cmd_snapshot_delete(MonitorCall *c)
{
    snapshot_job(c, "snapshot-delete", c->set->t.delvm, false);
}

/* Newest first, as QEMU lists them. */
static void cmd_query_jobs(MonitorCall *c)
{
    MonitorSet *set = c->set;
    c->ret = json_array();
    for (unsigned i = set->n_jobs; i-- > 0;) {
        const MonitorJob *job = &set->jobs[i];
        json_t *entry =
            json_pack("{s:s,s:s,s:s,s:i,s:i}", "id", job->id, "type", job->type, "status",
                      job->status, "current-progress", 1, "total-progress", 1);
        if (job->error[0])
            json_object_set_new(entry, "error", json_string(job->error));
        json_array_append_new(c->ret, entry);
    }
}

static void cmd_job_dismiss(MonitorCall *c)
{
    MonitorSet *set = c->set;
    MonitorJob *job = find_job(set, arg_str(c, "id"));
    if (!job) {
        monitor_error(c, "GenericError", "Job not found");
        return;
    }
    job_status(c, job, "null");
    size_t at = (size_t)(job - set->jobs);
    memmove(job, job + 1, (set->n_jobs - at - 1) * sizeof(*job));
    set->n_jobs--;
}

/* QEMU's size_to_str: three significant digits, binary units. */
static void size_text(uint64_t value, char *out, size_t len)
{
    static const char *const suffixes[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    int exp;
    frexp((double)value / (1000.0 / 1024.0), &exp);
    int i = exp > 0 ? (exp - 1) / 10 : 0;
    snprintf(out, len, "%0.3g %sB", (double)value / (double)(1ull << (i * 10)), suffixes[i]);
}

static void snapshot_row(StrBuf *out, const BlockSnapshot *s, const char *id)
{
    char size[32], date[32] = "", clock[32];
    size_text(s->vm_state_size, size, sizeof(size));
    time_t when = (time_t)s->date_sec;
    struct tm tm;
    if (localtime_r(&when, &tm))
        strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
    uint64_t ms = s->vm_clock_ns / 1000000;
    snprintf(clock, sizeof(clock), "%02" PRIu64 ":%02" PRIu64 ":%02" PRIu64 ".%03" PRIu64,
             ms / 3600000, ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
    strbuf_printf(out, "%-9s %-16s %8s%20s%13s%11s\n", id, s->name, size, date, clock, "");
}

static void snapshot_header(StrBuf *out)
{
    strbuf_printf(out, "%-10s%-17s%8s%20s%13s%11s\n", "ID", "TAG", "VM SIZE", "DATE", "VM CLOCK",
                  "ICOUNT");
}

static bool listed(const BlockSnapshot *list, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(list[i].name, name) == 0)
            return true;
    return false;
}

/* As QEMU: the snapshots on every disk that can hold them (those savevm
 * took), listed from the first; then each disk's others. */
static void cmd_info_snapshots(MonitorCall *c)
{
    const MonitorTarget *t = &c->set->t;
    BlockSnapshot *lists[64] = {0};
    int counts[64] = {0};
    const char *names[64];
    unsigned n = 0;
    BlockDevice *bd;
    bool readonly;
    const char *name;
    for (unsigned i = 0; (name = t->drive(t->opaque, i, &bd, &readonly)) != NULL && n < 64; i++) {
        if (!bd || readonly || !block_can_snapshot(bd))
            continue;
        char err[400];
        counts[n] = block_snapshot_list(bd, &lists[n], err, sizeof(err));
        if (counts[n] < 0) {
            monitor_error(c, "GenericError", "%s", err);
            goto out;
        }
        names[n++] = name;
    }
    int total = 0;
    for (unsigned d = 0; d < n; d++)
        total += counts[d];
    if (n == 0 || total == 0) {
        strbuf_printf(c->out, n ? "There is no snapshot available.\n"
                                : "There is no suitable snapshot available\n");
        goto out;
    }
    strbuf_printf(c->out, "List of snapshots present on all disks:\n");
    snapshot_header(c->out);
    for (int i = 0; i < counts[0]; i++) {
        bool everywhere = true;
        for (unsigned d = 1; d < n && everywhere; d++)
            everywhere = listed(lists[d], counts[d], lists[0][i].name);
        if (everywhere)
            snapshot_row(c->out, &lists[0][i], "--");
    }
    for (unsigned d = 0; d < n; d++) {
        bool header = false;
        for (int i = 0; i < counts[d]; i++) {
            bool everywhere = true;
            for (unsigned e = 0; e < n && everywhere; e++)
                everywhere = listed(lists[e], counts[e], lists[d][i].name);
            if (everywhere)
                continue;
            if (!header) {
                strbuf_printf(c->out, "\nList of partial (non-loadable) snapshots on '%s':\n",
                              names[d]);
                snapshot_header(c->out);
                header = true;
            }
            snapshot_row(c->out, &lists[d][i], lists[d][i].id);
        }
    }
out:
    for (unsigned d = 0; d < n; d++)
        free(lists[d]);
}

const MonitorCommand monitor_migration_commands[] = {
    {"migrate", "migrate", "detach:-d,uri:s", NULL, "[-d] uri",
     "migrate to URI (tcp:HOST:PORT, exec:CMD or file:PATH)", cmd_migrate, NULL},
    {"migrate_cancel", "migrate_cancel", "", NULL, "", "cancel the current VM migration",
     cmd_migrate_cancel, NULL},
    {"migrate-incoming", "migrate_incoming", "uri:s", NULL, "uri",
     "continue an incoming migration from an -incoming defer", cmd_migrate_incoming, NULL},
    {"query-migrate", "info migrate", "", NULL, "", "show migration status", cmd_query_migrate,
     human_migrate},
    {"migrate-set-parameters", NULL,
     "downtime-limit:i?,max-bandwidth:i?,cpu-throttle-initial:i?,cpu-throttle-increment:i?,"
     "max-cpu-throttle:i?,throttle-trigger-threshold:i?",
     NULL, NULL, "set migration parameters", cmd_migrate_set_parameters, NULL},
    {NULL, "migrate_set_parameter", "parameter:s,value:s", NULL, "parameter value",
     "set a migration parameter (downtime-limit ms, max-bandwidth bytes/s or with a K/M/G "
     "suffix)",
     cmd_migrate_set_parameter, NULL},
    {"query-migrate-parameters", "info migrate_parameters", "", NULL, "",
     "show current migration parameters", cmd_query_migrate_parameters, human_migrate_parameters},
    {"migrate-set-capabilities", NULL, "capabilities:a", NULL, NULL,
     "set migration capabilities (events, auto-converge)", cmd_migrate_set_capabilities, NULL},
    {NULL, "migrate_set_capability", "capability:s,state:b", NULL, "capability state",
     "enable or disable a migration capability (events, auto-converge)", cmd_migrate_set_capability,
     NULL},
    {"query-migrate-capabilities", "info migrate_capabilities", "", NULL, "",
     "show current migration capabilities", cmd_query_migrate_capabilities,
     human_migrate_capabilities},
    {NULL, "savevm", "name:s?", NULL, "[tag]",
     "save a VM snapshot. If no tag is provided, a new snapshot is created", cmd_savevm, NULL},
    {NULL, "loadvm", "name:s", NULL, "tag", "restore a VM snapshot from its tag", cmd_loadvm, NULL},
    {NULL, "delvm", "name:s", NULL, "tag", "delete a VM snapshot from its tag", cmd_delvm, NULL},
    {NULL, "info snapshots", "", NULL, "", "show the currently saved VM snapshots",
     cmd_info_snapshots, NULL},
    {"snapshot-save", NULL, "job-id:s,tag:s,vmstate:s,devices:a", NULL, NULL,
     "save a VM snapshot as a job", cmd_snapshot_save, NULL},
    {"snapshot-load", NULL, "job-id:s,tag:s,vmstate:s,devices:a", NULL, NULL,
     "load a VM snapshot as a job", cmd_snapshot_load, NULL},
    {"snapshot-delete", NULL, "job-id:s,tag:s,devices:a", NULL, NULL,
     "delete a VM snapshot as a job", cmd_snapshot_delete, NULL},
    {"query-jobs", NULL, "", NULL, NULL, "list the jobs", cmd_query_jobs, NULL},
    {"job-dismiss", NULL, "id:s", NULL, NULL, "remove a concluded job", cmd_job_dismiss, NULL},
};

const size_t monitor_n_migration_commands =
    sizeof(monitor_migration_commands) / sizeof(monitor_migration_commands[0]);
