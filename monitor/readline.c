/* monitor/readline.c: the human monitor's line editor. It redraws from
 * the prompt after any edit that is not a plain append, which costs a few
 * bytes on a terminal and keeps the code free of cursor arithmetic. */
#include "monitor/readline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)

void readline_init(Readline *rl, const char *prompt,
                   void (*write)(void *opaque, const char *text, size_t len),
                   void (*complete)(void *opaque, const char *line, size_t len,
                                    ReadlineCompletions *out),
                   void *opaque)
{
    memset(rl, 0, sizeof(*rl));
    rl->prompt = prompt;
    rl->write = write;
    rl->complete = complete;
    rl->opaque = opaque;
}

void readline_free(Readline *rl)
{
    for (unsigned i = 0; i < rl->n_history; i++)
        free(rl->history[i]);
    rl->n_history = 0;
}

static void put(Readline *rl, const char *text)
{
    rl->write(rl->opaque, text, strlen(text));
}

void readline_start(Readline *rl)
{
    rl->len = rl->cursor = 0;
    rl->line[0] = '\0';
    rl->browse = rl->n_history;
    rl->esc = 0;
    put(rl, rl->prompt);
}

void readline_redraw(Readline *rl)
{
    put(rl, "\r");
    put(rl, rl->prompt);
    rl->write(rl->opaque, rl->line, rl->len);
    put(rl, "\033[K");
    if (rl->cursor < rl->len) {
        char back[32];
        snprintf(back, sizeof(back), "\033[%zuD", rl->len - rl->cursor);
        put(rl, back);
    }
}

static void insert(Readline *rl, const char *text, size_t n)
{
    if (rl->len + n >= sizeof(rl->line))
        n = sizeof(rl->line) - 1 - rl->len;
    if (n == 0)
        return;
    memmove(rl->line + rl->cursor + n, rl->line + rl->cursor, rl->len - rl->cursor);
    memcpy(rl->line + rl->cursor, text, n);
    rl->len += n;
    rl->cursor += n;
    rl->line[rl->len] = '\0';
    if (rl->cursor == rl->len)
        rl->write(rl->opaque, text, n);
    else
        readline_redraw(rl);
}

static void delete_range(Readline *rl, size_t from, size_t to)
{
    if (from >= to)
        return;
    memmove(rl->line + from, rl->line + to, rl->len - to);
    rl->len -= to - from;
    rl->line[rl->len] = '\0';
    rl->cursor = from;
    readline_redraw(rl);
}

static void move_to(Readline *rl, size_t pos)
{
    if (pos != rl->cursor) {
        rl->cursor = pos;
        readline_redraw(rl);
    }
}

static void set_line(Readline *rl, const char *text)
{
    snprintf(rl->line, sizeof(rl->line), "%s", text);
    rl->len = rl->cursor = strlen(rl->line);
    readline_redraw(rl);
}

static void history_move(Readline *rl, int step)
{
    if (step < 0 && rl->browse == 0)
        return;
    if (step > 0 && rl->browse >= rl->n_history)
        return;
    if (rl->browse == rl->n_history)
        memcpy(rl->saved, rl->line, rl->len + 1);
    rl->browse = (unsigned)((int)rl->browse + step);
    set_line(rl, rl->browse == rl->n_history ? rl->saved : rl->history[rl->browse]);
}

static void history_add(Readline *rl, const char *line)
{
    if (!*line || (rl->n_history && strcmp(rl->history[rl->n_history - 1], line) == 0))
        return;
    char *copy = strdup(line);
    if (!copy)
        return;
    if (rl->n_history == READLINE_HISTORY) {
        free(rl->history[0]);
        memmove(rl->history, rl->history + 1, sizeof(rl->history[0]) * (READLINE_HISTORY - 1));
        rl->n_history--;
    }
    rl->history[rl->n_history++] = copy;
}

static void complete(Readline *rl)
{
    if (!rl->complete)
        return;
    size_t start = rl->cursor;
    while (start > 0 && rl->line[start - 1] != ' ')
        start--;
    const char *word = rl->line + start;
    size_t word_len = rl->cursor - start;
    ReadlineCompletions all = {0};
    rl->complete(rl->opaque, rl->line, start, &all);
    const char *match[READLINE_MAX_COMPLETIONS];
    unsigned n = 0;
    for (unsigned i = 0; i < all.n; i++)
        if (strncmp(all.words[i], word, word_len) == 0)
            match[n++] = all.words[i];
    if (n == 0)
        return;
    size_t common = strlen(match[0]);
    for (unsigned i = 1; i < n; i++) {
        size_t k = 0;
        while (k < common && match[i][k] == match[0][k])
            k++;
        common = k;
    }
    if (common > word_len) {
        insert(rl, match[0] + word_len, common - word_len);
        if (n == 1)
            insert(rl, " ", 1);
        return;
    }
    if (n == 1) {
        insert(rl, " ", 1);
        return;
    }
    /* Nothing more in common: show the choices, as QEMU does. */
    put(rl, "\r\n");
    for (unsigned i = 0; i < n; i++) {
        char cell[64];
        snprintf(cell, sizeof(cell), "%-10s", match[i]);
        put(rl, cell);
        if (i % 6 == 5 || i + 1 == n)
            put(rl, "\r\n");
    }
    readline_redraw(rl);
}

static bool finish(Readline *rl, char *out, size_t outlen)
{
    put(rl, "\r\n");
    snprintf(out, outlen, "%s", rl->line);
    history_add(rl, rl->line);
    rl->len = rl->cursor = 0;
    rl->line[0] = '\0';
    rl->browse = rl->n_history;
    return true;
}

/* The end of "\e[...X" or "\eOX". */
static void escape_final(Readline *rl, uint8_t byte)
{
    switch (byte) {
    case 'A':
        history_move(rl, -1);
        break;
    case 'B':
        history_move(rl, 1);
        break;
    case 'C':
        move_to(rl, rl->cursor < rl->len ? rl->cursor + 1 : rl->len);
        break;
    case 'D':
        move_to(rl, rl->cursor ? rl->cursor - 1 : 0);
        break;
    case 'H':
        move_to(rl, 0);
        break;
    case 'F':
        move_to(rl, rl->len);
        break;
    case '~':
        if (rl->param == 1 || rl->param == 7)
            move_to(rl, 0);
        else if (rl->param == 4 || rl->param == 8)
            move_to(rl, rl->len);
        else if (rl->param == 3 && rl->cursor < rl->len)
            delete_range(rl, rl->cursor, rl->cursor + 1);
        break;
    default:
        break;
    }
}

bool readline_feed(Readline *rl, uint8_t byte, char *out, size_t outlen)
{
    bool after_cr = rl->after_cr;
    rl->after_cr = false;
    if (rl->esc == 1) {
        rl->esc = byte == '[' ? 2 : byte == 'O' ? 3 : 0;
        rl->param = 0;
        return false;
    }
    if (rl->esc == 2 && byte >= '0' && byte <= '9') {
        rl->param = rl->param * 10 + (unsigned)(byte - '0');
        if (rl->param > 1000)
            rl->esc = 0;
        return false;
    }
    if (rl->esc >= 2) {
        rl->esc = 0;
        escape_final(rl, byte);
        return false;
    }
    switch (byte) {
    case '\r':
        rl->after_cr = true;
        return finish(rl, out, outlen);
    case '\n':
        if (after_cr)
            return false;
        return finish(rl, out, outlen);
    case 0x1b:
        rl->esc = 1;
        return false;
    case 0x7f:
    case CTRL('H'):
        if (rl->cursor > 0)
            delete_range(rl, rl->cursor - 1, rl->cursor);
        return false;
    case CTRL('D'):
        if (rl->cursor < rl->len)
            delete_range(rl, rl->cursor, rl->cursor + 1);
        return false;
    case CTRL('A'):
        move_to(rl, 0);
        return false;
    case CTRL('E'):
        move_to(rl, rl->len);
        return false;
    case CTRL('B'):
        move_to(rl, rl->cursor ? rl->cursor - 1 : 0);
        return false;
    case CTRL('F'):
        move_to(rl, rl->cursor < rl->len ? rl->cursor + 1 : rl->len);
        return false;
    case CTRL('K'):
        rl->len = rl->cursor;
        rl->line[rl->len] = '\0';
        readline_redraw(rl);
        return false;
    case CTRL('U'):
        delete_range(rl, 0, rl->cursor);
        return false;
    case CTRL('W'): {
        size_t start = rl->cursor;
        while (start > 0 && rl->line[start - 1] == ' ')
            start--;
        while (start > 0 && rl->line[start - 1] != ' ')
            start--;
        delete_range(rl, start, rl->cursor);
        return false;
    }
    case CTRL('P'):
        history_move(rl, -1);
        return false;
    case CTRL('N'):
        history_move(rl, 1);
        return false;
    case '\t':
        complete(rl);
        return false;
    default:
        if (byte >= 0x20) {
            char c = (char)byte;
            insert(rl, &c, 1);
        }
        return false;
    }
}
