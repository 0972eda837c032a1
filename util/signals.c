/* util/signals.c: ember's answer to every signal that would end it. */
#define _GNU_SOURCE /* SIGSTKFLT, SIGPWR */
#include "util/signals.h"

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/log.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

#define MAX_DEATH_HOOKS 4
#define MAX_SYNC_FDS 16

/* Every signal whose default action ends the process, besides the
 * real-time ones (SIGRTMIN..SIGRTMAX, whose numbers glibc decides at run
 * time). SIGKILL cannot be caught. */
static const int terminating_signals[] = {
    SIGHUP,    SIGINT,  SIGQUIT, SIGILL,  SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGUSR1, SIGSEGV,
    SIGUSR2,   SIGPIPE, SIGALRM, SIGTERM, SIGXCPU, SIGXFSZ, SIGIO,  SIGSYS, SIGPROF, SIGVTALRM,
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
#ifdef SIGPWR
    SIGPWR,
#endif
};

static struct sigaction previous_actions[NSIG];
static void (*death_hooks[MAX_DEATH_HOOKS])(void);
static volatile sig_atomic_t sync_fds[MAX_SYNC_FDS];
static volatile sig_atomic_t orderly, exit_signal, exit_sender, dying;

static bool asks_orderly_exit(int sig)
{
    return sig == SIGINT || sig == SIGTERM || sig == SIGHUP;
}

/* Async-signal-safe: the hooks promise to be, and fdatasync is a system
 * call. Runs once, however many signals arrive. */
static void prepare_to_die(void)
{
    if (dying)
        return;
    dying = 1;
    for (int i = 0; i < MAX_DEATH_HOOKS; i++)
        if (death_hooks[i])
            death_hooks[i]();
    for (int i = 0; i < MAX_SYNC_FDS; i++)
        if (sync_fds[i] >= 0)
            fdatasync(sync_fds[i]);
}

static void on_signal(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (orderly && asks_orderly_exit(sig)) {
        exit_sender = info->si_code == SI_USER || info->si_code == SI_QUEUE ? info->si_pid : 0;
        exit_signal = sig;
        return;
    }
    prepare_to_die();
    sigaction(sig, &previous_actions[sig], NULL);
    /* A fault the kernel raised recurs when the instruction is retried, now
     * under the previous handler (the default, or a sanitizer's, which then
     * reports the real address); anything else is delivered again once this
     * handler returns, and ends ember with that signal's status. */
    bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE;
    if (!fault || info->si_code <= 0)
        raise(sig);
}

static void install_one(int sig)
{
    struct sigaction action = {.sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_RESTART};
    sigemptyset(&action.sa_mask);
    if (sigaction(sig, NULL, &previous_actions[sig]) == 0 &&
        previous_actions[sig].sa_handler != SIG_IGN)
        sigaction(sig, &action, NULL);
}

void signals_install(void)
{
    static bool installed;
    if (installed)
        return;
    installed = true;
    for (int i = 0; i < MAX_SYNC_FDS; i++)
        sync_fds[i] = -1;
    for (size_t i = 0; i < sizeof(terminating_signals) / sizeof(terminating_signals[0]); i++)
        install_one(terminating_signals[i]);
    for (int sig = SIGRTMIN; sig <= SIGRTMAX; sig++)
        install_one(sig);
#if defined(__SANITIZE_ADDRESS__)
    /* Sanitizer reports end in _exit, past atexit and these handlers. */
    __sanitizer_set_death_callback(prepare_to_die);
#endif
}

void signals_at_death(void (*fn)(void))
{
    signals_install();
    for (int i = 0; i < MAX_DEATH_HOOKS; i++) {
        if (death_hooks[i] == fn)
            return;
        if (!death_hooks[i]) {
            death_hooks[i] = fn;
            return;
        }
    }
    warn_report("internal: too many signal death hooks");
}

void signals_sync_at_death(int fd)
{
    signals_install();
    for (int i = 0; i < MAX_SYNC_FDS; i++) {
        if (sync_fds[i] < 0) {
            sync_fds[i] = fd;
            return;
        }
    }
    warn_report("more than %d images open for writing: only the first are flushed on a signal",
                MAX_SYNC_FDS);
}

void signals_forget_fd(int fd)
{
    for (int i = 0; i < MAX_SYNC_FDS; i++)
        if (sync_fds[i] == fd)
            sync_fds[i] = -1;
}

void signals_set_orderly_exit(bool on)
{
    signals_install();
    orderly = on;
}

int signals_exit_requested(pid_t *sender)
{
    if (sender)
        *sender = (pid_t)exit_sender;
    return (int)exit_signal;
}

void signals_report_exit(int sig, pid_t sender)
{
    if (sender <= 0) {
        error_report("terminating on signal %d", sig);
        return;
    }
    char path[64], name[64] = "";
    snprintf(path, sizeof(path), "/proc/%d/comm", (int)sender);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, name, sizeof(name) - 1);
        close(fd);
        name[n > 0 ? n : 0] = '\0';
        name[strcspn(name, "\n")] = '\0';
    }
    error_report("terminating on signal %d from pid %d (%s)", sig, (int)sender,
                 name[0] ? name : "<unknown process>");
}
