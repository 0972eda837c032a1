/* monitor/hmp.c: the human monitor: a prompt with line editing on a
 * character device, command lines parsed into the same arguments QMP
 * gets (words, quoted strings, expressions, x's "/FMT", -X flags), help
 * and completion from the command table. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_internal.h"
#include "monitor/readline.h"

#define HMP_PROMPT "(ember) "

struct Hmp {
    MonitorSet *set;
    Chardev *chr;
    Readline rl;
    bool banner_shown;
};

/* ---- Output: the monitor's "\n" is a terminal's "\r\n" ---- */

static void write_raw(void *opaque, const char *text, size_t len)
{
    Hmp *h = opaque;
    chardev_write(h->chr, (const uint8_t *)text, len);
}

static void hmp_print(Hmp *h, const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        write_raw(h, text, n);
        text += n;
        if (*text == '\n') {
            write_raw(h, "\r\n", 2);
            text++;
        }
    }
}

/* ---- Parsing a command line ---- */

typedef struct Cursor {
    const char *p;
} Cursor;

static void skip_spaces(Cursor *cur)
{
    while (*cur->p == ' ' || *cur->p == '\t')
        cur->p++;
}

/* A word, or a "quoted string" with \" and \\ escapes. */
static bool read_word(Cursor *cur, char *out, size_t outlen, char *err, size_t errlen)
{
    skip_spaces(cur);
    size_t n = 0;
    if (*cur->p == '"') {
        cur->p++;
        while (*cur->p && *cur->p != '"') {
            if (*cur->p == '\\' && cur->p[1])
                cur->p++;
            if (n + 1 < outlen)
                out[n++] = *cur->p;
            cur->p++;
        }
        if (*cur->p != '"') {
            snprintf(err, errlen, "unterminated string");
            return false;
        }
        cur->p++;
    } else {
        while (*cur->p && *cur->p != ' ' && *cur->p != '\t') {
            if (n + 1 < outlen)
                out[n++] = *cur->p;
            cur->p++;
        }
    }
    out[n] = '\0';
    return true;
}

/* The end of the expression that starts here: HMP separates arguments by
 * spaces, yet "$sp - 16" is one expression. */
static const char *expression_end(const char *start)
{
    const char *p = start;
    bool want_operand = true;
    int depth = 0;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        if (want_operand) {
            if (strchr("+-~", *p)) {
                p++;
                continue;
            }
            if (*p == '(') {
                depth++;
                p++;
                continue;
            }
            while (*p && !strchr(" +-*/%&|^()", *p))
                p++;
            want_operand = false;
        } else if (*p == ')' && depth > 0) {
            depth--;
            p++;
        } else if (strchr("+-*/%&|^", *p)) {
            want_operand = true;
            p++;
        } else {
            break;
        }
    }
    while (p > start && p[-1] == ' ')
        p--;
    return p;
}

static bool parse_args(Hmp *h, const MonitorCommand *cmd, Cursor *cur, json_t *args, char *err,
                       size_t errlen)
{
    const char *spec = cmd->hmp_args ? cmd->hmp_args : cmd->args;
    for (const char *s = spec; s && *s;) {
        size_t item = strcspn(s, ",");
        const char *colon = memchr(s, ':', item);
        char name[64];
        snprintf(name, sizeof(name), "%.*s", (int)(colon - s), s);
        char type = colon[1];
        bool optional = s[item - 1] == '?';
        s += item + (s[item] == ',');
        skip_spaces(cur);
        char word[READLINE_MAX];
        if (type == '-') {
            /* "-X": a flag; "-Xs": a flag followed by its value. */
            char flag = colon[2];
            bool takes_value = colon[3] == 's';
            if (cur->p[0] == '-' && cur->p[1] == flag && (cur->p[2] == ' ' || !cur->p[2])) {
                cur->p += 2;
                if (!takes_value) {
                    json_object_set_new(args, name, json_true());
                    continue;
                }
                skip_spaces(cur);
                if (!*cur->p) {
                    snprintf(err, errlen, "%s: -%c needs a value", cmd->hmp_name, flag);
                    return false;
                }
                if (!read_word(cur, word, sizeof(word), err, errlen))
                    return false;
                json_object_set_new(args, name, json_string(word));
            }
            continue;
        }
        if (type == '/') {
            if (*cur->p == '/') {
                read_word(cur, word, sizeof(word), err, errlen);
                MemDumpFormat fmt = h->set->last_format;
                if (!memdump_parse_format(word, &fmt, err, errlen))
                    return false;
                json_object_set_new(args, name, json_string(word));
            }
            continue;
        }
        if (!*cur->p) {
            if (optional)
                continue;
            /* QEMU's words for what is missing. */
            if (type == 'i')
                snprintf(err, errlen, "unexpected end of expression");
            else
                snprintf(err, errlen, "%s: %s expected", cmd->hmp_name,
                         type == 'F' ? "filename" : "string");
            return false;
        }
        if (type == 'S') {
            json_object_set_new(args, name, json_string(cur->p));
            cur->p += strlen(cur->p);
        } else if (type == 'i') {
            const char *end = expression_end(cur->p);
            snprintf(word, sizeof(word), "%.*s", (int)(end - cur->p), cur->p);
            cur->p = end;
            unsigned long long value;
            if (!hmp_eval(h->set, word, &value, err, errlen))
                return false;
            json_object_set_new(args, name, json_integer((json_int_t)value));
        } else if (type == 'b') {
            if (!read_word(cur, word, sizeof(word), err, errlen))
                return false;
            if (strcmp(word, "on") != 0 && strcmp(word, "off") != 0) {
                snprintf(err, errlen, "Expected 'on' or 'off'");
                return false;
            }
            json_object_set_new(args, name, json_boolean(word[1] == 'n'));
        } else {
            if (!read_word(cur, word, sizeof(word), err, errlen))
                return false;
            json_object_set_new(args, name, json_string(word));
        }
    }
    skip_spaces(cur);
    if (*cur->p) {
        snprintf(err, errlen, "%s: extraneous characters at the end of line", cmd->hmp_name);
        return false;
    }
    return true;
}

void hmp_help(const char *name, StrBuf *out)
{
    bool info = name && strcmp(name, "info") == 0;
    const MonitorCommand *cmd;
    for (size_t i = 0; (cmd = monitor_command_at(i)) != NULL; i++) {
        if (!cmd->hmp_name)
            continue;
        bool is_info = strncmp(cmd->hmp_name, "info ", 5) == 0;
        if (name && !info && strcmp(cmd->hmp_name, name) != 0)
            continue;
        if (info && !is_info)
            continue;
        if (!name && is_info)
            continue;
        strbuf_printf(out, "%s %s -- %s\n", cmd->hmp_name, cmd->params ? cmd->params : "",
                      cmd->help);
    }
    if (!name)
        strbuf_printf(out, "info [subcommand] -- show various information about the system "
                           "state\n");
}

static void run_line(MonitorSet *set, Hmp *h, const char *line, StrBuf *out)
{
    Cursor cur = {line};
    char word[64], name[80], err[512] = "";
    skip_spaces(&cur);
    if (!*cur.p)
        return;
    const char *start = cur.p;
    read_word(&cur, word, sizeof(word), err, sizeof(err));
    snprintf(name, sizeof(name), "%s", word);
    if (strcmp(word, "info") == 0) {
        skip_spaces(&cur);
        if (!*cur.p) {
            hmp_help("info", out);
            return;
        }
        read_word(&cur, word, sizeof(word), err, sizeof(err));
        snprintf(name, sizeof(name), "info %s", word);
    }
    const MonitorCommand *cmd = monitor_find_hmp(name);
    if (!cmd && strcmp(name, "?") == 0)
        cmd = monitor_find_hmp("help");
    if (!cmd) {
        strbuf_printf(out, "unknown command: '%.*s'\n", (int)(cur.p - start), start);
        return;
    }
    Hmp scratch = {.set = set};
    json_t *args = json_object();
    if (!parse_args(h ? h : &scratch, cmd, &cur, args, err, sizeof(err))) {
        strbuf_printf(out, "%s\nTry \"help %s\" for more information\n", err, cmd->hmp_name);
        json_decref(args);
        return;
    }
    MonitorCall c = {.set = set, .args = args, .out = out, .from_hmp = true};
    monitor_run(&c, cmd);
    /* QEMU's human monitor says "Error:" for what its QMP side reports. */
    if (c.error_class)
        strbuf_printf(out, "%s%s\n", cmd->qmp_name ? "Error: " : "", c.error);
    json_decref(c.ret);
    json_decref(args);
}

void hmp_run_line(MonitorSet *set, const char *line, StrBuf *out)
{
    run_line(set, NULL, line, out);
}

/* ---- The terminal side ---- */

static void add_word(ReadlineCompletions *out, const char *word)
{
    for (unsigned i = 0; i < out->n; i++)
        if (strcmp(out->words[i], word) == 0)
            return;
    if (out->n < READLINE_MAX_COMPLETIONS)
        out->words[out->n++] = word;
}

static void hmp_complete(void *opaque, const char *line, size_t len, ReadlineCompletions *out)
{
    (void)opaque;
    while (len > 0 && line[len - 1] == ' ')
        len--;
    bool first = len == 0;
    bool after_info = len == 4 && strncmp(line, "info", 4) == 0;
    bool after_help = len == 4 && strncmp(line, "help", 4) == 0;
    const MonitorCommand *cmd;
    for (size_t i = 0; (cmd = monitor_command_at(i)) != NULL; i++) {
        const char *name = cmd->hmp_name;
        if (!name)
            continue;
        bool is_info = strncmp(name, "info ", 5) == 0;
        if (after_info && is_info)
            add_word(out, name + 5);
        else if ((first || after_help) && !is_info)
            add_word(out, name);
    }
    if (first || after_help)
        add_word(out, "info");
}

static size_t hmp_can_receive(void *opaque)
{
    (void)opaque;
    return 4096;
}

static void hmp_receive(void *opaque, const uint8_t *buf, size_t len)
{
    Hmp *h = opaque;
    char line[READLINE_MAX];
    for (size_t i = 0; i < len; i++) {
        if (!readline_feed(&h->rl, buf[i], line, sizeof(line)))
            continue;
        StrBuf out = STRBUF_INIT;
        run_line(h->set, h, line, &out);
        hmp_print(h, strbuf_text(&out));
        strbuf_free(&out);
        if (h->set->quitting)
            return;
        readline_start(&h->rl);
    }
}

static void hmp_chardev_event(void *opaque, ChardevEvent event)
{
    Hmp *h = opaque;
    switch (event) {
    case CHARDEV_OPENED:
        h->banner_shown = false;
        /* fall through */
    case CHARDEV_FOCUS_IN:
        if (!h->banner_shown) {
            hmp_print(h, "ember " EMBER_VERSION " monitor - type 'help' for more information\n");
            h->banner_shown = true;
        }
        readline_redraw(&h->rl);
        break;
    case CHARDEV_FOCUS_OUT:
        hmp_print(h, "\n");
        break;
    case CHARDEV_CLOSED:
        h->rl.len = h->rl.cursor = 0;
        h->rl.line[0] = '\0';
        break;
    }
}

Hmp *hmp_new(MonitorSet *set, Chardev *chr)
{
    Hmp *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->set = set;
    h->chr = chr;
    readline_init(&h->rl, HMP_PROMPT, write_raw, hmp_complete, h);
    ChardevFrontend fe = {hmp_can_receive, hmp_receive, h, hmp_chardev_event, true};
    if (!chardev_add_frontend(chr, &fe)) {
        hmp_free(h);
        return NULL;
    }
    return h;
}

void hmp_free(Hmp *h)
{
    if (!h)
        return;
    readline_free(&h->rl);
    free(h);
}
