/* monitor/qmp.c: QMP on a character device, with jansson for the JSON.
 * Every message is input from whoever reached the socket: malformed JSON,
 * a message over the size limit, a non-object, unknown commands and wrong
 * arguments get QEMU's error replies, and the guest runs on. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "monitor/monitor_internal.h"

/* QEMU's own limit on one QMP message is about this (json-lexer). */
#define QMP_MAX_MESSAGE (64 * 1024)

struct Qmp {
    MonitorSet *set;
    Chardev *chr;
    bool connected;
    bool negotiated;
    char *in;
    size_t in_len;
    bool discarding; /* an overlong message: skipped up to the next newline */
};

/* ---- Sending ---- */

static void send_json(Qmp *q, json_t *msg)
{
    char *text = json_dumps(msg, JSON_COMPACT);
    json_decref(msg);
    if (!text || !q->connected) {
        free(text);
        return;
    }
    /* One write with its line end: two would wait on each other's ACK. */
    size_t len = strlen(text);
    char *line = realloc(text, len + 3);
    if (!line) {
        free(text);
        return;
    }
    memcpy(line + len, "\r\n", 3);
    chardev_write(q->chr, (const uint8_t *)line, len + 2);
    free(line);
}

static void reply(Qmp *q, json_t *id, json_t *ret)
{
    json_t *msg = json_pack("{s:o}", "return", ret ? ret : json_object());
    if (id)
        json_object_set(msg, "id", id);
    send_json(q, msg);
}

static void reply_error(Qmp *q, json_t *id, const char *cls, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void reply_error(Qmp *q, json_t *id, const char *cls, const char *fmt, ...)
{
    char desc[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(desc, sizeof(desc), fmt, ap);
    va_end(ap);
    json_t *msg = json_pack("{s:{s:s,s:s}}", "error", "class", cls, "desc", desc);
    if (id)
        json_object_set(msg, "id", id);
    send_json(q, msg);
}

void qmp_send_event(Qmp *q, const char *name, const char *data_json)
{
    if (!q->connected || !q->negotiated)
        return;
    struct timeval tv;
    gettimeofday(&tv, NULL);
    json_t *msg = json_pack("{s:s,s:{s:I,s:I}}", "event", name, "timestamp", "seconds",
                            (json_int_t)tv.tv_sec, "microseconds", (json_int_t)tv.tv_usec);
    if (data_json) {
        json_t *data = json_loads(data_json, 0, NULL);
        if (data)
            json_object_set_new(msg, "data", data);
    }
    send_json(q, msg);
}

/* ---- Commands ---- */

static void greet(Qmp *q)
{
    int major = 0, minor = 0, micro = 0;
    sscanf(EMBER_VERSION, "%d.%d.%d", &major, &minor, &micro);
    q->negotiated = false;
    send_json(q, json_pack("{s:{s:{s:{s:i,s:i,s:i},s:s},s:[]}}", "QMP", "version", "qemu", "major",
                           major, "minor", minor, "micro", micro, "package", EMBER_PACKAGE,
                           "capabilities"));
}

/* One message: {"execute": NAME, "arguments": {...}, "id": ANY}. */
static void handle_message(Qmp *q, json_t *msg)
{
    json_t *id = json_is_object(msg) ? json_object_get(msg, "id") : NULL;
    if (!json_is_object(msg)) {
        reply_error(q, NULL, "GenericError", "QMP input must be a JSON object");
        return;
    }
    json_t *exec = json_object_get(msg, "execute");
    json_t *args = json_object_get(msg, "arguments");
    const char *key;
    json_t *value;
    json_object_foreach(msg, key, value)
    {
        if (strcmp(key, "execute") != 0 && strcmp(key, "arguments") != 0 &&
            strcmp(key, "id") != 0) {
            reply_error(q, id, "GenericError", "QMP input member '%s' is unexpected", key);
            return;
        }
    }
    if (!json_is_string(exec)) {
        reply_error(q, id, "GenericError", "QMP input member 'execute' must be a string");
        return;
    }
    if (args && !json_is_object(args)) {
        reply_error(q, id, "GenericError", "QMP input member 'arguments' must be an object");
        return;
    }
    const char *name = json_string_value(exec);
    bool is_capabilities = strcmp(name, "qmp_capabilities") == 0;
    if (!q->negotiated && !is_capabilities) {
        reply_error(q, id, "CommandNotFound",
                    "Expecting capabilities negotiation with 'qmp_capabilities'");
        return;
    }
    const MonitorCommand *cmd = monitor_find_qmp(name);
    if (!cmd) {
        reply_error(q, id, "CommandNotFound", "The command %s has not been found", name);
        return;
    }
    json_t *empty = json_object();
    MonitorCall c = {.set = q->set, .args = args ? args : empty};
    if (is_capabilities && q->negotiated)
        monitor_error(&c, "CommandNotFound",
                      "Capabilities negotiation is already complete, command ignored");
    else if (monitor_check_args(&c, cmd->args))
        monitor_run(&c, cmd);
    if (c.error_class) {
        reply_error(q, id, c.error_class, "%s", c.error);
        json_decref(c.ret);
    } else {
        if (is_capabilities)
            q->negotiated = true;
        reply(q, id, c.ret);
    }
    json_decref(empty);
}

/* ---- Bytes from the client ---- */

/* Parses every complete JSON value in the buffer. */
static void parse_input(Qmp *q)
{
    while (q->in_len > 0 && q->connected) {
        size_t skip = strspn(q->in, " \t\r\n");
        if (skip == q->in_len) {
            q->in_len = 0;
            return;
        }
        json_error_t error;
        json_t *msg = json_loadb(q->in + skip, q->in_len - skip,
                                 JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY, &error);
        size_t used;
        if (msg) {
            used = skip + (size_t)error.position;
        } else if ((size_t)error.position >= q->in_len - skip ||
                   strstr(error.text, "end of file") || strstr(error.text, "premature")) {
            return; /* incomplete: wait for the rest */
        } else {
            /* Malformed: QEMU answers and goes on after the next newline. */
            reply_error(q, NULL, "GenericError", "JSON parse error, %s", error.text);
            char *nl = memchr(q->in + skip, '\n', q->in_len - skip);
            used = nl ? (size_t)(nl - q->in) + 1 : q->in_len;
        }
        memmove(q->in, q->in + used, q->in_len - used);
        q->in_len -= used;
        q->in[q->in_len] = '\0';
        if (msg) {
            handle_message(q, msg);
            json_decref(msg);
        }
    }
}

static size_t qmp_can_receive(void *opaque)
{
    (void)opaque;
    return 4096; /* an overlong message is discarded, not held back */
}

static void qmp_receive(void *opaque, const uint8_t *buf, size_t len)
{
    Qmp *q = opaque;
    for (size_t i = 0; i < len; i++) {
        if (q->discarding) {
            q->discarding = buf[i] != '\n';
            continue;
        }
        if (q->in_len == QMP_MAX_MESSAGE) {
            reply_error(q, NULL, "GenericError", "JSON message too long (over %d bytes)",
                        QMP_MAX_MESSAGE);
            q->in_len = 0;
            q->discarding = buf[i] != '\n';
            continue;
        }
        q->in[q->in_len++] = (char)buf[i];
    }
    q->in[q->in_len] = '\0';
    parse_input(q);
}

static void qmp_chardev_event(void *opaque, ChardevEvent event)
{
    Qmp *q = opaque;
    switch (event) {
    case CHARDEV_OPENED:
    case CHARDEV_FOCUS_IN:
        q->connected = true;
        q->in_len = 0;
        q->discarding = false;
        greet(q);
        break;
    case CHARDEV_CLOSED:
        q->connected = false;
        q->negotiated = false;
        break;
    case CHARDEV_FOCUS_OUT:
        break;
    }
}

Qmp *qmp_new(MonitorSet *set, Chardev *chr)
{
    Qmp *q = calloc(1, sizeof(*q));
    char *in = malloc(QMP_MAX_MESSAGE + 1);
    if (!q || !in) {
        free(q);
        free(in);
        return NULL;
    }
    *q = (Qmp){.set = set, .chr = chr, .in = in};
    ChardevFrontend fe = {qmp_can_receive, qmp_receive, q, qmp_chardev_event, true};
    if (!chardev_add_frontend(chr, &fe)) {
        qmp_free(q);
        return NULL;
    }
    return q;
}

void qmp_free(Qmp *q)
{
    if (!q)
        return;
    free(q->in);
    free(q);
}
