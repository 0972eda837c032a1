/* isa/riscv_ext.h: the RISC-V extensions ember implements beyond RV64GC,
 * each selectable with QEMU's -cpu property, and the riscv,isa text the
 * device tree offers for a selection. */
#ifndef EMBER_ISA_RISCV_EXT_H
#define EMBER_ISA_RISCV_EXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* In the canonical order of riscv,isa (ISA manual, "ISA Extension Naming
 * Conventions"): Z extensions by their category letter in IMAFDQLC... order,
 * then by name; S extensions by name. EXT_I stands for the base RV64GC
 * with Zicsr and Zifencei, which no selection removes. */
#define RISCV_EXT_LIST(X)                                                                          \
    X(I, "", NULL, NULL, true)                                                                     \
    X(ZICBOM, "zicbom", "zicbom", NULL, false)                                                     \
    X(ZICBOP, "zicbop", "zicbop", NULL, false)                                                     \
    X(ZICBOZ, "zicboz", "zicboz", NULL, false)                                                     \
    X(ZICOND, "zicond", "zicond", NULL, false)                                                     \
    X(ZIHINTNTL, "zihintntl", "zihintntl", NULL, false)                                            \
    X(ZIHINTPAUSE, "zihintpause", "zihintpause", "Zihintpause", true)                              \
    X(ZFH, "zfh", "zfh", "Zfh", false)                                                             \
    X(ZFHMIN, "zfhmin", "zfhmin", "Zfhmin", false)                                                 \
    X(ZBA, "zba", "zba", NULL, true)                                                               \
    X(ZBB, "zbb", "zbb", NULL, true)                                                               \
    X(ZBC, "zbc", "zbc", NULL, true)                                                               \
    X(ZBS, "zbs", "zbs", NULL, true)                                                               \
    X(SDTRIG, "", "debug", NULL, true)                                                             \
    X(SSCOFPMF, "sscofpmf", "sscofpmf", NULL, false)                                               \
    X(SSTC, "sstc", "sstc", NULL, true)                                                            \
    X(SVINVAL, "svinval", "svinval", NULL, false)                                                  \
    X(SVNAPOT, "svnapot", "svnapot", NULL, false)                                                  \
    X(SVPBMT, "svpbmt", "svpbmt", NULL, false)                                                     \
    X(SV57, "", "sv57", NULL, true)

/* Columns: the enum's suffix; the name in riscv,isa ("" when it is not
 * listed there); the -cpu property; QEMU 7.2's other spelling of it; on by
 * default (QEMU 7.2's rv64 default, off where 7.2 lacks the extension). */
enum riscv_ext {
#define RISCV_EXT_ENUM(id, isa, prop, alias, on) RISCV_EXT_##id,
    RISCV_EXT_LIST(RISCV_EXT_ENUM)
#undef RISCV_EXT_ENUM
        RISCV_EXT_COUNT
};

typedef uint32_t RiscvExtSet;

/* Not an extension: a set with this bit is an RV32 hart's, without it an
 * RV64 one's. The width is in the set because everything that depends on
 * the extensions (the decoder's rows, the blocks harts share, riscv,isa)
 * depends on it too. */
#define RISCV_XLEN32 ((RiscvExtSet)1 << 31)

/* A compressed row's "extension" when it is one width's only: RV32 is the
 * bit above, RV64 its absence (riscv_insns.c). */
enum { RISCV_EXT_RV64 = 30, RISCV_EXT_RV32 = 31 };

static inline unsigned riscv_ext_xlen(RiscvExtSet set)
{
    return (set & RISCV_XLEN32) ? 32 : 64;
}

#define RISCV_EXT_BIT(id) ((RiscvExtSet)1 << RISCV_EXT_##id)

/* The extensions -cpu rv64 starts from. */
RiscvExtSet riscv_ext_defaults(void);

/* -cpu's parts (the machine parses the option as QEMU's key=value list):
 * a model's extensions (rv64, rv32, max: every extension), false for an
 * unknown model; the extension a property (or QEMU 7.2's spelling of it)
 * names, -1 for none; and a selection completed with what its extensions
 * imply (Zfh includes Zfhmin; RV32 has no Sv57). */
bool riscv_ext_model(const char *name, RiscvExtSet *set);
int riscv_ext_find_property(const char *name);
RiscvExtSet riscv_ext_complete(RiscvExtSet set);

/* riscv,isa for a selection: "rv64imafdc_zicsr_zifencei_..." Returns the
 * length written (truncated safely). */
size_t riscv_ext_isa_string(RiscvExtSet set, char *out, size_t outlen);

/* Each extension's riscv,isa name in order, for riscv,isa-extensions: calls
 * fn with every single-letter and Z/S name the selection includes. */
void riscv_ext_for_each_name(RiscvExtSet set, void (*fn)(const char *name, void *opaque),
                             void *opaque);

/* -cpu help: every property with its default. */
void riscv_ext_print_help(FILE *out);

#endif
