/* monitor/monitor.c: the monitors of a machine, QMP's events to them, and
 * what HMP and QMP share of running a command: finding it, checking its
 * arguments with QEMU's errors, and rendering its return for a human. */
#include "monitor/monitor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_internal.h"

MonitorSet *monitor_set_new(const MonitorTarget *target)
{
    MonitorSet *set = calloc(1, sizeof(*set));
    if (!set)
        return NULL;
    set->t = *target;
    set->last_format = (MemDumpFormat)MEMDUMP_FORMAT_INIT;
    return set;
}

void monitor_set_free(MonitorSet *set)
{
    if (!set)
        return;
    for (unsigned i = 0; i < set->n_qmp; i++)
        qmp_free(set->qmp[i]);
    for (unsigned i = 0; i < set->n_hmp; i++)
        hmp_free(set->hmp[i]);
    free(set);
}

bool monitor_attach(MonitorSet *set, Chardev *chr, bool control, char *err, size_t errlen)
{
    if (set->n_qmp + set->n_hmp >= MONITOR_MAX) {
        snprintf(err, errlen, "at most %d monitors", MONITOR_MAX);
        return false;
    }
    if (control) {
        Qmp *q = qmp_new(set, chr);
        if (q)
            set->qmp[set->n_qmp++] = q;
        else
            snprintf(err, errlen, "the character device is in use");
        return q != NULL;
    }
    Hmp *h = hmp_new(set, chr);
    if (h)
        set->hmp[set->n_hmp++] = h;
    else
        snprintf(err, errlen, "the character device is in use");
    return h != NULL;
}

void monitor_set_migration(MonitorSet *set, Migration *mig)
{
    if (set)
        set->migration = mig;
}

void monitor_event(MonitorSet *set, const char *name, const char *data_json)
{
    for (unsigned i = 0; set && i < set->n_qmp; i++)
        qmp_send_event(set->qmp[i], name, data_json);
}

/* ---- Commands ---- */

const MonitorCommand *monitor_command_at(size_t i)
{
    if (i < monitor_n_control_commands)
        return &monitor_control_commands[i];
    i -= monitor_n_control_commands;
    if (i < monitor_n_inspect_commands)
        return &monitor_inspect_commands[i];
    i -= monitor_n_inspect_commands;
    if (i < monitor_n_net_commands)
        return &monitor_net_commands[i];
    i -= monitor_n_net_commands;
    if (i < monitor_n_migration_commands)
        return &monitor_migration_commands[i];
    i -= monitor_n_migration_commands;
    return i < monitor_n_ui_commands ? &monitor_ui_commands[i] : NULL;
}

const MonitorCommand *monitor_find_qmp(const char *name)
{
    const MonitorCommand *cmd;
    for (size_t i = 0; (cmd = monitor_command_at(i)) != NULL; i++)
        if (cmd->qmp_name && strcmp(cmd->qmp_name, name) == 0)
            return cmd;
    return NULL;
}

const MonitorCommand *monitor_find_hmp(const char *name)
{
    const MonitorCommand *cmd;
    for (size_t i = 0; (cmd = monitor_command_at(i)) != NULL; i++)
        if (cmd->hmp_name && strcmp(cmd->hmp_name, name) == 0)
            return cmd;
    return NULL;
}

void monitor_error(MonitorCall *c, const char *error_class, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof(c->error), fmt, ap);
    va_end(ap);
    c->error_class = error_class;
}

/* The spec's item for name: its type letters, NULL when there is none. */
static const char *spec_type(const char *spec, const char *name, char *type, size_t len)
{
    size_t name_len = strlen(name);
    for (const char *p = spec; p && *p;) {
        size_t item = strcspn(p, ",");
        const char *colon = memchr(p, ':', item);
        if (colon && (size_t)(colon - p) == name_len && strncmp(p, name, name_len) == 0) {
            size_t tlen = item - name_len - 1;
            snprintf(type, len, "%.*s", (int)tlen, colon + 1);
            return type;
        }
        p += item;
        if (*p == ',')
            p++;
    }
    return NULL;
}

static const char *qmp_type_name(char t)
{
    switch (t) {
    case 'i':
        return "integer";
    case 'b':
    case '-':
        return "boolean";
    case 'a':
        return "array";
    default:
        return "string";
    }
}

static bool type_matches(char t, const json_t *value)
{
    switch (t) {
    case 'i':
        return json_is_integer(value);
    case 'b':
    case '-':
        return json_is_boolean(value);
    case 'a':
        return json_is_array(value);
    default:
        return json_is_string(value);
    }
}

bool monitor_check_args(MonitorCall *c, const char *spec)
{
    const char *key;
    json_t *value;
    char type[8];
    json_object_foreach(c->args, key, value)
    {
        if (!spec_type(spec, key, type, sizeof(type))) {
            monitor_error(c, "GenericError", "Parameter '%s' is unexpected", key);
            return false;
        }
        if (!type_matches(type[0], value)) {
            monitor_error(c, "GenericError", "Invalid parameter type for '%s', expected: %s", key,
                          qmp_type_name(type[0]));
            return false;
        }
    }
    for (const char *p = spec; p && *p;) {
        size_t item = strcspn(p, ",");
        const char *colon = memchr(p, ':', item);
        bool optional = p[item - 1] == '?';
        if (colon && !optional && p[colon - p + 1] != '-') {
            char name[64];
            snprintf(name, sizeof(name), "%.*s", (int)(colon - p), p);
            if (!json_object_get(c->args, name)) {
                monitor_error(c, "GenericError", "Parameter '%s' is missing", name);
                return false;
            }
        }
        p += item;
        if (*p == ',')
            p++;
    }
    return true;
}

void monitor_run(MonitorCall *c, const MonitorCommand *cmd)
{
    cmd->run(c);
    if (c->from_hmp && !c->error_class && cmd->human)
        cmd->human(c);
}

const char *arg_str(const MonitorCall *c, const char *name)
{
    return json_string_value(json_object_get(c->args, name));
}

long long arg_int(const MonitorCall *c, const char *name, long long fallback)
{
    json_t *v = json_object_get(c->args, name);
    return json_is_integer(v) ? (long long)json_integer_value(v) : fallback;
}

bool arg_bool(const MonitorCall *c, const char *name)
{
    return json_is_true(json_object_get(c->args, name));
}
