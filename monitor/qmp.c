/* monitor/qmp.c: QMP over a socket, with jansson for the JSON. Every
 * message is input from whoever reached the socket: malformed JSON, a
 * message over the size limit, a non-object, unknown commands and wrong
 * arguments get QEMU's error replies, and the guest runs on. */
#include "monitor/qmp.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "util/listen.h"

/* QEMU's own limit on one QMP message is about this (json-lexer). */
#define QMP_MAX_MESSAGE (64 * 1024)

struct Qmp {
    MonitorTarget t;
    MainLoop *loop;
    int listen_fd;
    int fd;
    char unix_path[108];
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
    if (!text || q->fd < 0) {
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
    len += 2;
    const char *p = line;
    while (len > 0) {
        ssize_t n = send(q->fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break; /* the client went away: its hangup is seen on input */
        p += n;
        len -= (size_t)n;
    }
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

void qmp_event(Qmp *q, const char *name, const char *data_json)
{
    if (!q || q->fd < 0 || !q->negotiated)
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

typedef struct QmpCommand {
    const char *name;
    /* Replies itself; args is an object (empty when none were given). */
    void (*run)(Qmp *q, json_t *args, json_t *id);
} QmpCommand;

static void cmd_capabilities(Qmp *q, json_t *args, json_t *id);
static void cmd_query_commands(Qmp *q, json_t *args, json_t *id);

static void cmd_query_status(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    bool running = q->t.running(q->t.opaque);
    reply(q, id,
          json_pack("{s:s,s:b,s:b}", "status", running ? "running" : "paused", "singlestep", 0,
                    "running", running));
}

static void cmd_query_version(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    int major = 0, minor = 0, micro = 0;
    sscanf(EMBER_VERSION, "%d.%d.%d", &major, &minor, &micro);
    reply(q, id,
          json_pack("{s:{s:i,s:i,s:i},s:s}", "qemu", "major", major, "minor", minor, "micro", micro,
                    "package", "ember " EMBER_VERSION));
}

static void cmd_stop(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    bool was_running = q->t.running(q->t.opaque);
    q->t.stop(q->t.opaque);
    /* As in QEMU, the event comes before the reply. */
    if (was_running)
        qmp_event(q, "STOP", NULL);
    reply(q, id, NULL);
}

static void cmd_cont(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    bool was_running = q->t.running(q->t.opaque);
    q->t.cont(q->t.opaque);
    if (!was_running)
        qmp_event(q, "RESUME", NULL);
    reply(q, id, NULL);
}

static void cmd_system_reset(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    q->t.reset(q->t.opaque);
    qmp_event(q, "RESET", "{\"guest\": false, \"reason\": \"host-qmp-system-reset\"}");
    reply(q, id, NULL);
}

static void cmd_quit(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    qmp_event(q, "SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
    reply(q, id, NULL);
    q->t.quit(q->t.opaque);
}

static const QmpCommand commands[] = {
    {"qmp_capabilities", cmd_capabilities},
    {"query-commands", cmd_query_commands},
    {"query-status", cmd_query_status},
    {"query-version", cmd_query_version},
    {"stop", cmd_stop},
    {"cont", cmd_cont},
    {"system_reset", cmd_system_reset},
    {"quit", cmd_quit},
};

static void cmd_capabilities(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    if (q->negotiated) {
        reply_error(q, id, "CommandNotFound",
                    "Capabilities negotiation is already complete, command ignored");
        return;
    }
    q->negotiated = true;
    reply(q, id, NULL);
}

static void cmd_query_commands(Qmp *q, json_t *args, json_t *id)
{
    (void)args;
    json_t *list = json_array();
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
        json_array_append_new(list, json_pack("{s:s}", "name", commands[i].name));
    reply(q, id, list);
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
    const QmpCommand *cmd = NULL;
    for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]) && !cmd; i++)
        if (strcmp(commands[i].name, name) == 0)
            cmd = &commands[i];
    if (!q->negotiated && (!cmd || cmd->run != cmd_capabilities)) {
        reply_error(q, id, "CommandNotFound",
                    "Expecting capabilities negotiation with 'qmp_capabilities'");
        return;
    }
    if (!cmd) {
        reply_error(q, id, "CommandNotFound", "The command %s has not been found", name);
        return;
    }
    /* None of these commands takes arguments. */
    if (args && json_object_size(args) > 0) {
        json_object_foreach(args, key, value) break;
        reply_error(q, id, "GenericError", "Parameter '%s' is unexpected", key);
        return;
    }
    cmd->run(q, args, id);
}

/* ---- Bytes from the client ---- */

static void client_connects(void *opaque);

static void drop_client(Qmp *q)
{
    if (q->fd < 0)
        return;
    mainloop_remove_fd(q->loop, q->fd);
    close(q->fd);
    q->fd = -1;
    q->in_len = 0;
    q->discarding = false;
    /* The next client, waiting in the backlog, is taken now. */
    mainloop_add_fd(q->loop, q->listen_fd, client_connects, q);
}

/* Parses every complete JSON value in the buffer. */
static void parse_input(Qmp *q)
{
    while (q->in_len > 0 && q->fd >= 0) {
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

static void client_readable(void *opaque)
{
    Qmp *q = opaque;
    char buf[4096];
    ssize_t n = recv(q->fd, buf, sizeof(buf), 0);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (n <= 0) {
        drop_client(q);
        return;
    }
    for (ssize_t i = 0; i < n; i++) {
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
        q->in[q->in_len++] = buf[i];
    }
    q->in[q->in_len] = '\0';
    parse_input(q);
}

static void client_connects(void *opaque)
{
    Qmp *q = opaque;
    int fd = listen_accept(q->listen_fd);
    if (fd < 0)
        return;
    /* One client at a time, as QEMU's: others wait in the backlog. */
    mainloop_remove_fd(q->loop, q->listen_fd);
    q->fd = fd;
    q->negotiated = false;
    if (mainloop_add_fd(q->loop, fd, client_readable, q) != 0) {
        drop_client(q);
        return;
    }
    int major = 0, minor = 0, micro = 0;
    sscanf(EMBER_VERSION, "%d.%d.%d", &major, &minor, &micro);
    send_json(q, json_pack("{s:{s:{s:{s:i,s:i,s:i},s:s},s:[]}}", "QMP", "version", "qemu", "major",
                           major, "minor", minor, "micro", micro, "package", "ember " EMBER_VERSION,
                           "capabilities"));
}

/* ---- Opening ---- */

typedef struct QmpSpec {
    bool is_unix;
    char host[LISTEN_HOST_SIZE], port[LISTEN_PORT_SIZE], path[108];
} QmpSpec;

static bool parse_spec(const char *spec, QmpSpec *s, char *err, size_t errlen)
{
    memset(s, 0, sizeof(*s));
    const char *opts = strchr(spec, ',');
    size_t addr_len = opts ? (size_t)(opts - spec) : strlen(spec);
    bool server = false, nowait = false;
    for (const char *o = opts; o && *o;) {
        o++;
        size_t n = strcspn(o, ",");
        if ((n == 6 && strncmp(o, "server", 6) == 0) || (n == 9 && strncmp(o, "server=on", 9) == 0))
            server = true;
        else if ((n == 6 && strncmp(o, "nowait", 6) == 0) ||
                 (n == 8 && strncmp(o, "wait=off", 8) == 0))
            nowait = true;
        else
            break;
        o += n;
        if (!*o)
            opts = NULL;
    }
    if (!server || !nowait) {
        snprintf(err, errlen,
                 "-qmp %s: ember listens as a server without waiting: give "
                 ",server,wait=off",
                 spec);
        return false;
    }
    if (strncmp(spec, "unix:", 5) == 0 && addr_len > 5 && addr_len - 5 < sizeof(s->path)) {
        s->is_unix = true;
        memcpy(s->path, spec + 5, addr_len - 5);
        return true;
    }
    if (strncmp(spec, "tcp:", 4) == 0 && listen_parse_tcp(spec + 4, addr_len - 4, s->host, s->port))
        return true;
    snprintf(err, errlen,
             "-qmp %s: use tcp:[HOST]:PORT,server,wait=off or unix:PATH,server,wait=off", spec);
    return false;
}

Qmp *qmp_open(const char *spec, MainLoop *loop, const MonitorTarget *target, char *err,
              size_t errlen)
{
    QmpSpec s;
    if (!parse_spec(spec, &s, err, errlen))
        return NULL;
    Qmp *q = calloc(1, sizeof(*q));
    char *in = malloc(QMP_MAX_MESSAGE + 1);
    if (!q || !in) {
        free(q);
        free(in);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    *q = (Qmp){.t = *target, .loop = loop, .fd = -1, .in = in};
    q->listen_fd = s.is_unix ? listen_unix("-qmp", s.path, err, errlen)
                             : listen_tcp("-qmp", s.host, s.port, err, errlen);
    if (q->listen_fd < 0 || mainloop_add_fd(loop, q->listen_fd, client_connects, q) != 0) {
        if (q->listen_fd >= 0)
            snprintf(err, errlen, "-qmp: cannot watch the socket");
        qmp_close(q);
        return NULL;
    }
    if (s.is_unix)
        snprintf(q->unix_path, sizeof(q->unix_path), "%s", s.path);
    return q;
}

void qmp_close(Qmp *q)
{
    if (!q)
        return;
    drop_client(q);
    if (q->listen_fd >= 0) {
        mainloop_remove_fd(q->loop, q->listen_fd);
        close(q->listen_fd);
    }
    if (q->unix_path[0])
        unlink(q->unix_path);
    free(q->in);
    free(q);
}
