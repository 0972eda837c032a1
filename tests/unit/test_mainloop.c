/* tests/unit/test_mainloop.c: unit tests for util/mainloop.c: fd watchers
 * over pipes, timeouts, end of file and removal during dispatch. */
#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/harness.h"
#include "util/mainloop.h"

static MainLoop loop;

typedef struct Reader {
    int fd;
    int calls;
    ssize_t last_read; /* what read() returned in the handler */
    char data[64];
} Reader;

static void read_handler(void *opaque)
{
    Reader *r = opaque;
    r->calls++;
    r->last_read = read(r->fd, r->data, sizeof(r->data));
}

static void make_pipe(int fds[2])
{
    ck_assert_int_eq(pipe(fds), 0);
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void setup(void)
{
    mainloop_init(&loop);
}

START_TEST(test_ready_pipe_dispatches_handler)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), 0);
    ck_assert(mainloop_is_watched(&loop, p[0]));

    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    ck_assert_int_eq(r.calls, 0);

    ck_assert_int_eq(write(p[1], "hi", 2), 2);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 1);
    ck_assert_int_eq(r.calls, 1);
    ck_assert_int_eq(r.last_read, 2);
    ck_assert_mem_eq(r.data, "hi", 2);

    /* Drained: nothing more to do. */
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    ck_assert_int_eq(r.calls, 1);
}
END_TEST

START_TEST(test_only_ready_fds_dispatch)
{
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    Reader ra = {.fd = a[0]}, rb = {.fd = b[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, a[0], read_handler, &ra), 0);
    ck_assert_int_eq(mainloop_add_fd(&loop, b[0], read_handler, &rb), 0);
    ck_assert_int_eq(write(b[1], "x", 1), 1);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 1);
    ck_assert_int_eq(ra.calls, 0);
    ck_assert_int_eq(rb.calls, 1);
}
END_TEST

START_TEST(test_timeout_sleeps_without_input)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), 0);
    int64_t start = now_ns();
    ck_assert_int_eq(mainloop_poll(&loop, 30000000), 0);
    int64_t elapsed = now_ns() - start;
    ck_assert_msg(elapsed >= 30000000, "woke after %lld ns", (long long)elapsed);
    ck_assert_msg(elapsed < 2000000000, "slept %lld ns", (long long)elapsed);
    ck_assert_int_eq(r.calls, 0);
}
END_TEST

START_TEST(test_timeout_with_nothing_watched_sleeps)
{
    /* The idle hart's sleep goes through here even with no fds. */
    int64_t start = now_ns();
    ck_assert_int_eq(mainloop_poll(&loop, 20000000), 0);
    ck_assert(now_ns() - start >= 20000000);
}
END_TEST

START_TEST(test_input_ends_a_long_wait)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), 0);
    pid_t child = fork();
    ck_assert_int_ge(child, 0);
    if (child == 0) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
        _exit(write(p[1], "k", 1) == 1 ? 0 : 1);
    }
    int64_t start = now_ns();
    ck_assert_int_eq(mainloop_poll(&loop, -1), 1); /* no limit */
    ck_assert(now_ns() - start < 5000000000);
    ck_assert_int_eq(r.calls, 1);
    ck_assert_int_eq(r.data[0], 'k');
}
END_TEST

START_TEST(test_end_of_file_is_reported)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), 0);
    close(p[1]);
    ck_assert_int_eq(mainloop_poll(&loop, 1000000000), 1);
    ck_assert_int_eq(r.last_read, 0);
}
END_TEST

START_TEST(test_removed_fd_is_not_polled)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), 0);
    mainloop_remove_fd(&loop, p[0]);
    ck_assert(!mainloop_is_watched(&loop, p[0]));
    ck_assert_int_eq(write(p[1], "x", 1), 1);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    ck_assert_int_eq(r.calls, 0);
    mainloop_remove_fd(&loop, p[0]); /* twice is harmless */
    mainloop_remove_fd(&loop, -1);
}
END_TEST

START_TEST(test_add_rejects_bad_requests)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, -1, read_handler, &r), -EINVAL);
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], NULL, &r), -EINVAL);
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), 0);
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), -EEXIST);
}
END_TEST

START_TEST(test_table_full)
{
    int fds[MAINLOOP_MAX_WATCHES + 1][2];
    Reader r = {0};
    for (int i = 0; i <= MAINLOOP_MAX_WATCHES; i++)
        make_pipe(fds[i]);
    for (int i = 0; i < MAINLOOP_MAX_WATCHES; i++)
        ck_assert_int_eq(mainloop_add_fd(&loop, fds[i][0], read_handler, &r), 0);
    ck_assert_int_eq(mainloop_add_fd(&loop, fds[MAINLOOP_MAX_WATCHES][0], read_handler, &r),
                     -ENOSPC);
    mainloop_remove_fd(&loop, fds[3][0]);
    ck_assert_int_eq(mainloop_add_fd(&loop, fds[MAINLOOP_MAX_WATCHES][0], read_handler, &r), 0);
}
END_TEST

/* A handler that removes another watch (and maybe re-adds its fd). */
typedef struct Remover {
    Reader reader;
    int victim_fd;
    Reader *replacement;
} Remover;

static void remove_other_handler(void *opaque)
{
    Remover *rm = opaque;
    read_handler(&rm->reader);
    mainloop_remove_fd(&loop, rm->victim_fd);
    if (rm->replacement)
        ck_assert_int_eq(mainloop_add_fd(&loop, rm->victim_fd, read_handler, rm->replacement), 0);
}

START_TEST(test_handler_may_remove_a_ready_watch)
{
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    Reader victim = {.fd = b[0]};
    Remover rm = {.reader = {.fd = a[0]}, .victim_fd = b[0]};
    /* Dispatch follows the table, so the remover runs first and the victim,
     * ready in the same poll, must then be skipped. */
    ck_assert_int_eq(mainloop_add_fd(&loop, a[0], remove_other_handler, &rm), 0);
    ck_assert_int_eq(mainloop_add_fd(&loop, b[0], read_handler, &victim), 0);
    ck_assert_int_eq(write(a[1], "a", 1), 1);
    ck_assert_int_eq(write(b[1], "b", 1), 1);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 1);
    ck_assert_int_eq(rm.reader.calls, 1);
    ck_assert_int_eq(victim.calls, 0);
}
END_TEST

START_TEST(test_replaced_watch_waits_for_the_next_poll)
{
    int a[2], b[2];
    make_pipe(a);
    make_pipe(b);
    Reader victim = {.fd = b[0]}, replacement = {.fd = b[0]};
    Remover rm = {.reader = {.fd = a[0]}, .victim_fd = b[0], .replacement = &replacement};
    ck_assert_int_eq(mainloop_add_fd(&loop, a[0], remove_other_handler, &rm), 0);
    ck_assert_int_eq(mainloop_add_fd(&loop, b[0], read_handler, &victim), 0);
    ck_assert_int_eq(write(a[1], "a", 1), 1);
    ck_assert_int_eq(write(b[1], "b", 1), 1);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 1);
    ck_assert_int_eq(victim.calls, 0);
    ck_assert_int_eq(replacement.calls, 0);
    mainloop_remove_fd(&loop, a[0]);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 1);
    ck_assert_int_eq(replacement.calls, 1);
    ck_assert_int_eq(replacement.data[0], 'b');
}
END_TEST

static void remove_self_handler(void *opaque)
{
    Reader *r = opaque;
    read_handler(r);
    mainloop_remove_fd(&loop, r->fd);
}

START_TEST(test_handler_may_remove_itself)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], remove_self_handler, &r), 0);
    ck_assert_int_eq(write(p[1], "ab", 2), 2);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 1);
    ck_assert(!mainloop_is_watched(&loop, p[0]));
}
END_TEST

START_TEST(test_closed_fd_is_dropped_not_spun_on)
{
    int p[2];
    make_pipe(p);
    Reader r = {.fd = p[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, p[0], read_handler, &r), 0);
    close(p[0]);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    ck_assert(!mainloop_is_watched(&loop, p[0]));
    ck_assert_int_eq(r.calls, 0);
}
END_TEST

static Suite *mainloop_suite(void)
{
    Suite *s = suite_create("mainloop");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_ready_pipe_dispatches_handler);
    tcase_add_test(tc, test_only_ready_fds_dispatch);
    tcase_add_test(tc, test_timeout_sleeps_without_input);
    tcase_add_test(tc, test_timeout_with_nothing_watched_sleeps);
    tcase_add_test(tc, test_input_ends_a_long_wait);
    tcase_add_test(tc, test_end_of_file_is_reported);
    tcase_add_test(tc, test_removed_fd_is_not_polled);
    tcase_add_test(tc, test_add_rejects_bad_requests);
    tcase_add_test(tc, test_table_full);
    tcase_add_test(tc, test_handler_may_remove_a_ready_watch);
    tcase_add_test(tc, test_replaced_watch_waits_for_the_next_poll);
    tcase_add_test(tc, test_handler_may_remove_itself);
    tcase_add_test(tc, test_closed_fd_is_dropped_not_spun_on);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(mainloop_suite());
}
