/* monitor/readline.h: the human monitor's line editor: a terminal's keys
 * (arrows, Home/End, Delete, Emacs control keys), history, and completion
 * of the word before the cursor. Output goes through a callback so the
 * editor knows nothing of chardevs. */
#ifndef EMBER_MONITOR_READLINE_H
#define EMBER_MONITOR_READLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define READLINE_MAX 1024
#define READLINE_HISTORY 64
#define READLINE_MAX_COMPLETIONS 256

typedef struct ReadlineCompletions {
    const char *words[READLINE_MAX_COMPLETIONS];
    unsigned n;
} ReadlineCompletions;

typedef struct Readline {
    char line[READLINE_MAX];
    size_t len, cursor;
    char *history[READLINE_HISTORY]; /* oldest first */
    unsigned n_history;
    unsigned browse; /* n_history: the line being typed, not history */
    char saved[READLINE_MAX];
    int esc;        /* where in an escape sequence: 0 none, 1 ESC, 2 CSI, 3 SS3 */
    unsigned param; /* a CSI sequence's number ("\e[3~") */
    bool after_cr;  /* a CR ended the line: a following LF is the same end */
    const char *prompt;
    void (*write)(void *opaque, const char *text, size_t len);
    /* The words that could stand where the last word of line (its first
     * len bytes) is: all of them, the editor picks the matching ones. */
    void (*complete)(void *opaque, const char *line, size_t len, ReadlineCompletions *out);
    void *opaque;
} Readline;

void readline_init(Readline *rl, const char *prompt,
                   void (*write)(void *opaque, const char *text, size_t len),
                   void (*complete)(void *opaque, const char *line, size_t len,
                                    ReadlineCompletions *out),
                   void *opaque);
void readline_free(Readline *rl);
/* A fresh empty line behind the prompt. */
void readline_start(Readline *rl);
/* Draws the prompt and the line being edited (after other output). */
void readline_redraw(Readline *rl);
/* One input byte; true when it ended a line, which is then in out. */
bool readline_feed(Readline *rl, uint8_t byte, char *out, size_t outlen);

#endif
