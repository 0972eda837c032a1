/* monitor/monitor_internal.h: what the monitor's files share: the command
 * table's row, one call of a command, and the protocol front ends' entry
 * points; nothing outside monitor/ includes it. */
#ifndef EMBER_MONITOR_INTERNAL_H
#define EMBER_MONITOR_INTERNAL_H

#include <jansson.h>
#include <stdarg.h>

#include "monitor/memdump.h"
#include "monitor/monitor.h"
#include "util/strbuf.h"

typedef struct Qmp Qmp;
typedef struct Hmp Hmp;

#define MONITOR_MAX 8

/* A QMP job (snapshot-save and its kin): it ran to completion; QMP
 * clients see its status until job-dismiss. */
#define MONITOR_MAX_JOBS 16
#define MONITOR_MAX_JOB_DEVICES 16
typedef struct MonitorJob {
    char id[64];
    const char *type;
    const char *status;
    char error[600]; /* empty: it succeeded */
} MonitorJob;

struct MonitorSet {
    MonitorTarget t;
    Qmp *qmp[MONITOR_MAX];
    unsigned n_qmp;
    Hmp *hmp[MONITOR_MAX];
    unsigned n_hmp;
    Migration *migration; /* NULL until the machine has one */
    MonitorJob jobs[MONITOR_MAX_JOBS];
    unsigned n_jobs;
    MemDumpFormat last_format; /* x and xp start from the last one, as QEMU's */
    unsigned cpu;              /* the current hart (HMP's cpu N): registers, x, $pc */
    bool quitting;             /* quit ran: no more prompts */
};

#define EMBER_PACKAGE "ember " EMBER_VERSION

/* One run of a command. Arguments arrive checked against the command's
 * spec (as QMP arguments: HMP's are parsed into the same object). A
 * command sets ret (QMP's return value; NULL means {}), or an error, and
 * may write text for the human monitor to out. */
typedef struct MonitorCall {
    MonitorSet *set;
    json_t *args;
    json_t *ret;
    StrBuf *out;
    bool from_hmp;
    const char *error_class; /* NULL: success */
    char error[512];
} MonitorCall;

/* A row of the command table. args is the arguments' spec, as QEMU's
 * args_type: "name:T" items separated by commas, T one of
 *   s  a string (HMP: one word)        S  the rest of the line (HMP)
 *   F  a file name (HMP: one word)     /  x's "/FMT" (HMP)
 *   i  an integer (HMP: an expression, with $pc and $REG)
 *   b  a boolean (HMP: on or off)      -X a flag (HMP: -X present)
 *   a  an array (QMP only)
 * and a trailing '?' for an optional one. QMP sees s S F / as strings,
 * i as integers, b and -X as booleans. */
typedef struct MonitorCommand {
    const char *qmp_name; /* NULL: the human monitor's only */
    const char *hmp_name; /* "info status"; NULL: QMP's only */
    const char *args;
    const char *hmp_args; /* when HMP's differ from args; NULL: the same */
    const char *params;   /* as help shows them */
    const char *help;
    void (*run)(MonitorCall *c);
    /* Renders a QMP return value for the human monitor; NULL: nothing. */
    void (*human)(MonitorCall *c);
} MonitorCommand;

/* The table is in parts: commands.c's, inspect.c's, net.c's,
 * migration.c's and ui.c's. */
extern const MonitorCommand monitor_control_commands[];
extern const size_t monitor_n_control_commands;
extern const MonitorCommand monitor_inspect_commands[];
extern const size_t monitor_n_inspect_commands;
extern const MonitorCommand monitor_net_commands[];
extern const size_t monitor_n_net_commands;
extern const MonitorCommand monitor_migration_commands[];
extern const size_t monitor_n_migration_commands;
extern const MonitorCommand monitor_ui_commands[];
extern const size_t monitor_n_ui_commands;
/* The i-th command of the whole table, NULL past the last. */
const MonitorCommand *monitor_command_at(size_t i);

const MonitorCommand *monitor_find_qmp(const char *name);
const MonitorCommand *monitor_find_hmp(const char *name);

void monitor_error(MonitorCall *c, const char *error_class, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Checks args (an object) against spec: QEMU's errors for a missing,
 * unexpected or mistyped member. */
bool monitor_check_args(MonitorCall *c, const char *spec);
/* Runs cmd on checked args; for HMP, renders its return into out. */
void monitor_run(MonitorCall *c, const MonitorCommand *cmd);

/* The argument accessors, for arguments the spec made sure of. */
const char *arg_str(const MonitorCall *c, const char *name);
long long arg_int(const MonitorCall *c, const char *name, long long fallback);
bool arg_bool(const MonitorCall *c, const char *name);

/* A human monitor command line run for its text (human-monitor-command). */
void hmp_run_line(MonitorSet *set, const char *line, StrBuf *out);
/* "help [CMD]" and "info" text. */
void hmp_help(const char *name, StrBuf *out);

/* An HMP expression ("0x80000000 + 4 * 2", "$pc", "$sp - 16"). */
bool hmp_eval(MonitorSet *set, const char *text, unsigned long long *value, char *err,
              size_t errlen);

/* qmp.c and hmp.c: a monitor on a chardev. */
Qmp *qmp_new(MonitorSet *set, Chardev *chr);
void qmp_free(Qmp *q);
void qmp_send_event(Qmp *q, const char *name, const char *data_json);
Hmp *hmp_new(MonitorSet *set, Chardev *chr);
void hmp_free(Hmp *h);

#endif
