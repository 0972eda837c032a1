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

/* A source whose descriptors change from one wait to the next. */
typedef struct Source {
    int fd;
    int index; /* from mainloop_poll_add */
    int prepared, dispatched;
    short revents;
    int64_t want_timeout_ns;
} Source;

static void source_prepare(void *opaque, int64_t *timeout_ns)
{
    Source *s = opaque;
    s->prepared++;
    s->index = s->fd >= 0 ? mainloop_poll_add(&loop, s->fd, POLLIN) : -1;
    if (s->want_timeout_ns >= 0 && (*timeout_ns < 0 || *timeout_ns > s->want_timeout_ns))
        *timeout_ns = s->want_timeout_ns;
}

static void source_dispatch(void *opaque, bool error)
{
    Source *s = opaque;
    ck_assert(!error);
    s->dispatched++;
    s->revents = mainloop_poll_revents(&loop, s->index);
}

START_TEST(test_source_descriptors_join_the_wait)
{
    int p[2], q[2];
    make_pipe(p);
    make_pipe(q);
    Reader r = {.fd = q[0]};
    ck_assert_int_eq(mainloop_add_fd(&loop, q[0], read_handler, &r), 0);
    Source s = {.fd = p[0], .want_timeout_ns = -1};
    MainLoopSource src = {source_prepare, source_dispatch, &s};
    ck_assert_int_eq(mainloop_add_source(&loop, &src), 0);

    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    ck_assert_int_eq(s.prepared, 1);
    ck_assert_int_eq(s.dispatched, 1);
    ck_assert_int_eq(s.revents, 0);

    /* Ready on the source's fd: the source sees it, no watch is called. */
    ck_assert_int_eq(write(p[1], "x", 1), 1);
    ck_assert_int_eq(mainloop_poll(&loop, -1), 0);
    ck_assert(s.revents & POLLIN);
    ck_assert_int_eq(r.calls, 0);

    /* Both ready: each gets its own. */
    ck_assert_int_eq(write(q[1], "y", 1), 1);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 1);
    ck_assert_int_eq(r.calls, 1);
    ck_assert(s.revents & POLLIN);

    /* Left out of a wait (index -1): nothing reported for it. */
    s.fd = -1;
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    ck_assert_int_eq(s.revents, 0);

    mainloop_remove_source(&loop, &s);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    ck_assert_int_eq(s.prepared, 4);
    mainloop_destroy(&loop);
    for (int i = 0; i < 2; i++) {
        close(p[i]);
        close(q[i]);
    }
}
END_TEST

START_TEST(test_source_shortens_the_wait)
{
    Source s = {.fd = -1, .want_timeout_ns = 20000000};
    MainLoopSource src = {source_prepare, source_dispatch, &s};
    ck_assert_int_eq(mainloop_add_source(&loop, &src), 0);
    int64_t start = now_ns();
    ck_assert_int_eq(mainloop_poll(&loop, -1), 0);
    int64_t took = now_ns() - start;
    ck_assert(took >= 20000000 && took < 2000000000);
    ck_assert_int_eq(s.dispatched, 1);
    mainloop_remove_source(&loop, &s);
    mainloop_destroy(&loop);
}
END_TEST

/* A source with more descriptors than the watch table holds. */
enum { MANY = 100 };
typedef struct ManySource {
    int fds[MANY][2];
    int index[MANY];
    short revents[MANY];
} ManySource;

static void many_prepare(void *opaque, int64_t *timeout_ns)
{
    (void)timeout_ns;
    ManySource *m = opaque;
    for (int i = 0; i < MANY; i++)
        m->index[i] = mainloop_poll_add(&loop, m->fds[i][0], POLLIN);
}

static void many_dispatch(void *opaque, bool error)
{
    ck_assert(!error);
    ManySource *m = opaque;
    for (int i = 0; i < MANY; i++)
        m->revents[i] = mainloop_poll_revents(&loop, m->index[i]);
}

START_TEST(test_many_source_descriptors)
{
    static ManySource m;
    for (int i = 0; i < MANY; i++)
        make_pipe(m.fds[i]);
    MainLoopSource src = {many_prepare, many_dispatch, &m};
    for (int i = 0; i < MAINLOOP_MAX_SOURCES; i++)
        ck_assert_int_eq(mainloop_add_source(&loop, &src), 0);
    ck_assert_int_eq(mainloop_add_source(&loop, &src), -ENOSPC);
    for (int i = 1; i < MAINLOOP_MAX_SOURCES; i++)
        mainloop_remove_source(&loop, &m);
    ck_assert_int_eq(loop.n_sources, 1);

    ck_assert_int_eq(write(m.fds[77][1], "z", 1), 1);
    ck_assert_int_eq(mainloop_poll(&loop, 0), 0);
    for (int i = 0; i < MANY; i++)
        ck_assert_int_eq(m.revents[i] != 0, i == 77);
    mainloop_remove_source(&loop, &m);
    ck_assert_int_eq(loop.n_sources, 0);
    mainloop_destroy(&loop);
    for (int i = 0; i < MANY; i++) {
        close(m.fds[i][0]);
        close(m.fds[i][1]);
    }
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
    tcase_add_test(tc, test_source_descriptors_join_the_wait);
    tcase_add_test(tc, test_source_shortens_the_wait);
    tcase_add_test(tc, test_many_source_descriptors);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(mainloop_suite());
}
