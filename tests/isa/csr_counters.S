/* csr_counters.S: cycle/time/instret advance; time follows the CLINT mtime;
 * mcounteren/scounteren gate them in S and U (illegal instruction). */
#include "common.h"

/* read counter `csr` in the current mode, expecting an illegal-instruction
 * trap (mtval = the instruction bits `enc`); resumes in M */
#define DENIED(csr, enc, name)                  \
        EXPECT_TRAP(1f);                        \
2:      csrr a0, csr;                           \
        FAIL(name " allowed");                  \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, enc, name)

#define ENC_CYCLE   0xc0002573
#define ENC_TIME    0xc0102573
#define ENC_INSTRET 0xc0202573

TEST_BEGIN
        /* cycle and instret advance in M */
        rdcycle a0
        rdinstret a1
        li t1, 100
1:      addi t1, t1, -1
        bnez t1, 1b
        rdcycle a2
        rdinstret a3
        bltu a0, a2, 2f
        FAIL("cycle does not advance")
2:      sub t1, a3, a1
        li t2, 200
        bgeu t1, t2, 3f
        FAIL("instret advanced by less than 200")
3:      csrr a4, mcycle
        bgeu a4, a2, 4f
        FAIL("mcycle behind cycle")
4:
        /* time advances (bounded by iterations; also on a slow host the
         * 10 MHz clock ticks within a few million instructions) */
        rdtime a0
        li t1, 50000000
5:      rdtime a1
        bne a0, a1, 6f
        addi t1, t1, -1
        bnez t1, 5b
        FAIL("time does not advance")
6:      bltu a0, a1, 7f
        FAIL("time went backwards")
7:      /* time is the CLINT's mtime: mtime before <= time <= mtime after */
        li t3, CLINT_MTIME
        ld a0, 0(t3)
        rdtime a1
        ld a2, 0(t3)
        bgeu a1, a0, 8f
        FAIL("time behind mtime")
8:      bgeu a2, a1, 9f
        FAIL("time ahead of mtime")
9:
        /* mcounteren = 0: S and U may not read cycle, time, instret */
        csrw mcounteren, zero
        csrw scounteren, zero
        ENTER_S
        DENIED(cycle, ENC_CYCLE, "cycle in S, mcounteren=0")
        ENTER_S
        DENIED(time, ENC_TIME, "time in S, mcounteren=0")
        ENTER_S
        DENIED(instret, ENC_INSTRET, "instret in S, mcounteren=0")
        ENTER_U
        DENIED(cycle, ENC_CYCLE, "cycle in U, mcounteren=0")
        ENTER_U
        DENIED(time, ENC_TIME, "time in U, mcounteren=0")
        ENTER_U
        DENIED(instret, ENC_INSTRET, "instret in U, mcounteren=0")
        /* S-mode may not touch mcounteren */
        ENTER_S
        DENIED(mcounteren, 0x30602573, "mcounteren in S")

        /* mcounteren = CY|TM|IR, scounteren = 0: S may, U may not */
        li t1, 7
        csrw mcounteren, t1
        csrr t2, mcounteren
        andi t2, t2, 7
        CHECK(7, t2, "mcounteren low bits writable")
        ENTER_S
        rdcycle a0
        rdtime a0
        rdinstret a0
        li t1, 7
        csrw scounteren, t1              /* S owns scounteren */
        csrr t2, scounteren
        andi t2, t2, 7
        CHECK(7, t2, "scounteren from S")
        csrw scounteren, zero
        ENTER_M
        ENTER_U
        DENIED(cycle, ENC_CYCLE, "cycle in U, scounteren=0")
        ENTER_U
        DENIED(time, ENC_TIME, "time in U, scounteren=0")
        ENTER_U
        DENIED(instret, ENC_INSTRET, "instret in U, scounteren=0")

        /* scounteren = 7: U may read all three */
        li t1, 7
        csrw scounteren, t1
        ENTER_U
        rdcycle a0
        rdtime a0
        rdinstret a0
        ENTER_M

        /* bits are independent: only TM in mcounteren */
        li t1, 2
        csrw mcounteren, t1
        ENTER_S
        rdtime a0
        DENIED(cycle, ENC_CYCLE, "cycle in S, only TM")
        ENTER_S
        DENIED(instret, ENC_INSTRET, "instret in S, only TM")
        /* ...and in U both enables are needed: scounteren = 7 but
         * mcounteren.CY = 0 */
        ENTER_U
        rdtime a0
        DENIED(cycle, ENC_CYCLE, "cycle in U, mcounteren.CY=0")
        csrw mcounteren, zero
        csrw scounteren, zero
        TEST_PASS
