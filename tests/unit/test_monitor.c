/* tests/unit/test_monitor.c: the monitor's pieces on a test hart: the line
 * editor (keys, history, completion), HMP expressions and argument
 * parsing, commands run from HMP and from QMP over pipes, QEMU's error
 * texts, and a stream of random QMP input that must all be answered. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "monitor/monitor_internal.h"
#include "monitor/readline.h"
#include "tests/unit/harness.h"
#include "tests/xorshift.h"

/* ---- The line editor ---- */

static char echo[8192];
static size_t echo_len;

static void capture(void *opaque, const char *text, size_t len)
{
    (void)opaque;
    if (echo_len + len < sizeof(echo)) {
        memcpy(echo + echo_len, text, len);
        echo_len += len;
        echo[echo_len] = '\0';
    }
}

static void words(void *opaque, const char *line, size_t len, ReadlineCompletions *out)
{
    (void)opaque;
    (void)line;
    (void)len;
    static const char *const all[] = {"stop", "status", "system_reset", "cont"};
    for (unsigned i = 0; i < 4; i++)
        out->words[out->n++] = all[i];
}

/* Feeds keys; returns the last completed line ("" if none). */
static const char *type(Readline *rl, const char *keys)
{
    static char line[READLINE_MAX];
    line[0] = '\0';
    char out[READLINE_MAX];
    for (const char *k = keys; *k; k++)
        if (readline_feed(rl, (uint8_t)*k, out, sizeof(out)))
            memcpy(line, out, sizeof(line));
    return line;
}

START_TEST(test_readline_editing)
{
    Readline rl;
    readline_init(&rl, "> ", capture, words, NULL);
    readline_start(&rl);
    ck_assert_str_eq(type(&rl, "info\r"), "info");
    /* Left twice, insert, End, Backspace. */
    ck_assert_str_eq(type(&rl, "abde\033[D\033[Dc\033[F\x7f\r"), "abcd");
    /* Home (both spellings), Delete, Ctrl-K, Ctrl-U, Ctrl-W. */
    ck_assert_str_eq(type(&rl, "xhello\033[H\033[3~\r"), "hello");
    ck_assert_str_eq(type(&rl, "hello world\001\006\006\013\r"), "he");
    ck_assert_str_eq(type(&rl, "junk\025kept\r"), "kept");
    ck_assert_str_eq(type(&rl, "one two\027three\r"), "one three");
    /* CR LF is one line end; LF alone ends one too. */
    ck_assert_str_eq(type(&rl, "a\r\n"), "a");
    ck_assert_str_eq(type(&rl, "\n"), "");
    ck_assert_str_eq(type(&rl, "b\n"), "b");
    /* Control bytes that mean nothing are not inserted. */
    ck_assert_str_eq(type(&rl, "c\007\r"), "c");
    readline_free(&rl);
}
END_TEST

START_TEST(test_readline_history)
{
    Readline rl;
    readline_init(&rl, "> ", capture, NULL, NULL);
    readline_start(&rl);
    type(&rl, "first\r");
    type(&rl, "second\r");
    type(&rl, "second\r"); /* a repeat is kept once */
    ck_assert_str_eq(type(&rl, "\033[A\r"), "second");
    ck_assert_str_eq(type(&rl, "\033[A\033[A\r"), "first");
    /* Down past the newest brings back what was being typed. */
    ck_assert_str_eq(type(&rl, "draft\033[A\033[B\r"), "draft");
    /* Up at the oldest stays there. */
    ck_assert_str_eq(type(&rl, "\020\020\020\020\020\020\r"), "first");
    /* The history is bounded. */
    for (int i = 0; i < 3 * READLINE_HISTORY; i++) {
        char line[16];
        snprintf(line, sizeof(line), "cmd%d\r", i);
        type(&rl, line);
    }
    ck_assert_uint_eq(rl.n_history, READLINE_HISTORY);
    readline_free(&rl);
}
END_TEST

START_TEST(test_readline_completion)
{
    Readline rl;
    readline_init(&rl, "> ", capture, words, NULL);
    readline_start(&rl);
    ck_assert_str_eq(type(&rl, "co\t\r"), "cont ");
    ck_assert_str_eq(type(&rl, "sy\t\r"), "system_reset ");
    ck_assert_str_eq(type(&rl, "sta\t\r"), "status ");
    /* "s" is shared by three: completed as far as they agree ("st" is not
     * for system_reset), then listed. */
    echo_len = 0;
    ck_assert_str_eq(type(&rl, "s\t\r"), "s");
    ck_assert_ptr_nonnull(strstr(echo, "system_reset"));
    echo_len = 0;
    ck_assert_str_eq(type(&rl, "st\t\r"), "st");
    ck_assert_ptr_nonnull(strstr(echo, "stop"));
    ck_assert_ptr_nonnull(strstr(echo, "status"));
    /* An overlong line is cut at the buffer, not overrun. */
    char big[3 * READLINE_MAX];
    memset(big, 'a', sizeof(big) - 2);
    big[sizeof(big) - 2] = '\r';
    big[sizeof(big) - 1] = '\0';
    ck_assert_uint_eq(strlen(type(&rl, big)), READLINE_MAX - 1);
    readline_free(&rl);
}
END_TEST

/* ---- A machine for the commands ---- */

static TestHart *h;
static MonitorSet *set;
static bool running = true;
static int resets, quits;

static bool t_running(void *opaque)
{
    (void)opaque;
    return running;
}

static void t_stop(void *opaque)
{
    (void)opaque;
    running = false;
}

static bool t_cont(void *opaque, char *err, size_t errlen)
{
    (void)opaque, (void)err, (void)errlen;
    running = true;
    return true;
}

static void t_reset(void *opaque)
{
    (void)opaque;
    resets++;
}

static void t_quit(void *opaque)
{
    (void)opaque;
    quits++;
}

static bool t_gdbserver(void *opaque, const char *device, char *err, size_t errlen)
{
    (void)opaque;
    snprintf(err, errlen, "no such device");
    return strcmp(device, "none") == 0;
}

static void t_log_changed(void *opaque)
{
    (void)opaque;
}

static Device *t_device(void *opaque, unsigned i)
{
    (void)opaque;
    (void)i;
    return NULL;
}

static const char *t_drive(void *opaque, unsigned i, BlockDevice **bd, bool *readonly)
{
    (void)opaque;
    (void)i;
    (void)bd;
    (void)readonly;
    return NULL;
}

static Chardev *t_chardev(void *opaque, unsigned i, const char **label)
{
    (void)opaque;
    (void)i;
    (void)label;
    return NULL;
}

static const char *t_run_state(void *opaque)
{
    return t_running(opaque) ? "running" : "paused";
}

static void setup(void)
{
    h = test_hart_new();
    running = true;
    resets = quits = 0;
    MonitorTarget t = {.running = t_running,
                       .stop = t_stop,
                       .cont = t_cont,
                       .reset = t_reset,
                       .quit = t_quit,
                       .gdbserver = t_gdbserver,
                       .log_changed = t_log_changed,
                       .device = t_device,
                       .drive = t_drive,
                       .chardev = t_chardev,
                       .run_state = t_run_state,
                       .as = &h->as,
                       .harts = &h->cpu,
                       .n_harts = 1};
    set = monitor_set_new(&t);
    ck_assert_ptr_nonnull(set);
}

static void teardown(void)
{
    monitor_set_free(set);
    test_hart_free(h);
}

static char *hmp(const char *line)
{
    static char text[16384];
    StrBuf out = STRBUF_INIT;
    hmp_run_line(set, line, &out);
    snprintf(text, sizeof(text), "%s", strbuf_text(&out));
    strbuf_free(&out);
    return text;
}

START_TEST(test_hmp_control)
{
    ck_assert_str_eq(hmp("info status"), "VM status: running\n");
    ck_assert_str_eq(hmp("  stop  "), "");
    ck_assert(!running);
    ck_assert_str_eq(hmp("info status"), "VM status: paused\n");
    ck_assert_str_eq(hmp("c"), "");
    ck_assert(running);
    hmp("system_reset");
    ck_assert_int_eq(resets, 1);
    ck_assert_str_eq(hmp(""), "");
    ck_assert_str_eq(hmp("bogus 1 2"), "unknown command: 'bogus'\n");
    ck_assert_str_eq(hmp("info nothing"), "unknown command: 'info nothing'\n");
    ck_assert_str_eq(hmp("stop now"), "stop: extraneous characters at the end of line\n"
                                      "Try \"help stop\" for more information\n");
    ck_assert_ptr_nonnull(strstr(hmp("help"), "x /fmt addr -- "));
    ck_assert_ptr_nonnull(strstr(hmp("info"), "info registers "));
    ck_assert_str_eq(hmp("help nope"), "unknown command: 'nope'\n");
    ck_assert_str_eq(hmp("gdbserver tcp::1"),
                     "Could not open gdbserver on device 'tcp::1': no such device\n");
    ck_assert_str_eq(hmp("gdbserver none"), "Disabled gdbserver\n");
    hmp("quit");
    ck_assert_int_eq(quits, 1);
}
END_TEST

START_TEST(test_hmp_expressions)
{
    unsigned long long v;
    char err[128];
    h->cpu->pc = 0x80001000;
    h->cpu->x[2] = 0x80002000;
    h->cpu->x[10] = 7;
    ck_assert(hmp_eval(set, "0x10 + 010 + 10", &v, err, sizeof(err)));
    ck_assert_uint_eq(v, 16 + 8 + 10);
    ck_assert(hmp_eval(set, "2 + 3 * 4", &v, err, sizeof(err)));
    ck_assert_uint_eq(v, 14);
    ck_assert(hmp_eval(set, "(2 + 3) * 4 - ~0", &v, err, sizeof(err)));
    ck_assert_uint_eq(v, 21);
    ck_assert(hmp_eval(set, "$pc + 4", &v, err, sizeof(err)));
    ck_assert_uint_eq(v, 0x80001004);
    ck_assert(hmp_eval(set, "$sp - 0x10 | $a0", &v, err, sizeof(err)));
    /* QEMU's precedence: + and - bind loosest, then & | ^, then * / %. */
    ck_assert_uint_eq(v, 0x80002000 - (0x10 | 7));
    ck_assert(hmp_eval(set, "$x2", &v, err, sizeof(err)));
    ck_assert_uint_eq(v, 0x80002000);
    ck_assert(hmp_eval(set, "'A' - 1", &v, err, sizeof(err)));
    ck_assert_uint_eq(v, 64);
    ck_assert(hmp_eval(set, "-1", &v, err, sizeof(err)));
    ck_assert_uint_eq(v, ~0ull);

    ck_assert(!hmp_eval(set, "1 / 0", &v, err, sizeof(err)));
    ck_assert_str_eq(err, "division by zero");
    ck_assert(!hmp_eval(set, "5 % (3 - 3)", &v, err, sizeof(err)));
    ck_assert(!hmp_eval(set, "zz", &v, err, sizeof(err)));
    ck_assert_str_eq(err, "invalid char 'z' in expression");
    ck_assert(!hmp_eval(set, "", &v, err, sizeof(err)));
    ck_assert_str_eq(err, "unexpected end of expression");
    ck_assert(!hmp_eval(set, "0x1ffffffffffffffff", &v, err, sizeof(err)));
    ck_assert_str_eq(err, "number too large");
    ck_assert(!hmp_eval(set, "$nope", &v, err, sizeof(err)));
    ck_assert(!hmp_eval(set, "(1 + 2", &v, err, sizeof(err)));
    ck_assert(!hmp_eval(set, "09", &v, err, sizeof(err)));
    /* Deep nesting is bounded by the line length, not a crash. */
    char deep[2100];
    memset(deep, '(', 1000);
    deep[1000] = '1';
    memset(deep + 1001, ')', 1000);
    deep[2001] = '\0';
    ck_assert(hmp_eval(set, deep, &v, err, sizeof(err)));
    ck_assert_uint_eq(v, 1);
}
END_TEST

START_TEST(test_hmp_memory)
{
    test_write64(h, TEST_RAM_BASE, 0x0807060504030201ull);
    ck_assert_str_eq(hmp("xp /4xb 0x80000000"), "0000000080000000: 0x01 0x02 0x03 0x04\n");
    /* Without a format: the last one and its size, one unit, as in QEMU. */
    ck_assert_str_eq(hmp("xp 0x80000004"), "0000000080000004: 0x05\n");
    ck_assert_str_eq(hmp("x /1xg 0x80000000 + 0"), "0000000080000000: 0x0807060504030201\n");
    ck_assert_str_eq(hmp("xp /1xw"), "unexpected end of expression\n"
                                     "Try \"help xp\" for more information\n");
    ck_assert_ptr_nonnull(strstr(hmp("xp /1xw 0x10"), "Cannot access memory"));
    ck_assert_str_eq(hmp("xp /1qw 0x80000000"), "invalid char in format: 'q'\n"
                                                "Try \"help xp\" for more information\n");

    char path[] = "/tmp/ember-monitor-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char line[128];
    snprintf(line, sizeof(line), "pmemsave 0x80000000 8 \"%s\"", path);
    ck_assert_str_eq(hmp(line), "");
    uint8_t back[16];
    fd = open(path, O_RDONLY);
    ck_assert_int_eq(read(fd, back, sizeof(back)), 8);
    close(fd);
    ck_assert_uint_eq(back[0], 1);
    ck_assert_uint_eq(back[7], 8);
    /* A failed save leaves what was there. */
    snprintf(line, sizeof(line), "pmemsave 0x10 8 \"%s\"", path);
    ck_assert_ptr_nonnull(strstr(hmp(line), "Error: Invalid addr"));
    fd = open(path, O_RDONLY);
    ck_assert_int_eq(read(fd, back, sizeof(back)), 8);
    close(fd);
    unlink(path);
    ck_assert_ptr_nonnull(strstr(hmp("memsave 0x80000000 4"), "memsave: string expected"));
    h->cpu->priv = PRV_S;
    const char *regs = hmp("info registers");
    ck_assert_ptr_nonnull(strstr(regs, "\nCPU#0\n pc       "));
    ck_assert_ptr_nonnull(strstr(regs, " priv     S (supervisor)\n"));
    ck_assert_ptr_nonnull(strstr(hmp("info registers 3"), "CPU#3 not available"));
    ck_assert_str_eq(hmp("info mem"), "No translation or protection\n");
}
END_TEST

/* ---- QMP over pipes ---- */

static MainLoop loop;
static int to_qmp[2], from_qmp[2];
static Chardev *chr;
static char in_buf[1 << 16];
static size_t in_len;

static void qmp_setup(void)
{
    setup();
    mainloop_init(&loop);
    ck_assert_int_eq(pipe(to_qmp), 0);
    ck_assert_int_eq(pipe(from_qmp), 0);
    fcntl(from_qmp[0], F_SETFL, O_NONBLOCK);
    chr = chardev_open_fds(&loop, to_qmp[0], from_qmp[1], false);
    char err[128];
    ck_assert(monitor_attach(set, chr, true, err, sizeof(err)));
    in_len = 0;
}

static void qmp_teardown(void)
{
    teardown();
    chardev_close(chr);
    close(to_qmp[0]);
    close(to_qmp[1]);
    close(from_qmp[0]);
    close(from_qmp[1]);
}

/* The next line ember sent (pumping the loop while it waits). */
static json_t *next_message(void)
{
    for (int tries = 0; tries < 2000; tries++) {
        char *nl = memchr(in_buf, '\n', in_len);
        if (nl) {
            *nl = '\0';
            json_t *msg = json_loads(in_buf, 0, NULL);
            size_t used = (size_t)(nl - in_buf) + 1;
            memmove(in_buf, in_buf + used, in_len - used);
            in_len -= used;
            ck_assert_ptr_nonnull(msg);
            return msg;
        }
        mainloop_poll(&loop, 1000000);
        ssize_t n = read(from_qmp[0], in_buf + in_len, sizeof(in_buf) - in_len);
        if (n > 0)
            in_len += (size_t)n;
    }
    ck_abort_msg("no message from QMP");
    return NULL;
}

static void send_text(const char *text)
{
    ck_assert_int_eq(write(to_qmp[1], text, strlen(text)), (ssize_t)strlen(text));
}

/* Sends one message and returns the reply's error class, or "" on success. */
static const char *exchange(const char *text, json_t **reply)
{
    static char cls[64];
    send_text(text);
    json_t *msg = next_message();
    json_t *error = json_object_get(msg, "error");
    snprintf(cls, sizeof(cls), "%s",
             error ? json_string_value(json_object_get(error, "class")) : "");
    if (reply)
        *reply = msg;
    else
        json_decref(msg);
    return cls;
}

START_TEST(test_qmp_session)
{
    /* The pipe is there from the start: the greeting comes at once. */
    json_t *greeting = next_message();
    ck_assert_ptr_nonnull(json_object_get(greeting, "QMP"));
    json_decref(greeting);
    ck_assert_str_eq(exchange("{\"execute\": \"query-status\"}\n", NULL), "CommandNotFound");
    ck_assert_str_eq(exchange("{\"execute\": \"qmp_capabilities\"}\n", NULL), "");
    json_t *reply;
    ck_assert_str_eq(exchange("{\"execute\": \"human-monitor-command\", \"arguments\": "
                              "{\"command-line\": \"info status\"}, \"id\": 9}\n",
                              &reply),
                     "");
    ck_assert_str_eq(json_string_value(json_object_get(reply, "return")), "VM status: running\r\n");
    ck_assert_int_eq(json_integer_value(json_object_get(reply, "id")), 9);
    json_decref(reply);
    ck_assert_str_eq(exchange("{\"execute\": \"memsave\", \"arguments\": {\"val\": 1}}\n", &reply),
                     "GenericError");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(reply, "error"), "desc")),
                     "Parameter 'size' is missing");
    json_decref(reply);
    ck_assert_str_eq(exchange("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 1, "
                              "\"size\": true, \"filename\": \"x\"}}\n",
                              &reply),
                     "GenericError");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(reply, "error"), "desc")),
                     "Invalid parameter type for 'size', expected: integer");
    json_decref(reply);
    /* stop: the event first, then the reply. */
    send_text("{\"execute\": \"stop\"}\n");
    json_t *event = next_message();
    ck_assert_str_eq(json_string_value(json_object_get(event, "event")), "STOP");
    json_decref(event);
    json_decref(next_message());
    ck_assert(!running);
    /* HMP's stop of a stopped machine sends no second event. */
    ck_assert_str_eq(exchange("{\"execute\": \"human-monitor-command\", \"arguments\": "
                              "{\"command-line\": \"stop\"}}\n",
                              NULL),
                     "");
    /* Events reach QMP whichever monitor caused them. */
    StrBuf out = STRBUF_INIT;
    hmp_run_line(set, "cont", &out);
    strbuf_free(&out);
    event = next_message();
    ck_assert_str_eq(json_string_value(json_object_get(event, "event")), "RESUME");
    json_decref(event);
}
END_TEST

START_TEST(test_qmp_random_input)
{
    json_decref(next_message());
    exchange("{\"execute\": \"qmp_capabilities\"}\n", NULL);
    uint64_t seed = 0x1234;
    static const char alphabet[] = "{}[]\":,0123456789abcdefnulltrue -\n\\";
    static const char *const names[] = {"\"execute\"", "\"arguments\"", "\"query-status\"",
                                        "\"memsave\"", "\"val\"",       "\"x\"",
                                        "\"id\""};
    char msg[256];
    for (int i = 0; i < 3000; i++) {
        size_t len = 0, want = xorshift64star(&seed) % 120;
        while (len < want) {
            if (xorshift64star(&seed) % 4 == 0) {
                const char *w = names[xorshift64star(&seed) % 7];
                size_t wl = strlen(w);
                if (len + wl >= want)
                    break;
                memcpy(msg + len, w, wl);
                len += wl;
            } else {
                msg[len++] = alphabet[xorshift64star(&seed) % (sizeof(alphabet) - 1)];
            }
        }
        msg[len++] = '\n';
        msg[len] = '\0';
        send_text(msg);
        /* Keep the pipe from filling: let QMP read and answer. */
        for (int k = 0; k < 4; k++) {
            mainloop_poll(&loop, 0);
            ssize_t n = read(from_qmp[0], in_buf, sizeof(in_buf));
            (void)n;
        }
    }
    in_len = 0;
    /* Whatever state the junk left, a complete object on a fresh line is
     * answered. */
    send_text("\n\"\"\n]}]}\n{\"execute\": \"query-status\", \"id\": \"alive\"}\n");
    for (int i = 0; i < 100; i++) {
        json_t *m = next_message();
        bool alive = json_is_string(json_object_get(m, "id")) &&
                     strcmp(json_string_value(json_object_get(m, "id")), "alive") == 0;
        json_decref(m);
        if (alive)
            return;
    }
    ck_abort_msg("QMP stopped answering after random input");
}
END_TEST

static Suite *monitor_suite(void)
{
    Suite *s = suite_create("monitor");
    TCase *tc = tcase_create("readline");
    tcase_add_test(tc, test_readline_editing);
    tcase_add_test(tc, test_readline_history);
    tcase_add_test(tc, test_readline_completion);
    suite_add_tcase(s, tc);
    tc = tcase_create("hmp");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_hmp_control);
    tcase_add_test(tc, test_hmp_expressions);
    tcase_add_test(tc, test_hmp_memory);
    suite_add_tcase(s, tc);
    tc = tcase_create("qmp");
    tcase_add_checked_fixture(tc, qmp_setup, qmp_teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_qmp_session);
    tcase_add_test(tc, test_qmp_random_input);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(monitor_suite());
}
