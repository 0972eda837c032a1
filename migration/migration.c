/* migration/migration.c: the outgoing migration (pre-copy, rate-limited,
 * converging on the downtime limit) and the incoming one, on the main
 * loop; transports tcp:, exec: and file:. */
#define _GNU_SOURCE
#include "migration/migration.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "migration/pack.h"
#include "migration/stream.h"
#include "util/listen.h"
#include "util/log.h"
#include "util/timer.h"

/* QEMU's defaults and its rate-limit window. */
#define DEFAULT_DOWNTIME_MS 300
#define DEFAULT_BANDWIDTH (128ull << 20)
#define WINDOW_NS 100000000ull
/* Stream bytes made ahead of the transport: enough to keep a socket busy
 * for a window, little enough to leave the guest its time slices. */
#define OUT_AHEAD (1u << 20)
/* How soon to look again when only the packer's workers are busy. */
#define PACK_POLL_NS 100000
#define IN_CHUNK (4u << 20)

struct Migration {
    MigrationHooks h;
    MigrationParameters params;
    MigrationCapabilities caps;

    /* Outgoing. */
    MigrationStatus status;
    int fd;
    bool is_socket;
    pid_t child; /* exec:'s command, reaped when it exits */
    StateBuffer out;
    size_t out_pos; /* out's bytes already written */
    uint64_t *to_send;
    uint64_t n_pages, cursor;
    bool final; /* the machine is stopped: the rest goes now */
    /* It ran when its last part began, and was stopped for it: a failure
     * from then on resumes it. */
    bool was_running;
    bool disks_released;
    bool converged;                /* the next part is the last, once the packer is done */
    unsigned throttle, dirty_high; /* auto-converge */
    MigPacker *packer;
    unsigned packing; /* batches with the packer */
    uint64_t start_ns, setup_ns, stop_ns, end_ns;
    uint64_t window_start_ns, window_bytes;
    int out_index; /* the descriptor's place in this wait, -1: not in it */
    uint64_t pass_start_ns, pass_bytes, transferred;
    uint64_t remaining_pages, expected_downtime_ms, dirty_pages_rate, dirty_sync_count;
    double mbps;
    MigRamStats ram;
    char error[512];

    /* Incoming. */
    bool incoming;         /* waiting for, or reading, a stream */
    bool incoming_started; /* a URI was given (not only defer) */
    int listen_fd, in_fd;
    pid_t in_child;
    uint8_t *in_buf;
    size_t in_len, in_cap;
    bool header_done, have_devices;
};

const char *migration_status_name(MigrationStatus status)
{
    static const char *const names[] = {"none",      "setup",  "active",
                                        "completed", "failed", "cancelled"};
    return names[status];
}

static void set_status(Migration *mig, MigrationStatus status, bool incoming)
{
    mig->status = status;
    if (mig->h.status_changed)
        mig->h.status_changed(mig->h.opaque, migration_status_name(status), incoming);
}

static void reap(pid_t *child)
{
    if (*child > 0 && waitpid(*child, NULL, WNOHANG) != 0)
        *child = -1;
}

/* sh -c command, its stdin (to_child) or stdout reading one end of a
 * socket pair: a socket, so that writing to a command that died fails
 * with EPIPE instead of killing ember with SIGPIPE. */
static int spawn(const char *command, bool to_child, pid_t *pid, char *err, size_t errlen)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        snprintf(err, errlen, "cannot run '%s': %s", command, strerror(errno));
        return -1;
    }
    *pid = fork();
    if (*pid < 0) {
        snprintf(err, errlen, "cannot run '%s': %s", command, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (*pid == 0) {
        dup2(sv[1], to_child ? STDIN_FILENO : STDOUT_FILENO);
        signal(SIGPIPE, SIG_DFL);
        execl("/bin/sh", "sh", "-c", command, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    return sv[0];
}

/* The transport of uri: a descriptor to write (outgoing) or read, or -1
 * with err. tcp: for incoming is a listening socket (*listening set). */
static int open_uri(const char *uri, bool outgoing, pid_t *child, bool *is_socket, bool *listening,
                    char *err, size_t errlen)
{
    *is_socket = true;
    *listening = false;
    if (strncmp(uri, "tcp:", 4) == 0) {
        char host[LISTEN_HOST_SIZE], port[LISTEN_PORT_SIZE];
        if (!listen_parse_tcp(uri + 4, strlen(uri + 4), host, port)) {
            snprintf(err, errlen, "Parameter 'uri' expects host:port, not '%s'", uri + 4);
            return -1;
        }
        if (outgoing)
            return connect_tcp("migrate", host, port, err, errlen);
        *listening = true;
        return listen_tcp("-incoming", host, port, err, errlen);
    }
    if (strncmp(uri, "exec:", 5) == 0)
        return spawn(uri + 5, outgoing, child, err, errlen);
    if (strncmp(uri, "file:", 5) == 0) {
        *is_socket = false;
        int fd = outgoing ? open(uri + 5, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)
                          : open(uri + 5, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            snprintf(err, errlen, "cannot open '%s': %s", uri + 5, strerror(errno));
        return fd;
    }
    snprintf(err, errlen,
             "Parameter 'uri' expects a valid migration protocol (tcp:, exec:, file:)");
    return -1;
}

/* ---- Outgoing ---- */

/* The status also tells of an incoming migration: this is the outgoing's. */
static bool outgoing_active(const Migration *mig)
{
    return mig->to_send != NULL;
}

static void finish_outgoing(Migration *mig, MigrationStatus status)
{
    mig->end_ns = clock_host_ns();
    mig_packer_free(mig->packer);
    mig->packer = NULL;
    mig->packing = 0;
    mig->throttle = mig->dirty_high = 0;
    mig->h.log_stop(mig->h.opaque);
    free(mig->to_send);
    mig->to_send = NULL;
    state_buffer_free(&mig->out);
    mig->out = (StateBuffer){0};
    if (mig->fd >= 0)
        close(mig->fd);
    mig->fd = -1;
    reap(&mig->child);
    /* A failed or cancelled migration leaves the source running as it was,
     * its disks its own again. */
    char err[400];
    if (status != MIGRATION_COMPLETED && mig->disks_released &&
        !mig->h.disks_take(mig->h.opaque, err, sizeof(err)))
        warn_report("migration: %s", err);
    else if (status != MIGRATION_COMPLETED && mig->was_running)
        mig->h.cont(mig->h.opaque);
    mig->disks_released = false;
    set_status(mig, status, false);
}

static void fail_outgoing(Migration *mig, const char *fmt, const char *detail)
{
    snprintf(mig->error, sizeof(mig->error), fmt, detail);
    warn_report("migration failed: %s", mig->error);
    finish_outgoing(mig, MIGRATION_FAILED);
}

/* The next page to send at or after the cursor; n_pages when none. */
static uint64_t next_dirty(const Migration *mig, uint64_t from)
{
    for (uint64_t w = from / 64; w < (mig->n_pages + 63) / 64; w++) {
        uint64_t bits = mig->to_send[w];
        if (w == from / 64)
            bits &= ~0ull << (from % 64);
        if (bits)
            return w * 64 + (uint64_t)__builtin_ctzll(bits);
    }
    return mig->n_pages;
}

enum { BATCH_QUEUED, BATCH_BUSY, BATCH_PASS_END };

/* Hands the packer up to a batch of pages from the cursor on: queued, busy
 * (its queue is full: later), or the pass has reached the end of RAM. */
static int put_batch(Migration *mig)
{
    uint32_t pages[MIG_RAM_BATCH];
    unsigned n = 0;
    uint64_t p = next_dirty(mig, mig->cursor);
    for (; p < mig->n_pages && n < MIG_RAM_BATCH; p = next_dirty(mig, p + 1))
        pages[n++] = (uint32_t)p;
    if (n == 0)
        return BATCH_PASS_END;
    if (!mig_packer_submit(mig->packer, mig->h.ram, pages, n))
        return BATCH_BUSY;
    for (unsigned i = 0; i < n; i++)
        mig->to_send[pages[i] / 64] &= ~(1ull << (pages[i] % 64));
    mig->cursor = p;
    mig->remaining_pages -= n;
    return BATCH_QUEUED;
}

/* What the packer has finished goes to the output, in order; with wait,
 * all of it. */
static void collect(Migration *mig, bool wait)
{
    mig->packing =
        mig_packer_collect(mig->packer, &mig->out, &mig->ram, wait ? 0 : MIG_PACKER_QUEUE);
}

static uint64_t count_bits(const uint64_t *bitmap, uint64_t n_pages)
{
    uint64_t n = 0;
    for (uint64_t w = 0; w < (n_pages + 63) / 64; w++)
        n += (uint64_t)__builtin_popcountll(bitmap[w]);
    return n;
}

/* The machine stops; whatever RAM it wrote since the last pass, its
 * devices and the end follow at once. */
static void enter_final(Migration *mig)
{
    mig->was_running = mig->h.running(mig->h.opaque);
    if (mig->was_running)
        mig->h.stop(mig->h.opaque);
    mig->stop_ns = clock_host_ns();
    char err[400];
    if (!mig->h.disks_release(mig->h.opaque, err, sizeof(err))) {
        fail_outgoing(mig, "%s", err);
        return;
    }
    mig->disks_released = true;
    mig->h.log_sync(mig->h.opaque, mig->to_send);
    mig->dirty_sync_count++;
    mig->remaining_pages = count_bits(mig->to_send, mig->n_pages);
    mig->cursor = 0;
    for (int r; (r = put_batch(mig)) != BATCH_PASS_END;)
        if (r == BATCH_BUSY)
            collect(mig, true);
    collect(mig, true);
    StateBuffer devices = {0};
    bool ok = mig->h.save_devices(mig->h.opaque, &devices);
    mig_put_section(&mig->out, MIG_SECTION_DEVICES, devices.data, devices.len);
    state_buffer_free(&devices);
    mig_put_end(&mig->out, mig->was_running);
    mig->final = true;
    if (!ok || mig->out.failed)
        fail_outgoing(mig, "%s", "out of memory");
}

/* The pages written since the last sync join what is to send; whether
 * that would go within the downtime limit at the transport's rate. */
static bool fits_downtime(Migration *mig, uint64_t elapsed_ns, uint64_t *added_pages)
{
    uint64_t added = mig->h.log_sync(mig->h.opaque, mig->to_send);
    *added_pages = added;
    mig->dirty_sync_count++;
    mig->remaining_pages = count_bits(mig->to_send, mig->n_pages);
    if (elapsed_ns)
        mig->dirty_pages_rate = added * 1000000000ull / elapsed_ns;
    double remaining = (double)mig->remaining_pages * MIG_PAGE_SIZE;
    mig->expected_downtime_ms = (uint64_t)(remaining / (mig->mbps * 1e6 / 8) * 1000);
    return mig->expected_downtime_ms <= mig->params.downtime_limit_ms;
}

/* QEMU's auto-converge: a pass in which the guest wrote more than the
 * trigger's share of what went, twice, slows the guest down a step. */
static void throttle_check(Migration *mig, uint64_t added_pages)
{
    const MigrationParameters *p = &mig->params;
    if (!mig->caps.auto_converge || mig->dirty_sync_count < 2)
        return;
    if (added_pages * MIG_PAGE_SIZE * 100 <= mig->pass_bytes * p->throttle_trigger_threshold ||
        ++mig->dirty_high < 2)
        return;
    mig->dirty_high = 0;
    uint64_t next =
        mig->throttle ? mig->throttle + p->cpu_throttle_increment : p->cpu_throttle_initial;
    mig->throttle = (unsigned)(next < p->max_cpu_throttle ? next : p->max_cpu_throttle);
}

/* A pass over RAM ended: what the guest wrote meanwhile is the next pass;
 * small enough to go within the downtime limit, it goes with the machine
 * stopped. */
static void end_pass(Migration *mig)
{
    uint64_t now = clock_host_ns(), elapsed = now - mig->pass_start_ns;
    /* The transport's measured rate; the limit before anything was measured. */
    double bytes_per_s = elapsed && mig->pass_bytes
                             ? (double)mig->pass_bytes * 1e9 / (double)elapsed
                             : (double)mig->params.max_bandwidth;
    mig->mbps = bytes_per_s * 8 / 1e6;
    /* The machine stops once the packer has caught up (its batches would
     * otherwise count as downtime), if what the guest wrote meanwhile
     * still fits. */
    uint64_t added;
    mig->converged = fits_downtime(mig, elapsed, &added);
    throttle_check(mig, added);
    mig->pass_start_ns = now;
    mig->pass_bytes = 0;
    mig->cursor = 0;
}

/* Writes what the transport takes now, up to budget bytes. false after a
 * failure. */
static bool write_out(Migration *mig, uint64_t budget)
{
    while (mig->out_pos < mig->out.len && budget > 0) {
        size_t n = mig->out.len - mig->out_pos;
        if (n > budget)
            n = (size_t)budget;
        const uint8_t *at = mig->out.data + mig->out_pos;
        ssize_t done = mig->is_socket ? send(mig->fd, at, n, MSG_NOSIGNAL) : write(mig->fd, at, n);
        if (done < 0 && errno == EINTR)
            continue;
        if (done < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            break;
        if (done <= 0) {
            fail_outgoing(mig, "cannot send the stream: %s", done < 0 ? strerror(errno) : "EOF");
            return false;
        }
        mig->out_pos += (size_t)done;
        mig->transferred += (uint64_t)done;
        mig->pass_bytes += (uint64_t)done;
        mig->window_bytes += (uint64_t)done;
        budget -= (uint64_t)done;
    }
    /* What was written leaves the buffer, which so stays about OUT_AHEAD. */
    if (mig->out_pos == mig->out.len || mig->out_pos >= OUT_AHEAD) {
        memmove(mig->out.data, mig->out.data + mig->out_pos, mig->out.len - mig->out_pos);
        mig->out.len -= mig->out_pos;
        mig->out_pos = 0;
    }
    return true;
}

/* What this window still allows (the final part is not limited). */
static uint64_t budget(Migration *mig, uint64_t now)
{
    if (now - mig->window_start_ns >= WINDOW_NS) {
        mig->window_start_ns = now;
        mig->window_bytes = 0;
    }
    if (mig->final)
        return UINT64_MAX;
    uint64_t limit = mig->params.max_bandwidth / (1000000000ull / WINDOW_NS);
    return mig->window_bytes < limit ? limit - mig->window_bytes : 0;
}

/* Makes and sends stream until the window's budget, the transport or
 * STEP_NS of making it (the guest's share of the CPU thread: about one of
 * its time slices) says stop. A batch of zero pages takes microseconds,
 * one of data milliseconds. */
#define STEP_NS 1000000ull

static void outgoing_step(Migration *mig)
{
    uint64_t step_end = clock_host_ns() + STEP_NS;
    while (mig->status == MIGRATION_ACTIVE) {
        uint64_t now = clock_host_ns(), allowed = budget(mig, now);
        if (allowed == 0)
            return;
        collect(mig, false);
        if (mig->converged && !mig->final && mig->packing == 0) {
            uint64_t added;
            mig->converged = fits_downtime(mig, now - mig->pass_start_ns, &added);
            if (mig->converged)
                enter_final(mig);
            if (mig->status != MIGRATION_ACTIVE)
                return;
        }
        int made = BATCH_BUSY;
        if (!mig->final && !mig->converged && mig->out.len - mig->out_pos < OUT_AHEAD &&
            now < step_end) {
            made = put_batch(mig);
            if (made == BATCH_PASS_END)
                end_pass(mig);
            if (mig->status != MIGRATION_ACTIVE)
                return;
        }
        if (mig->out.failed) {
            fail_outgoing(mig, "%s", "out of memory");
            return;
        }
        size_t pending = mig->out.len - mig->out_pos;
        uint64_t sent = mig->transferred;
        if (!write_out(mig, allowed))
            return;
        if (mig->final && mig->out.len == 0) {
            finish_outgoing(mig, MIGRATION_COMPLETED);
            return;
        }
        /* The transport is full, or the budget spent, or nothing was made
         * or written: wait. */
        if (mig->transferred - sent < pending || (made == BATCH_BUSY && pending == 0))
            return;
    }
}

static void outgoing_prepare(Migration *mig, int64_t *timeout_ns, int *index)
{
    *index = -1;
    if (mig->status != MIGRATION_ACTIVE)
        return;
    uint64_t now = clock_host_ns();
    int64_t wait = -1;
    if (budget(mig, now) == 0)
        wait = (int64_t)(mig->window_start_ns + WINDOW_NS - now);
    else if (mig->out.len == mig->out_pos && mig->packing > 0 &&
             (mig->packing == MIG_PACKER_QUEUE || mig->converged))
        wait = PACK_POLL_NS; /* only the packer can make progress */
    if (wait >= 0) {
        if (*timeout_ns < 0 || *timeout_ns > wait)
            *timeout_ns = wait;
        return;
    }
    *index = mainloop_poll_add(mig->h.loop, mig->fd, POLLOUT);
}

/* ---- Incoming ---- */

static void close_fd(Migration *mig, int *fd)
{
    if (*fd >= 0) {
        mainloop_remove_fd(mig->h.loop, *fd);
        close(*fd);
    }
    *fd = -1;
}

static void close_incoming(Migration *mig)
{
    close_fd(mig, &mig->in_fd);
    close_fd(mig, &mig->listen_fd);
    reap(&mig->in_child);
    free(mig->in_buf);
    mig->in_buf = NULL;
    mig->in_len = mig->in_cap = 0;
    mig->incoming = false;
}

static void finish_incoming(Migration *mig, const char *err, bool running)
{
    close_incoming(mig);
    set_status(mig, err ? MIGRATION_FAILED : MIGRATION_COMPLETED, true);
    mig->h.incoming_done(mig->h.opaque, err, running);
}

/* Consumes the complete sections in the buffer; false when the stream
 * ended (done or failed). */
static bool parse_incoming(Migration *mig, char *err, size_t errlen, bool *complete, bool *running)
{
    size_t pos = 0;
    if (!mig->header_done) {
        char config[MIG_CONFIG_MAX];
        long got = mig_get_header(mig->in_buf, mig->in_len, config, err, errlen);
        if (got < 0 || (got > 0 && !mig->h.check_config(mig->h.opaque, config, err, errlen)))
            return false;
        if (got == 0)
            return true;
        pos = (size_t)got;
        mig->header_done = true;
    }
    for (;;) {
        MigSection s;
        long got = mig_get_section(mig->in_buf + pos, mig->in_len - pos, &s, err, errlen);
        if (got < 0)
            return false;
        if (got == 0)
            break;
        pos += (size_t)got;
        bool ok = true;
        if (s.type == MIG_SECTION_RAM) {
            ok = mig_load_ram(&s, mig->h.ram, mig->h.ram_size, err, errlen);
        } else if (s.type == MIG_SECTION_DEVICES) {
            ok = mig->h.load_devices(mig->h.opaque, s.payload, s.len, false, err, errlen) &&
                 mig->h.load_devices(mig->h.opaque, s.payload, s.len, true, err, errlen);
            mig->have_devices = ok;
        } else {
            int r = mig_end_running(&s, err, errlen);
            if (r < 0)
                return false;
            if (!mig->have_devices) {
                snprintf(err, errlen, "the stream ends without the devices' state");
                return false;
            }
            if (!mig->h.disks_take(mig->h.opaque, err, errlen))
                return false;
            *complete = true;
            *running = r == 1;
            return false;
        }
        if (!ok)
            return false;
    }
    memmove(mig->in_buf, mig->in_buf + pos, mig->in_len - pos);
    mig->in_len -= pos;
    return true;
}

static void incoming_readable(void *opaque)
{
    Migration *mig = opaque;
    if (mig->in_cap - mig->in_len < IN_CHUNK) {
        uint8_t *grown = realloc(mig->in_buf, mig->in_len + IN_CHUNK);
        if (!grown) {
            finish_incoming(mig, "out of memory", false);
            return;
        }
        mig->in_buf = grown;
        mig->in_cap = mig->in_len + IN_CHUNK;
    }
    ssize_t n = read(mig->in_fd, mig->in_buf + mig->in_len, mig->in_cap - mig->in_len);
    if (n < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    char err[400] = "";
    if (n <= 0) {
        snprintf(err, sizeof(err), "%s",
                 n < 0 ? strerror(errno) : "the stream ended before the machine was complete");
        finish_incoming(mig, err, false);
        return;
    }
    mig->in_len += (size_t)n;
    bool complete = false, running = false;
    if (parse_incoming(mig, err, sizeof(err), &complete, &running))
        return;
    finish_incoming(mig, complete ? NULL : err, running);
}

static void incoming_accept(void *opaque)
{
    Migration *mig = opaque;
    int fd = listen_accept(mig->listen_fd);
    if (fd < 0)
        return;
    close_fd(mig, &mig->listen_fd);
    mig->in_fd = fd;
    set_status(mig, MIGRATION_ACTIVE, true);
    if (mainloop_add_fd(mig->h.loop, fd, incoming_readable, mig) < 0)
        finish_incoming(mig, "cannot watch the connection", false);
}

bool migration_incoming(Migration *mig, const char *uri, char *err, size_t errlen)
{
    if (strcmp(uri, "defer") == 0) {
        mig->incoming = true;
        return true;
    }
    if (mig->incoming_started || mig->status == MIGRATION_ACTIVE) {
        snprintf(err, errlen, "The incoming migration has already been started");
        return false;
    }
    bool is_socket, listening;
    int fd = open_uri(uri, false, &mig->in_child, &is_socket, &listening, err, errlen);
    if (fd < 0)
        return false;
    mig->incoming = mig->incoming_started = true;
    mig->header_done = mig->have_devices = false;
    set_status(mig, listening ? MIGRATION_SETUP : MIGRATION_ACTIVE, true);
    if (listening)
        mig->listen_fd = fd;
    else
        mig->in_fd = fd;
    if (mainloop_add_fd(mig->h.loop, fd, listening ? incoming_accept : incoming_readable, mig) <
        0) {
        snprintf(err, errlen, "cannot watch the incoming stream");
        close(fd);
        mig->listen_fd = mig->in_fd = -1;
        mig->incoming = false;
        return false;
    }
    return true;
}

bool migration_incoming_pending(const Migration *mig)
{
    return mig->incoming;
}

/* ---- The main-loop source and the rest of the interface ---- */

static void source_prepare(void *opaque, int64_t *timeout_ns)
{
    Migration *mig = opaque;
    outgoing_prepare(mig, timeout_ns, &mig->out_index);
}

static void source_dispatch(void *opaque, bool error)
{
    Migration *mig = opaque;
    if (error || mig->status != MIGRATION_ACTIVE)
        return;
    short revents = mainloop_poll_revents(mig->h.loop, mig->out_index);
    if (mig->out_index < 0 ? budget(mig, clock_host_ns()) > 0
                           : (revents & (POLLOUT | POLLERR | POLLHUP)) != 0)
        outgoing_step(mig);
}

Migration *migration_new(const MigrationHooks *hooks)
{
    Migration *mig = calloc(1, sizeof(*mig));
    if (!mig)
        return NULL;
    mig->h = *hooks;
    mig->params = (MigrationParameters){DEFAULT_DOWNTIME_MS, DEFAULT_BANDWIDTH, 20, 10, 99, 50};
    mig->fd = mig->listen_fd = mig->in_fd = -1;
    mig->child = mig->in_child = -1;
    mig->n_pages = hooks->ram_size / MIG_PAGE_SIZE;
    MainLoopSource source = {source_prepare, source_dispatch, mig};
    if (mainloop_add_source(hooks->loop, &source) < 0) {
        free(mig);
        return NULL;
    }
    return mig;
}

void migration_free(Migration *mig)
{
    if (!mig)
        return;
    if (outgoing_active(mig))
        finish_outgoing(mig, MIGRATION_CANCELLED);
    close_incoming(mig);
    mainloop_remove_source(mig->h.loop, mig);
    free(mig);
}

bool migration_start(Migration *mig, const char *uri, char *err, size_t errlen)
{
    if (outgoing_active(mig)) {
        snprintf(err, errlen, "There's a migration process in progress");
        return false;
    }
    if (mig->incoming) {
        snprintf(err, errlen, "Guest is waiting for an incoming migration");
        return false;
    }
    uint64_t start = clock_host_ns();
    bool listening;
    int fd = open_uri(uri, true, &mig->child, &mig->is_socket, &listening, err, errlen);
    if (fd < 0)
        return false;
    if (mig->is_socket)
        fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    mig->to_send = malloc((mig->n_pages + 63) / 64 * 8);
    /* One worker: the other core is the guest's. */
    mig->packer = mig->to_send ? mig_packer_new(1) : NULL;
    if (!mig->packer || !mig->h.log_start(mig->h.opaque)) {
        mig_packer_free(mig->packer);
        mig->packer = NULL;
        free(mig->to_send);
        mig->to_send = NULL;
        close(fd);
        snprintf(err, errlen, "out of memory (the dirty log, or a thread for compression)");
        return false;
    }
    mig->fd = fd;
    mig->start_ns = start;
    mig->error[0] = '\0';
    mig->out = (StateBuffer){0};
    mig->out_pos = 0;
    mig->final = mig->was_running = mig->converged = false;
    mig->transferred = mig->pass_bytes = mig->window_bytes = 0;
    mig->ram = (MigRamStats){0};
    mig->dirty_sync_count = mig->dirty_pages_rate = mig->expected_downtime_ms = 0;
    mig->mbps = 0;
    mig->stop_ns = mig->end_ns = 0;
    set_status(mig, MIGRATION_SETUP, false);
    memset(mig->to_send, 0xff, (mig->n_pages + 63) / 64 * 8);
    if (mig->n_pages % 64)
        mig->to_send[mig->n_pages / 64] = (1ull << (mig->n_pages % 64)) - 1;
    mig->remaining_pages = mig->n_pages;
    mig->cursor = 0;
    char config[MIG_CONFIG_MAX];
    mig->h.config(mig->h.opaque, config, sizeof(config));
    mig_put_header(&mig->out, config);
    mig->setup_ns = clock_host_ns() - start;
    mig->pass_start_ns = mig->window_start_ns = clock_host_ns();
    set_status(mig, MIGRATION_ACTIVE, false);
    return true;
}

void migration_cancel(Migration *mig)
{
    if (outgoing_active(mig))
        finish_outgoing(mig, MIGRATION_CANCELLED);
}

void migration_info(const Migration *mig, MigrationInfo *info)
{
    *info = (MigrationInfo){.status = mig->status};
    if (mig->status == MIGRATION_NONE)
        return;
    bool active = mig->status == MIGRATION_ACTIVE || mig->status == MIGRATION_SETUP;
    uint64_t end = active ? clock_host_ns() : mig->end_ns;
    info->total_time_ms = (end - mig->start_ns) / 1000000;
    info->setup_time_ms = mig->setup_ns / 1000000;
    if (mig->status == MIGRATION_COMPLETED && mig->stop_ns)
        info->downtime_ms = (mig->end_ns - mig->stop_ns) / 1000000;
    info->expected_downtime_ms = mig->expected_downtime_ms;
    info->transferred = mig->transferred;
    info->remaining = active ? mig->remaining_pages * MIG_PAGE_SIZE : 0;
    info->total = mig->n_pages * MIG_PAGE_SIZE;
    info->duplicate = mig->ram.zero_pages;
    info->normal = mig->ram.normal_pages;
    info->normal_bytes = mig->ram.normal_pages * MIG_PAGE_SIZE;
    info->dirty_sync_count = mig->dirty_sync_count;
    info->dirty_pages_rate = mig->dirty_pages_rate;
    info->mbps = active || !info->total_time_ms
                     ? mig->mbps
                     : (double)mig->transferred * 8 / 1e3 / (double)info->total_time_ms;
    info->cpu_throttle = migration_cpu_throttle(mig);
    snprintf(info->error, sizeof(info->error), "%s", mig->error);
}

MigrationParameters *migration_parameters(Migration *mig)
{
    return &mig->params;
}

MigrationCapabilities *migration_capabilities(Migration *mig)
{
    return &mig->caps;
}

unsigned migration_cpu_throttle(const Migration *mig)
{
    return mig->status == MIGRATION_ACTIVE && !mig->final ? mig->throttle : 0;
}
