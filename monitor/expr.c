/* monitor/expr.c: the human monitor's integer expressions, as QEMU's:
 * numbers (0x hex, 0 octal, decimal), $pc and the first hart's registers
 * by number or ABI name, 'c' characters, unary + - ~, * / % & | ^ + -,
 * and parentheses. Arithmetic wraps at 64 bits; division by zero is an
 * error, not a crash. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "disasm/riscv_disasm.h"
#include "monitor/monitor_internal.h"

typedef struct Expr {
    MonitorSet *set;
    const char *p;
    char *err;
    size_t errlen;
    bool failed;
} Expr;

static unsigned long long fail(Expr *e, const char *fmt, const char *arg)
{
    if (!e->failed)
        snprintf(e->err, e->errlen, fmt, arg);
    e->failed = true;
    return 0;
}

static void skip(Expr *e)
{
    while (*e->p == ' ' || *e->p == '\t')
        e->p++;
}

static unsigned long long reg_value(Expr *e, const char *name)
{
    const RiscvCpu *cpu = e->set->t.n_harts ? e->set->t.harts[e->set->cpu] : NULL;
    if (!cpu)
        return fail(e, "unknown register", name);
    if (strcmp(name, "pc") == 0)
        return cpu->pc;
    if (strcmp(name, "fp") == 0)
        return cpu->x[8];
    for (unsigned i = 0; i < 32; i++) {
        char numbered[8];
        snprintf(numbered, sizeof(numbered), "x%u", i);
        if (strcmp(name, disasm_xreg_names[i]) == 0 || strcmp(name, numbered) == 0)
            return cpu->x[i];
    }
    return fail(e, "unknown register", name);
}

static unsigned long long expr_sum(Expr *e);

static unsigned long long unary(Expr *e)
{
    skip(e);
    char c = *e->p;
    if (c == '\0')
        return fail(e, "unexpected end of expression", NULL);
    if (c == '+' || c == '-' || c == '~') {
        e->p++;
        unsigned long long v = unary(e);
        return c == '-' ? (unsigned long long)0 - v : c == '~' ? ~v : v;
    }
    if (c == '(') {
        e->p++;
        unsigned long long v = expr_sum(e);
        skip(e);
        if (*e->p != ')')
            return fail(e, "')' expected", NULL);
        e->p++;
        return v;
    }
    if (c == '\'') {
        if (!e->p[1] || e->p[2] != '\'')
            return fail(e, "character constant expected", NULL);
        unsigned long long v = (unsigned char)e->p[1];
        e->p += 3;
        return v;
    }
    if (c == '$') {
        char name[16];
        size_t n = 0;
        e->p++;
        while ((isalnum((unsigned char)*e->p) || *e->p == '_') && n + 1 < sizeof(name))
            name[n++] = *e->p++;
        name[n] = '\0';
        if (n == 0)
            return fail(e, "missing register name", NULL);
        return reg_value(e, name);
    }
    if (isdigit((unsigned char)c)) {
        unsigned base = 10;
        if (c == '0' && (e->p[1] == 'x' || e->p[1] == 'X')) {
            base = 16;
            e->p += 2;
        } else if (c == '0') {
            base = 8;
        }
        unsigned long long v = 0;
        bool any = base == 8;
        for (;; e->p++) {
            int d = isdigit((unsigned char)*e->p)    ? *e->p - '0'
                    : isxdigit((unsigned char)*e->p) ? tolower((unsigned char)*e->p) - 'a' + 10
                                                     : 99;
            if (d >= (int)base)
                break;
            if (v > (~0ull - (unsigned)d) / base)
                return fail(e, "number too large", NULL);
            v = v * base + (unsigned)d;
            any = true;
        }
        if (!any)
            return fail(e, "invalid number", NULL);
        if (isalnum((unsigned char)*e->p)) {
            char bad[2] = {*e->p, 0};
            return fail(e, "invalid char '%s' in expression", bad);
        }
        return v;
    }
    char bad[2] = {c, 0};
    return fail(e, "invalid char '%s' in expression", bad);
}

static unsigned long long expr_prod(Expr *e)
{
    unsigned long long v = unary(e);
    for (;;) {
        skip(e);
        char op = *e->p;
        if (e->failed || !strchr("*/%", op) || !op)
            return v;
        e->p++;
        unsigned long long r = unary(e);
        if (op == '*') {
            v *= r;
        } else if (r == 0) {
            return fail(e, "division by zero", NULL);
        } else {
            v = op == '/' ? v / r : v % r;
        }
    }
}

static unsigned long long expr_logic(Expr *e)
{
    unsigned long long v = expr_prod(e);
    for (;;) {
        skip(e);
        char op = *e->p;
        if (e->failed || !strchr("&|^", op) || !op)
            return v;
        e->p++;
        unsigned long long r = expr_prod(e);
        v = op == '&' ? v & r : op == '|' ? v | r : v ^ r;
    }
}

static unsigned long long expr_sum(Expr *e)
{
    unsigned long long v = expr_logic(e);
    for (;;) {
        skip(e);
        char op = *e->p;
        if (e->failed || !strchr("+-", op) || !op)
            return v;
        e->p++;
        unsigned long long r = expr_logic(e);
        v = op == '+' ? v + r : v - r;
    }
}

bool hmp_eval(MonitorSet *set, const char *text, unsigned long long *value, char *err,
              size_t errlen)
{
    Expr e = {.set = set, .p = text, .err = err, .errlen = errlen};
    *value = expr_sum(&e);
    skip(&e);
    if (!e.failed && *e.p) {
        char bad[2] = {*e.p, 0};
        fail(&e, "invalid char '%s' in expression", bad);
    }
    return !e.failed;
}
