/* isa/riscv_ext.c: extension selection (-cpu) and the riscv,isa text. */
#include "isa/riscv_ext.h"

#include <stdio.h>
#include <string.h>

struct ext_info {
    const char *isa;   /* riscv,isa name, "" if not listed */
    const char *prop;  /* -cpu property */
    const char *alias; /* QEMU 7.2's spelling, if it differs */
    bool on;
};

static const struct ext_info exts[RISCV_EXT_COUNT] = {
#define RISCV_EXT_INFO(id, isa, prop, alias, on) {isa, prop, alias, on},
    RISCV_EXT_LIST(RISCV_EXT_INFO)
#undef RISCV_EXT_INFO
};

/* The base every selection keeps: RV64GC with Zicsr and Zifencei. */
static const char *const base_letters[] = {"i", "m", "a", "f", "d", "c"};
static const char *const base_z[] = {"zicsr", "zifencei"};

RiscvExtSet riscv_ext_defaults(void)
{
    RiscvExtSet set = 0;
    for (unsigned i = 0; i < RISCV_EXT_COUNT; i++)
        if (exts[i].on)
            set |= (RiscvExtSet)1 << i;
    return set;
}

void riscv_ext_print_help(FILE *out)
{
    fprintf(out, "CPU models: rv64 (the defaults below, as QEMU 7.2's rv64), rv32 (the same\n"
                 "extensions on RV32GC, Sv32 for Sv39-Sv57), max (all, RV64)\n"
                 "Properties (-cpu rv64,PROP=on|off), always RV64GC (RV32GC) with Zicsr and "
                 "Zifencei:\n");
    for (unsigned i = 1; i < RISCV_EXT_COUNT; i++) {
        fprintf(out, "  %-12s %s", exts[i].prop, exts[i].on ? "on" : "off");
        if (exts[i].alias)
            fprintf(out, " (also spelt %s)", exts[i].alias);
        fputc('\n', out);
    }
}

int riscv_ext_find_property(const char *name)
{
    for (unsigned i = 1; i < RISCV_EXT_COUNT; i++)
        if (!strcmp(exts[i].prop, name) || (exts[i].alias && !strcmp(exts[i].alias, name)))
            return (int)i;
    return -1;
}

bool riscv_ext_model(const char *name, RiscvExtSet *set)
{
    if (!strcmp(name, "max"))
        *set = ((RiscvExtSet)1 << RISCV_EXT_COUNT) - 1;
    else if (!strcmp(name, "rv64"))
        *set = riscv_ext_defaults();
    else if (!strcmp(name, "rv32"))
        *set = riscv_ext_defaults() | RISCV_XLEN32;
    else
        return false;
    return true;
}

RiscvExtSet riscv_ext_complete(RiscvExtSet set)
{
    /* Zfh includes Zfhmin (which needs F, which the base has). */
    if (set & RISCV_EXT_BIT(ZFH))
        set |= RISCV_EXT_BIT(ZFHMIN);
    /* Sv57 is an RV64 translation mode: RV32 has Sv32 only. */
    if (set & RISCV_XLEN32)
        set &= ~RISCV_EXT_BIT(SV57);
    return set | RISCV_EXT_BIT(I);
}

void riscv_ext_for_each_name(RiscvExtSet set, void (*fn)(const char *name, void *opaque),
                             void *opaque)
{
    for (size_t i = 0; i < sizeof base_letters / sizeof base_letters[0]; i++)
        fn(base_letters[i], opaque);
    /* Zicsr and Zifencei sort after Zicbo* and Zicond, before Zihint*. */
    for (unsigned i = 1; i < RISCV_EXT_COUNT; i++) {
        if (i == RISCV_EXT_ZIHINTNTL)
            for (size_t z = 0; z < sizeof base_z / sizeof base_z[0]; z++)
                fn(base_z[z], opaque);
        /* Zfh includes Zfhmin; QEMU 7.2 then names only zfh. */
        bool implied = i == RISCV_EXT_ZFHMIN && (set & RISCV_EXT_BIT(ZFH));
        if (exts[i].isa[0] && ((set >> i) & 1) && !implied)
            fn(exts[i].isa, opaque);
    }
}

struct isa_text {
    char *out;
    size_t cap, len;
};

static void append_name(const char *name, void *opaque)
{
    struct isa_text *t = opaque;
    /* Single letters follow "rv64" directly; longer names take a '_'. */
    int n = snprintf(t->out + t->len, t->cap - t->len, "%s%s", name[1] ? "_" : "", name);
    if (n > 0)
        t->len += (size_t)n < t->cap - t->len ? (size_t)n : t->cap - t->len - 1;
}

size_t riscv_ext_isa_string(RiscvExtSet set, char *out, size_t outlen)
{
    struct isa_text t = {out, outlen, 0};
    if (outlen == 0)
        return 0;
    int n = snprintf(out, outlen, "rv%u", riscv_ext_xlen(set));
    t.len = (size_t)n < outlen ? (size_t)n : outlen - 1;
    riscv_ext_for_each_name(set, append_name, &t);
    return t.len;
}
