/* util/signals.h: ember's answer to every signal that would end it. While
 * the machine runs, SIGINT, SIGTERM and SIGHUP ask the run loop for an
 * orderly end, as in QEMU ("terminating on signal N"); any other signal
 * whose default action ends the process (and those three outside the run
 * loop) still ends it, but only after the terminal is restored and the disk
 * images being written are flushed. */
#ifndef EMBER_UTIL_SIGNALS_H
#define EMBER_UTIL_SIGNALS_H

#include <stdbool.h>
#include <sys/types.h>

/* Installs the handlers; idempotent. Signals the parent left ignored
 * (nohup, a SIGPIPE choice) stay ignored. */
void signals_install(void);

/* fn runs before ember dies by a signal or a sanitizer report; it must be
 * async-signal-safe. At most a handful (the terminal is one). */
void signals_at_death(void (*fn)(void));

/* fd (an image open for writing) is fdatasync'ed before ember dies by a
 * signal; forget it before closing it. */
void signals_sync_at_death(int fd);
void signals_forget_fd(int fd);

/* While on, SIGINT, SIGTERM and SIGHUP only record a request that
 * signals_exit_requested returns; the run loop then ends ember normally. */
void signals_set_orderly_exit(bool on);

/* The signal that asked for an orderly end (0: none yet) and the pid that
 * sent it (0 when the kernel or ember itself did). */
int signals_exit_requested(pid_t *sender);

/* "terminating on signal N[ from pid P (NAME)]", QEMU's message. */
void signals_report_exit(int sig, pid_t sender);

#endif
