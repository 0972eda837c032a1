/* tests/unit/test_chardev.c: unit tests for chardev/chardev.c: -serial
 * specs, Ctrl-A escapes, the mux of several frontends (Ctrl-A c), flow
 * control, end of input, the terminal's raw mode and its restoration, file,
 * tcp and unix backends, their events and queued output. */
#define _GNU_SOURCE /* posix_openpt */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "chardev/chardev.h"
#include "tests/unit/harness.h"

static MainLoop loop;

/* A frontend that takes at most `room` more bytes (a UART FIFO the guest
 * has not drained). */
typedef struct Sink {
    size_t room;
    uint8_t data[1 << 16];
    size_t len;
    bool overflow; /* got more than it said it could take */
} Sink;

static size_t sink_can_receive(void *opaque)
{
    return ((Sink *)opaque)->room;
}

static void sink_receive(void *opaque, const uint8_t *buf, size_t len)
{
    Sink *sink = opaque;
    if (len > sink->room || sink->len + len > sizeof(sink->data)) {
        sink->overflow = true;
        return;
    }
    memcpy(sink->data + sink->len, buf, len);
    sink->len += len;
    sink->room -= len;
}

static Sink sink;
static int quit_calls;

static void count_quit(void *opaque)
{
    (void)opaque;
    quit_calls++;
}

static void attach(Chardev *chr)
{
    ChardevFrontend fe = {sink_can_receive, sink_receive, &sink, NULL, false};
    ck_assert(chardev_add_frontend(chr, &fe));
    chardev_set_quit_handler(chr, count_quit, NULL);
}

static void setup(void)
{
    mainloop_init(&loop);
    memset(&sink, 0, sizeof(sink));
    sink.room = sizeof(sink.data);
    quit_calls = 0;
}

/* Runs the loop until nothing is ready. */
static void pump(void)
{
    for (int i = 0; i < 1000 && mainloop_poll(&loop, 0) > 0; i++)
        ;
}

/* Runs the loop until the sink holds len bytes, with a generous limit. */
static void pump_until(size_t len)
{
    for (int i = 0; i < 500 && sink.len < len; i++)
        mainloop_poll(&loop, 10000000);
}

static void make_pipe(int fds[2])
{
    ck_assert_int_eq(pipe(fds), 0);
}

static void set_nonblocking(int fd)
{
    ck_assert_int_eq(fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK), 0);
}

/* Whatever is waiting on fd (non-blocking), NUL-terminated. */
static size_t drain(int fd, char *buf, size_t size)
{
    size_t len = 0;
    ssize_t n;
    while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
        len += (size_t)n;
    buf[len] = '\0';
    return len;
}

static void put(int fd, const char *bytes, size_t len)
{
    ck_assert_int_eq(write(fd, bytes, len), (ssize_t)len);
}

/* ---- Specs ---- */

static ChardevSpec spec;
static char err[256];

static bool parse(const char *text)
{
    memset(err, 0, sizeof(err));
    return chardev_parse_spec(text, &spec, err, sizeof(err));
}

static void assert_rejected(const char *text, const char *needle)
{
    ck_assert_msg(!parse(text), "'%s' accepted", text);
    ck_assert_msg(strstr(err, needle), "error '%s' does not mention '%s'", err, needle);
    ck_assert_msg(!strchr(err, '\n'), "error '%s' is not one line", err);
}

START_TEST(test_spec_simple_kinds)
{
    ck_assert(parse("stdio"));
    ck_assert_int_eq(spec.kind, CHARDEV_STDIO);
    ck_assert(parse("mon:stdio"));
    ck_assert_int_eq(spec.kind, CHARDEV_STDIO);
    ck_assert(parse("null"));
    ck_assert_int_eq(spec.kind, CHARDEV_NULL);
    ck_assert(parse("none"));
    ck_assert_int_eq(spec.kind, CHARDEV_NULL);
    ck_assert(parse("file:/tmp/serial.log"));
    ck_assert_int_eq(spec.kind, CHARDEV_FILE);
    ck_assert_str_eq(spec.path, "/tmp/serial.log");
}
END_TEST

START_TEST(test_spec_tcp)
{
    ck_assert(parse("tcp:127.0.0.1:4444,server,nowait"));
    ck_assert_int_eq(spec.kind, CHARDEV_TCP);
    ck_assert_str_eq(spec.host, "127.0.0.1");
    ck_assert_str_eq(spec.port, "4444");
    ck_assert(spec.server);
    ck_assert(!spec.wait);

    ck_assert(parse("tcp::4444,server"));
    ck_assert_str_eq(spec.host, "");
    ck_assert(spec.server);
    ck_assert(spec.wait); /* QEMU's default: wait for the first client */

    ck_assert(parse("tcp:[::1]:5555,server=on,wait=off"));
    ck_assert_str_eq(spec.host, "::1");
    ck_assert_str_eq(spec.port, "5555");
    ck_assert(spec.server);
    ck_assert(!spec.wait);

    ck_assert(parse("tcp:localhost:23"));
    ck_assert(!spec.server);
    ck_assert_str_eq(spec.host, "localhost");
}
END_TEST

START_TEST(test_spec_errors)
{
    assert_rejected("vc", "unknown character device 'vc'");
    assert_rejected("vc", "stdio");
    assert_rejected("file:", "needs a path");
    assert_rejected("tcp:localhost", "tcp:HOST:PORT");
    assert_rejected("tcp:localhost:", "bad port");
    assert_rejected("tcp:localhost:65536,server", "bad port '65536'");
    assert_rejected("tcp:localhost:44x4,server", "bad port");
    assert_rejected("tcp:localhost:4444,server,telnet", "unknown tcp option 'telnet'");
    assert_rejected("tcp:localhost:4444,server=maybe", "server=maybe");
    assert_rejected("tcp:::1:4444,server", "brackets");
    assert_rejected("tcp:[::1:4444,server", "[IPV6]");
    assert_rejected("tcp:localhost:4444,nowait", "only applies to a server");
    assert_rejected("tcp:localhost:0", "port 0");
}
END_TEST

/* ---- Input, escapes and flow control over pipes ---- */

static int in_pipe[2], out_pipe[2];

static Chardev *open_pipes(bool escapes)
{
    make_pipe(in_pipe);
    make_pipe(out_pipe);
    set_nonblocking(out_pipe[0]);
    Chardev *chr = chardev_open_fds(&loop, in_pipe[0], out_pipe[1], escapes);
    ck_assert_ptr_nonnull(chr);
    attach(chr);
    return chr;
}

START_TEST(test_plain_input_passes_every_byte)
{
    Chardev *chr = open_pipes(false);
    put(in_pipe[1], "a\001xb", 4);
    pump();
    ck_assert_uint_eq(sink.len, 4);
    ck_assert_mem_eq(sink.data, "a\001xb", 4);
    ck_assert_int_eq(quit_calls, 0);
    chardev_close(chr);
}
END_TEST

/* Held input waits (none is lost) for the device and is all there once
 * released; a monitor's is never held. */
START_TEST(test_held_input_waits)
{
    Chardev *chr = open_pipes(false);
    chardev_hold_input(chr, true);
    put(in_pipe[1], "typed early", 11);
    pump();
    ck_assert_uint_eq(sink.len, 0);
    chardev_hold_input(chr, false);
    pump();
    ck_assert_uint_eq(sink.len, 11);
    ck_assert_mem_eq(sink.data, "typed early", 11);
    chardev_close(chr);

    memset(&sink, 0, sizeof(sink));
    sink.room = sizeof(sink.data);
    make_pipe(in_pipe);
    Chardev *mon = chardev_open_fds(&loop, in_pipe[0], -1, false);
    ChardevFrontend fe = {sink_can_receive, sink_receive, &sink, NULL, true};
    ck_assert(chardev_add_frontend(mon, &fe));
    chardev_hold_input(mon, true);
    put(in_pipe[1], "info", 4);
    pump();
    ck_assert_uint_eq(sink.len, 4);
    chardev_close(mon);
    close(in_pipe[0]);
    close(in_pipe[1]);
}
END_TEST

START_TEST(test_output_reaches_the_fd)
{
    Chardev *chr = open_pipes(false);
    chardev_write(chr, (const uint8_t *)"hello\r\n", 7);
    char buf[64];
    ck_assert_uint_eq(drain(out_pipe[0], buf, sizeof(buf)), 7);
    ck_assert_str_eq(buf, "hello\r\n");
    chardev_close(chr);
}
END_TEST

START_TEST(test_escape_escape_sends_one_ctrl_a)
{
    Chardev *chr = open_pipes(true);
    put(in_pipe[1], "a\001\001b", 4);
    pump();
    ck_assert_uint_eq(sink.len, 3);
    ck_assert_mem_eq(sink.data, "a\001b", 3);
    ck_assert_int_eq(quit_calls, 0);
    chardev_close(chr);
}
END_TEST

START_TEST(test_escape_x_requests_quit)
{
    Chardev *chr = open_pipes(true);
    put(in_pipe[1], "ls\001xq", 5);
    pump();
    ck_assert_int_eq(quit_calls, 1);
    /* The command is consumed; bytes around it still reach the guest. */
    ck_assert_uint_eq(sink.len, 3);
    ck_assert_mem_eq(sink.data, "lsq", 3);
    char buf[256];
    drain(out_pipe[0], buf, sizeof(buf));
    ck_assert_msg(strstr(buf, "terminated"), "output: '%s'", buf);
    chardev_close(chr);
}
END_TEST

START_TEST(test_escape_split_across_reads)
{
    Chardev *chr = open_pipes(true);
    put(in_pipe[1], "\001", 1);
    pump();
    ck_assert_uint_eq(sink.len, 0);
    put(in_pipe[1], "x", 1);
    pump();
    ck_assert_int_eq(quit_calls, 1);
    ck_assert_uint_eq(sink.len, 0);
    chardev_close(chr);
}
END_TEST

START_TEST(test_escape_h_prints_help_to_the_user)
{
    Chardev *chr = open_pipes(true);
    put(in_pipe[1], "\001h", 2);
    pump();
    ck_assert_uint_eq(sink.len, 0);
    char buf[512];
    drain(out_pipe[0], buf, sizeof(buf));
    ck_assert_msg(strstr(buf, "C-a x"), "help: '%s'", buf);
    ck_assert_msg(strstr(buf, "C-a C-a"), "help: '%s'", buf);
    chardev_close(chr);
}
END_TEST

START_TEST(test_unknown_and_reserved_escapes_are_dropped)
{
    Chardev *chr = open_pipes(true);
    put(in_pipe[1], "1\001c2\001z3", 7);
    pump();
    ck_assert_uint_eq(sink.len, 3);
    ck_assert_mem_eq(sink.data, "123", 3);
    ck_assert_int_eq(quit_calls, 0);
    chardev_close(chr);
}
END_TEST

START_TEST(test_escape_x_without_handler_is_ignored)
{
    make_pipe(in_pipe);
    Chardev *chr = chardev_open_fds(&loop, in_pipe[0], -1, true);
    ChardevFrontend fe = {sink_can_receive, sink_receive, &sink, NULL, false};
    ck_assert(chardev_add_frontend(chr, &fe));
    put(in_pipe[1], "\001xok", 4);
    pump();
    ck_assert_uint_eq(sink.len, 2);
    ck_assert_mem_eq(sink.data, "ok", 2);
    chardev_close(chr);
}
END_TEST

/* A second frontend: the monitor beside the console, and its events. */
static Sink second;
static char events[64];
static unsigned n_events;

static void second_event(void *opaque, ChardevEvent event)
{
    (void)opaque;
    if (n_events + 1 < sizeof(events))
        events[n_events++] = "OCio"[event];
}

START_TEST(test_mux_switches_input_between_frontends)
{
    Chardev *chr = open_pipes(true);
    memset(&second, 0, sizeof(second));
    second.room = sizeof(second.data);
    n_events = 0;
    ChardevFrontend fe = {sink_can_receive, sink_receive, &second, second_event, false};
    ck_assert(chardev_add_frontend(chr, &fe));
    /* The first frontend has the focus: the second is not opened yet. */
    ck_assert_uint_eq(n_events, 0);
    put(in_pipe[1], "a\001cb\001cc", 7);
    pump();
    ck_assert_uint_eq(sink.len, 2);
    ck_assert_mem_eq(sink.data, "ac", 2);
    ck_assert_uint_eq(second.len, 1);
    ck_assert_mem_eq(second.data, "b", 1);
    events[n_events] = '\0';
    ck_assert_str_eq(events, "io"); /* focus in, focus out */
    /* Output from either goes out. */
    chardev_write(chr, (const uint8_t *)"x", 1);
    char buf[16];
    ck_assert_uint_eq(drain(out_pipe[0], buf, sizeof(buf)), 1);
    chardev_close(chr);
}
END_TEST

START_TEST(test_plain_chardev_takes_one_frontend)
{
    Chardev *chr = open_pipes(false);
    ChardevFrontend fe = {sink_can_receive, sink_receive, &second, NULL, false};
    ck_assert(!chardev_add_frontend(chr, &fe));
    chardev_close(chr);
}
END_TEST

START_TEST(test_focus_waits_for_input_already_read)
{
    /* Input before Ctrl-A c that the first frontend could not take yet
     * stays the first frontend's. */
    Chardev *chr = open_pipes(true);
    memset(&second, 0, sizeof(second));
    second.room = sizeof(second.data);
    ChardevFrontend fe = {sink_can_receive, sink_receive, &second, NULL, false};
    ck_assert(chardev_add_frontend(chr, &fe));
    sink.room = 1;
    put(in_pipe[1], "xyz\001cw", 6);
    pump();
    ck_assert_uint_eq(sink.len, 1);
    sink.room = 100;
    chardev_accept_input(chr);
    pump();
    ck_assert_mem_eq(sink.data, "xyz", 3);
    ck_assert_uint_le(second.len, 1);
    chardev_close(chr);
}
END_TEST

START_TEST(test_flow_control_loses_nothing)
{
    Chardev *chr = open_pipes(false);
    /* More than the chardev buffers: the rest must stay in the pipe. */
    static char text[20000];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)('a' + i % 26);
    sink.room = 16;
    put(in_pipe[1], text, sizeof(text));
    pump();
    ck_assert_uint_eq(sink.len, 16);
    ck_assert(!sink.overflow);
    /* Full: no longer read, so an idle loop does not spin on the pipe. */
    ck_assert(!mainloop_is_watched(&loop, in_pipe[0]));
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);

    /* The guest drains its FIFO 16 bytes at a time. */
    for (int i = 0; i < 10000 && sink.len < sizeof(text); i++) {
        sink.room = 16;
        chardev_accept_input(chr);
        pump();
    }
    ck_assert(!sink.overflow);
    ck_assert_uint_eq(sink.len, sizeof(text));
    ck_assert_mem_eq(sink.data, text, sizeof(text));
    chardev_close(chr);
}
END_TEST

START_TEST(test_input_before_frontend_is_kept)
{
    make_pipe(in_pipe);
    Chardev *chr = chardev_open_fds(&loop, in_pipe[0], -1, false);
    put(in_pipe[1], "early", 5);
    pump();
    ck_assert_uint_eq(sink.len, 0);
    attach(chr);
    ck_assert_uint_eq(sink.len, 5);
    ck_assert_mem_eq(sink.data, "early", 5);
    chardev_close(chr);
}
END_TEST

START_TEST(test_end_of_input_stops_watching)
{
    Chardev *chr = open_pipes(false);
    sink.room = 2;
    put(in_pipe[1], "tail", 4);
    close(in_pipe[1]);
    pump();
    ck_assert_uint_eq(sink.len, 2);
    sink.room = 100;
    chardev_accept_input(chr);
    pump();
    /* Buffered input survives the end of its source... */
    ck_assert_uint_eq(sink.len, 4);
    ck_assert_mem_eq(sink.data, "tail", 4);
    /* ...which is no longer watched, so idle polls do not spin. */
    ck_assert(!mainloop_is_watched(&loop, in_pipe[0]));
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    chardev_close(chr);
}
END_TEST

START_TEST(test_output_to_a_vanished_reader_is_discarded)
{
    signal(SIGPIPE, SIG_IGN);
    Chardev *chr = open_pipes(false);
    close(out_pipe[0]);
    chardev_write(chr, (const uint8_t *)"x", 1);
    chardev_write(chr, (const uint8_t *)"y", 1);
    chardev_close(chr);
}
END_TEST

/* ---- Backends ---- */

static Chardev *open_spec(const char *text)
{
    ck_assert_msg(parse(text), "'%s': %s", text, err);
    Chardev *chr = chardev_open(&spec, &loop, err, sizeof(err));
    ck_assert_msg(chr, "'%s': %s", text, err);
    attach(chr);
    return chr;
}

START_TEST(test_null_backend)
{
    Chardev *chr = open_spec("null");
    chardev_write(chr, (const uint8_t *)"gone", 4);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    chardev_close(chr);
}
END_TEST

START_TEST(test_file_backend_truncates_and_writes)
{
    char path[] = "/tmp/ember-chardev-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    put(fd, "old contents that must go", 25);
    close(fd);
    char text[300];
    snprintf(text, sizeof(text), "file:%s", path);
    Chardev *chr = open_spec(text);
    chardev_write(chr, (const uint8_t *)"boot log\n", 9);
    chardev_close(chr);
    FILE *f = fopen(path, "r");
    char buf[64] = {0};
    ck_assert_uint_eq(fread(buf, 1, sizeof(buf) - 1, f), 9);
    fclose(f);
    unlink(path);
    ck_assert_str_eq(buf, "boot log\n");
}
END_TEST

START_TEST(test_file_backend_error_names_the_file)
{
    ck_assert(parse("file:/nonexistent-dir/serial.log"));
    ck_assert_ptr_null(chardev_open(&spec, &loop, err, sizeof(err)));
    ck_assert_msg(strstr(err, "/nonexistent-dir/serial.log"), "error: '%s'", err);
}
END_TEST

START_TEST(test_stdio_over_pipes)
{
    /* Scripted use: stdin and stdout are pipes, no terminal involved. */
    make_pipe(in_pipe);
    make_pipe(out_pipe);
    set_nonblocking(out_pipe[0]);
    ck_assert_int_ge(dup2(in_pipe[0], STDIN_FILENO), 0);
    ck_assert_int_ge(dup2(out_pipe[1], STDOUT_FILENO), 0);
    Chardev *chr = open_spec("stdio");

    /* Only one chardev can own stdio. */
    ck_assert(parse("stdio"));
    ck_assert_ptr_null(chardev_open(&spec, &loop, err, sizeof(err)));
    ck_assert_msg(strstr(err, "stdio"), "error: '%s'", err);

    put(in_pipe[1], "root\n\001\001\001x", 9);
    pump();
    ck_assert_uint_eq(sink.len, 6);
    ck_assert_mem_eq(sink.data, "root\n\001", 6);
    ck_assert_int_eq(quit_calls, 1);

    chardev_write(chr, (const uint8_t *)"login: ", 7);
    char buf[128];
    drain(out_pipe[0], buf, sizeof(buf));
    ck_assert_msg(strstr(buf, "login: "), "output: '%s'", buf);

    close(in_pipe[1]);
    pump();
    ck_assert(!mainloop_is_watched(&loop, STDIN_FILENO));
    chardev_close(chr);

    /* Released: it can be opened again. */
    chr = open_spec("stdio");
    chardev_close(chr);
}
END_TEST

/* ---- The terminal ---- */

static int pty_master = -1;
static int pty_slave = -1;

/* A pseudo-terminal as stdin, in the default cooked mode. */
static void open_pty_as_stdin(void)
{
    pty_master = posix_openpt(O_RDWR | O_NOCTTY);
    ck_assert_int_ge(pty_master, 0);
    ck_assert_int_eq(grantpt(pty_master), 0);
    ck_assert_int_eq(unlockpt(pty_master), 0);
    pty_slave = open(ptsname(pty_master), O_RDWR | O_NOCTTY);
    ck_assert_int_ge(pty_slave, 0);
    ck_assert_int_ge(dup2(pty_slave, STDIN_FILENO), 0);
    set_nonblocking(pty_master);
}

static bool terminal_is_cooked(void)
{
    struct termios t;
    ck_assert_int_eq(tcgetattr(pty_slave, &t), 0);
    return (t.c_lflag & ICANON) && (t.c_lflag & ECHO) && (t.c_lflag & ISIG) && (t.c_iflag & ICRNL);
}

START_TEST(test_terminal_raw_while_open_and_restored_on_close)
{
    open_pty_as_stdin();
    ck_assert(terminal_is_cooked());
    Chardev *chr = open_spec("stdio");
    struct termios t;
    ck_assert_int_eq(tcgetattr(pty_slave, &t), 0);
    ck_assert(!(t.c_lflag & (ICANON | ECHO | ISIG | IEXTEN)));
    ck_assert(!(t.c_iflag & (ICRNL | IXON)));
    ck_assert_uint_eq(t.c_cc[VMIN], 1);

    /* Ctrl-C, Ctrl-Z and a bare CR reach the guest as bytes. */
    put(pty_master, "\003\032\r", 3);
    pump_until(3);
    ck_assert_uint_eq(sink.len, 3);
    ck_assert_mem_eq(sink.data, "\003\032\r", 3);

    chardev_close(chr);
    ck_assert(terminal_is_cooked());
}
END_TEST

/* Runs body in a child with the pty as stdin and its stdio chardev open,
 * and returns the child's wait status. */
static int run_child_with_raw_terminal(void (*body)(Chardev *chr))
{
    open_pty_as_stdin();
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        /* As in ember, not check's runner (whose handler kills its group). */
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, STDERR_FILENO); /* a sanitizer's crash report */
        ChardevSpec s;
        char e[256];
        Chardev *chr = NULL;
        if (chardev_parse_spec("stdio", &s, e, sizeof(e)))
            chr = chardev_open(&s, &loop, e, sizeof(e));
        if (!chr)
            _exit(99);
        body(chr);
        _exit(98);
    }
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
    ck_assert_msg(!WIFEXITED(status) || WEXITSTATUS(status) < 98, "child could not run");
    return status;
}

static void exit_without_close(Chardev *chr)
{
    (void)chr;
    exit(3);
}

static void die_by_sigterm(Chardev *chr)
{
    (void)chr;
    raise(SIGTERM);
}

static void die_by_sighup(Chardev *chr)
{
    (void)chr;
    kill(getpid(), SIGHUP);
}

/* Unmapped, but not NULL: UBSan's null check ends a process by _exit,
 * which no handler sees; a real fault is what this test is about. */
static volatile int *volatile bad_pointer = (volatile int *)16;

static void die_by_segfault(Chardev *chr)
{
    (void)chr;
    *bad_pointer = 1;
}

START_TEST(test_terminal_restored_at_exit)
{
    int status = run_child_with_raw_terminal(exit_without_close);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 3);
    ck_assert(terminal_is_cooked());
}
END_TEST

START_TEST(test_terminal_restored_on_sigterm)
{
    int status = run_child_with_raw_terminal(die_by_sigterm);
    /* Still dies by the signal, as the shell expects. */
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    ck_assert(terminal_is_cooked());
}
END_TEST

START_TEST(test_terminal_restored_on_sighup)
{
    int status = run_child_with_raw_terminal(die_by_sighup);
    ck_assert(WIFSIGNALED(status) && WTERMSIG(status) == SIGHUP);
    ck_assert(terminal_is_cooked());
}
END_TEST

START_TEST(test_terminal_restored_on_crash)
{
    int status = run_child_with_raw_terminal(die_by_segfault);
    /* Killed by SIGSEGV, or ended by a sanitizer's report. */
    ck_assert(WIFSIGNALED(status) || WEXITSTATUS(status) != 0);
    ck_assert(terminal_is_cooked());
}
END_TEST

/* ---- TCP ---- */

/* A port nobody listens on right now. */
static unsigned free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert_int_eq(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    socklen_t len = sizeof(addr);
    ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&addr, &len), 0);
    close(fd);
    return ntohs(addr.sin_port);
}

static int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET,
                               .sin_port = htons((uint16_t)port),
                               .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert_int_eq(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    return fd;
}

static void expect_from(int fd, const char *text)
{
    char buf[64] = {0};
    size_t len = strlen(text), got = 0;
    while (got < len) {
        ssize_t n = read(fd, buf + got, len - got);
        ck_assert_int_gt(n, 0);
        got += (size_t)n;
    }
    ck_assert_str_eq(buf, text);
}

START_TEST(test_tcp_server_nowait_serves_clients_in_turn)
{
    unsigned port = free_port();
    char text[64];
    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u,server,nowait", port);
    Chardev *chr = open_spec(text);
    /* No client yet: output is dropped, nothing blocks. */
    chardev_write(chr, (const uint8_t *)"lost", 4);

    int client = connect_to(port);
    pump();
    put(client, "in\001x", 4);
    pump_until(4);
    /* No escapes on a socket: every byte is the guest's. */
    ck_assert_uint_eq(sink.len, 4);
    ck_assert_mem_eq(sink.data, "in\001x", 4);
    ck_assert_int_eq(quit_calls, 0);
    chardev_write(chr, (const uint8_t *)"out", 3);
    expect_from(client, "out");
    close(client);
    pump();

    /* The server takes the next client after the first hangs up. */
    client = connect_to(port);
    pump();
    put(client, "again", 5);
    pump_until(9);
    ck_assert_uint_eq(sink.len, 9);
    ck_assert_mem_eq(sink.data + 4, "again", 5);
    chardev_write(chr, (const uint8_t *)"ok", 2);
    expect_from(client, "ok");
    close(client);
    chardev_close(chr);
}
END_TEST

START_TEST(test_tcp_server_wait_blocks_until_a_client)
{
    unsigned port = free_port();
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        /* Connect once the server listens, then echo what it sends. */
        for (int i = 0; i < 500; i++) {
            int fd = socket(AF_INET, SOCK_STREAM, 0);
            struct sockaddr_in addr = {.sin_family = AF_INET,
                                       .sin_port = htons((uint16_t)port),
                                       .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
            if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
                char c;
                while (read(fd, &c, 1) == 1 && write(fd, &c, 1) == 1)
                    ;
                _exit(0);
            }
            close(fd);
            usleep(10000);
        }
        _exit(1);
    }
    char text[64];
    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u,server", port);
    Chardev *chr = open_spec(text);
    chardev_write(chr, (const uint8_t *)"echo", 4);
    pump_until(4);
    ck_assert_mem_eq(sink.data, "echo", 4);
    chardev_close(chr);
    int status;
    waitpid(child, &status, 0);
    ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}
END_TEST

START_TEST(test_tcp_client)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert_int_eq(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(listen(listener, 1), 0);
    socklen_t len = sizeof(addr);
    getsockname(listener, (struct sockaddr *)&addr, &len);
    char text[64];
    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u", ntohs(addr.sin_port));
    Chardev *chr = open_spec(text);
    int peer = accept(listener, NULL, NULL);
    ck_assert_int_ge(peer, 0);
    chardev_write(chr, (const uint8_t *)"hi", 2);
    expect_from(peer, "hi");
    put(peer, "yo", 2);
    pump_until(2);
    ck_assert_mem_eq(sink.data, "yo", 2);
    /* The peer leaving ends input without spinning. */
    close(peer);
    pump();
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    chardev_write(chr, (const uint8_t *)"gone", 4);
    chardev_close(chr);
    close(listener);
}
END_TEST

START_TEST(test_socket_events_and_description)
{
    unsigned port = free_port();
    char text[64];
    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u,server,nowait", port);
    n_events = 0;
    ChardevFrontend fe = {sink_can_receive, sink_receive, &second, second_event, false};
    ck_assert(parse(text));
    Chardev *chr = chardev_open(&spec, &loop, err, sizeof(err));
    ck_assert_ptr_nonnull(chr);
    ck_assert(chardev_add_frontend(chr, &fe));
    ck_assert(!chardev_is_connected(chr));
    char desc[300];
    chardev_describe(chr, desc, sizeof(desc));
    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u,server=on", port);
    ck_assert_str_eq(desc, text);
    int client = connect_to(port);
    pump();
    ck_assert(chardev_is_connected(chr));
    chardev_describe(chr, desc, sizeof(desc));
    ck_assert_msg(strstr(desc, " <-> 127.0.0.1:"), "described as '%s'", desc);
    close(client);
    pump();
    ck_assert(!chardev_is_connected(chr));
    events[n_events] = '\0';
    ck_assert_str_eq(events, "OC");
    chardev_close(chr);
}
END_TEST

START_TEST(test_slow_client_gets_queued_output)
{
    unsigned port = free_port();
    char text[64];
    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u,server,nowait", port);
    Chardev *chr = open_spec(text);
    int client = connect_to(port);
    pump();
    /* Far more than the socket buffers hold, written while the client
     * reads nothing: the rest waits and arrives in order. */
    static uint8_t out[4 << 20];
    for (size_t i = 0; i < sizeof(out); i++)
        out[i] = (uint8_t)(i * 7 + i / 4096);
    size_t sent = 0;
    for (size_t chunk = 65536; sent < 512 * 1024; sent += chunk)
        chardev_write(chr, out + sent, chunk);
    set_nonblocking(client);
    static uint8_t got[4 << 20];
    size_t len = 0;
    for (int i = 0; i < 20000 && len < sent; i++) {
        ssize_t n = read(client, got + len, sizeof(got) - len);
        if (n > 0)
            len += (size_t)n;
        mainloop_poll(&loop, 1000000);
    }
    ck_assert_uint_eq(len, sent);
    ck_assert_mem_eq(got, out, sent);
    /* Beyond the limit a client that never reads loses output; nothing
     * blocks and nothing grows without bound. */
    for (int i = 0; i < 4; i++)
        chardev_write(chr, out, sizeof(out));
    close(client);
    pump();
    chardev_close(chr);
}
END_TEST

START_TEST(test_unix_server_and_client)
{
    char dir[] = "/tmp/ember-chardev-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char path[128], text[160];
    snprintf(path, sizeof(path), "%s/sock", dir);
    snprintf(text, sizeof(text), "unix:%s,server,nowait", path);
    Chardev *server = open_spec(text);
    /* ember's client end, to its own server. */
    snprintf(text, sizeof(text), "unix:%s", path);
    ck_assert(parse(text));
    ck_assert(!spec.server);
    Chardev *client = chardev_open(&spec, &loop, err, sizeof(err));
    ck_assert_ptr_nonnull(client);
    pump();
    chardev_write(client, (const uint8_t *)"over unix", 9);
    pump_until(9);
    ck_assert_mem_eq(sink.data, "over unix", 9);
    chardev_close(client);
    chardev_close(server);
    /* The server's socket file is removed with it. */
    ck_assert_int_ne(access(path, F_OK), 0);
    rmdir(dir);

    ck_assert(!parse("unix:"));
    ck_assert(!parse("unix:/x,bogus"));
    char longer[200];
    memset(longer, 'p', sizeof(longer));
    memcpy(longer, "unix:", 5);
    longer[sizeof(longer) - 1] = '\0';
    assert_rejected(longer, "too long");
}
END_TEST

START_TEST(test_tcp_errors_are_clear)
{
    int listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    ck_assert_int_eq(bind(listener, (struct sockaddr *)&addr, sizeof(addr)), 0);
    ck_assert_int_eq(listen(listener, 1), 0);
    socklen_t len = sizeof(addr);
    getsockname(listener, (struct sockaddr *)&addr, &len);
    char text[64];
    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u,server,nowait", ntohs(addr.sin_port));
    ck_assert(parse(text));
    ck_assert_ptr_null(chardev_open(&spec, &loop, err, sizeof(err)));
    ck_assert_msg(strstr(err, "cannot listen") && strstr(err, "in use"), "error: '%s'", err);
    close(listener);

    snprintf(text, sizeof(text), "tcp:127.0.0.1:%u", free_port());
    ck_assert(parse(text));
    ck_assert_ptr_null(chardev_open(&spec, &loop, err, sizeof(err)));
    ck_assert_msg(strstr(err, "cannot connect"), "error: '%s'", err);
}
END_TEST

static Suite *chardev_suite(void)
{
    Suite *s = suite_create("chardev");
    TCase *tc = tcase_create("spec");
    tcase_add_test(tc, test_spec_simple_kinds);
    tcase_add_test(tc, test_spec_tcp);
    tcase_add_test(tc, test_spec_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("input");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_plain_input_passes_every_byte);
    tcase_add_test(tc, test_held_input_waits);
    tcase_add_test(tc, test_output_reaches_the_fd);
    tcase_add_test(tc, test_escape_escape_sends_one_ctrl_a);
    tcase_add_test(tc, test_escape_x_requests_quit);
    tcase_add_test(tc, test_escape_split_across_reads);
    tcase_add_test(tc, test_escape_h_prints_help_to_the_user);
    tcase_add_test(tc, test_unknown_and_reserved_escapes_are_dropped);
    tcase_add_test(tc, test_escape_x_without_handler_is_ignored);
    tcase_add_test(tc, test_mux_switches_input_between_frontends);
    tcase_add_test(tc, test_plain_chardev_takes_one_frontend);
    tcase_add_test(tc, test_focus_waits_for_input_already_read);
    tcase_add_test(tc, test_flow_control_loses_nothing);
    tcase_add_test(tc, test_input_before_frontend_is_kept);
    tcase_add_test(tc, test_end_of_input_stops_watching);
    tcase_add_test(tc, test_output_to_a_vanished_reader_is_discarded);
    suite_add_tcase(s, tc);

    tc = tcase_create("backends");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_null_backend);
    tcase_add_test(tc, test_file_backend_truncates_and_writes);
    tcase_add_test(tc, test_file_backend_error_names_the_file);
    tcase_add_test(tc, test_stdio_over_pipes);
    tcase_add_test(tc, test_terminal_raw_while_open_and_restored_on_close);
    tcase_add_test(tc, test_terminal_restored_at_exit);
    tcase_add_test(tc, test_terminal_restored_on_sigterm);
    tcase_add_test(tc, test_terminal_restored_on_sighup);
    tcase_add_test(tc, test_terminal_restored_on_crash);
    tcase_add_test(tc, test_tcp_server_nowait_serves_clients_in_turn);
    tcase_add_test(tc, test_tcp_server_wait_blocks_until_a_client);
    tcase_add_test(tc, test_tcp_client);
    tcase_add_test(tc, test_tcp_errors_are_clear);
    tcase_add_test(tc, test_socket_events_and_description);
    tcase_add_test(tc, test_slow_client_gets_queued_output);
    tcase_add_test(tc, test_unix_server_and_client);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(chardev_suite());
}
