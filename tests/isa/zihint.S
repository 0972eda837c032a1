/* zihint.S: Zihintpause's PAUSE and Zihintntl's NTL hints (ntl.p1, ntl.pall,
 * ntl.s1, ntl.all and their compressed forms) execute as no-ops in M, S and
 * U: no trap, no register written, the accesses they mark behave as usual. */
#include "common.h"

/* binutils 2.40 does not know Zihintntl: the hints are ADD/C.ADD with
 * rd = x0 (unpriv "Zihintntl"), HINT encodings of the base ISA */
#define NTL_P1    .4byte 0x00200033     /* ntl.p1:   add x0, x0, x2 */
#define NTL_PALL  .4byte 0x00300033     /* ntl.pall: add x0, x0, x3 */
#define NTL_S1    .4byte 0x00400033     /* ntl.s1:   add x0, x0, x4 */
#define NTL_ALL   .4byte 0x00500033     /* ntl.all:  add x0, x0, x5 */
#define C_NTL_P1   .2byte 0x900a        /* c.ntl.p1:   c.add x0, x2 */
#define C_NTL_PALL .2byte 0x900e        /* c.ntl.pall: c.add x0, x3 */
#define C_NTL_S1   .2byte 0x9012        /* c.ntl.s1:   c.add x0, x4 */
#define C_NTL_ALL  .2byte 0x9016        /* c.ntl.all:  c.add x0, x5 */

/* every hint once, and a PAUSE a few times in a row */
#define ALL_HINTS                               \
        pause;                                  \
        NTL_P1;                                 \
        NTL_PALL;                               \
        NTL_S1;                                 \
        NTL_ALL;                                \
        C_NTL_P1;                               \
        C_NTL_PALL;                             \
        C_NTL_S1;                               \
        C_NTL_ALL;                              \
        pause;                                  \
        pause;                                  \
        pause

/* a distinct value in every register the hints could touch or name
 * (ra, gp, tp, t0-t6, a0-a7, s0-s9; sp is kept in s9 for the check) */
#define FILL_REGS                               \
        li ra, 0x0101;                          \
        li gp, 0x0303;                          \
        li tp, 0x0404;                          \
        li t0, 0x0505;                          \
        li t1, 0x0606;                          \
        li t2, 0x0707;                          \
        li s0, 0x0808;                          \
        li s1, 0x0909;                          \
        li a0, 0x0a0a;                          \
        li a1, 0x0b0b;                          \
        li a2, 0x0c0c;                          \
        li a3, 0x0d0d;                          \
        li a4, 0x0e0e;                          \
        li a5, 0x0f0f;                          \
        li a6, 0x1010;                          \
        li a7, 0x1111;                          \
        li s2, 0x1212;                          \
        li s3, 0x1313;                          \
        li s4, 0x1414;                          \
        li s5, 0x1515;                          \
        li s6, 0x1616;                          \
        li s7, 0x1717;                          \
        li s8, 0x1818;                          \
        mv s9, sp;                              \
        li t3, 0x1c1c;                          \
        li t4, 0x1d1d;                          \
        li t5, 0x1e1e;                          \
        li t6, 0x1f1f

#define CHECK_REGS(where)                       \
        CHECK(0, zero, where ": x0");           \
        CHECK(0x0101, ra, where ": ra");        \
        CHECKR(s9, sp, where ": sp");           \
        CHECK(0x0303, gp, where ": gp");        \
        CHECK(0x0404, tp, where ": tp");        \
        CHECK(0x0505, t0, where ": t0");        \
        CHECK(0x0606, t1, where ": t1");        \
        CHECK(0x0707, t2, where ": t2");        \
        CHECK(0x0808, s0, where ": s0");        \
        CHECK(0x0909, s1, where ": s1");        \
        CHECK(0x0a0a, a0, where ": a0");        \
        CHECK(0x0b0b, a1, where ": a1");        \
        CHECK(0x0c0c, a2, where ": a2");        \
        CHECK(0x0d0d, a3, where ": a3");        \
        CHECK(0x0e0e, a4, where ": a4");        \
        CHECK(0x0f0f, a5, where ": a5");        \
        CHECK(0x1010, a6, where ": a6");        \
        CHECK(0x1111, a7, where ": a7");        \
        CHECK(0x1212, s2, where ": s2");        \
        CHECK(0x1313, s3, where ": s3");        \
        CHECK(0x1414, s4, where ": s4");        \
        CHECK(0x1515, s5, where ": s5");        \
        CHECK(0x1616, s6, where ": s6");        \
        CHECK(0x1717, s7, where ": s7");        \
        CHECK(0x1818, s8, where ": s8");        \
        CHECK(0x1c1c, t3, where ": t3");        \
        CHECK(0x1d1d, t4, where ": t4");        \
        CHECK(0x1e1e, t5, where ": t5");        \
        CHECK(0x1f1f, t6, where ": t6")

TEST_BEGIN
        .option arch, +zihintpause
        /* M-mode */
        FILL_REGS
        ALL_HINTS
        CHECK_REGS("M")
        /* S-mode and U-mode: hints are not privileged (no trap) */
        ENTER_S
        FILL_REGS
        ALL_HINTS
        CHECK_REGS("S")
        ENTER_M
        ENTER_U
        FILL_REGS
        ALL_HINTS
        CHECK_REGS("U")
        ENTER_M

        /* an NTL hint marks the access after it: that access is done as
         * usual (loads, stores, an AMO, LR/SC) */
        la a0, scratch
        li a1, 0x1122334455667788
        NTL_ALL
        sd a1, 0(a0)
        NTL_P1
        ld a2, 0(a0)
        CHECK(0x1122334455667788, a2, "ld after ntl.p1")
        C_NTL_S1
        lw a2, 4(a0)
        CHECK(0x11223344, a2, "lw after c.ntl.s1")
        li a1, 1
        NTL_PALL
        amoadd.d a2, a1, (a0)
        CHECK(0x1122334455667788, a2, "amoadd.d after ntl.pall: old value")
        ld a2, 0(a0)
        CHECK(0x1122334455667789, a2, "amoadd.d after ntl.pall: new value")
        C_NTL_ALL
        lr.d a2, (a0)
        C_NTL_P1
        sc.d a3, a1, (a0)
        CHECK(0, a3, "sc.d after c.ntl.p1 succeeds")
        ld a2, 0(a0)
        CHECK(1, a2, "sc.d after c.ntl.p1 stored")
        C_NTL_PALL
        sb a1, 7(a0)
        ld a2, 0(a0)
        CHECK(0x0100000000000001, a2, "sb after c.ntl.pall")

        /* a spin loop with PAUSE runs to its end */
        li a0, 1000
1:      pause
        addi a0, a0, -1
        bnez a0, 1b
        CHECK(0, a0, "pause loop")
        TEST_PASS

        .data
        .balign 8
scratch:
        .dword 0
