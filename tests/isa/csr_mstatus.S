/* csr_mstatus.S: mstatus/sstatus fields: writable bits round-trip, MPP is
 * WARL (2 is never held), SXL/UXL = 2, xBE = 0, sstatus is a restricted view. */
#include "common.h"

/* set then clear one bit, checking that it reads back */
#define RW_BIT(bit, name)                       \
        li t1, bit;                             \
        csrs mstatus, t1;                       \
        csrr t2, mstatus;                       \
        and t2, t2, t1;                         \
        CHECKR(t1, t2, name " set");            \
        csrc mstatus, t1;                       \
        csrr t2, mstatus;                       \
        and t2, t2, t1;                         \
        CHECK(0, t2, name " clear")

/* t1 = MPP after writing v to it */
#define WRITE_MPP(v)                            \
        li t1, MSTATUS_MPP;                     \
        csrc mstatus, t1;                       \
        li t1, (v) << 11;                       \
        csrs mstatus, t1;                       \
        csrr t1, mstatus;                       \
        srli t1, t1, 11;                        \
        andi t1, t1, 3

TEST_BEGIN
        /* SXL and UXL are 2 (64-bit) on an RV64 core (priv 3.1.6.2) */
        csrr t1, mstatus
        srli t1, t1, 32
        andi t1, t1, 0xf
        CHECK(0xa, t1, "SXL = UXL = 2")

        RW_BIT(MSTATUS_SIE, "SIE")
        RW_BIT(MSTATUS_MIE, "MIE")
        RW_BIT(MSTATUS_SPIE, "SPIE")
        RW_BIT(MSTATUS_MPIE, "MPIE")
        RW_BIT(MSTATUS_SPP, "SPP")
        RW_BIT(MSTATUS_SUM, "SUM")
        RW_BIT(MSTATUS_MXR, "MXR")
        RW_BIT(MSTATUS_TVM, "TVM")
        RW_BIT(MSTATUS_TW, "TW")
        RW_BIT(MSTATUS_TSR, "TSR")
        li t1, MSTATUS_MPP              /* MPP = M: MPRV is then harmless */
        csrs mstatus, t1
        RW_BIT(MSTATUS_MPRV, "MPRV")

        /* MPP holds M, S and U */
        WRITE_MPP(PRV_M)
        CHECK(PRV_M, t1, "MPP = M")
        WRITE_MPP(PRV_S)
        CHECK(PRV_S, t1, "MPP = S")
        WRITE_MPP(PRV_U)
        CHECK(PRV_U, t1, "MPP = U")
        /* MPP = 2 (reserved) reads back a supported mode: WARL (priv
         * 3.1.6.1). QEMU 7.2 stores the 2, so ember only. */
        IF_NOT_EMBER_GOTO(1f)
        WRITE_MPP(2)
        li t2, 2
        bne t1, t2, 1f
        CHECK(-1, t1, "MPP = 2 must not be held")
1:
        /* little-endian only: UBE (6), SBE (36), MBE (37) read 0 */
        li t1, MSTATUS_UBE
        csrs mstatus, t1
        li t1, 3
        slli t1, t1, 36
        csrs mstatus, t1
        csrr t2, mstatus
        li t1, (3 << 36) | MSTATUS_UBE
        and t2, t2, t1
        CHECK(0, t2, "UBE/SBE/MBE read 0")

        /* sstatus: the S view. Writing M-only fields through it does
         * nothing, reading them gives 0 (priv 4.1.1) */
        li t1, MSTATUS_MIE | MSTATUS_MPIE | MSTATUS_MPP | MSTATUS_MPRV | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
        csrc mstatus, t1
        csrs sstatus, t1
        csrr t2, mstatus
        and t2, t2, t1
        CHECK(0, t2, "sstatus write cannot set M fields")
        li t1, MSTATUS_MIE | MSTATUS_MPP
        csrs mstatus, t1
        csrr t2, sstatus
        and t2, t2, t1
        CHECK(0, t2, "sstatus hides MIE/MPP")
        li t1, MSTATUS_MIE | MSTATUS_MPP
        csrc mstatus, t1
        /* shared bits go both ways */
        li t1, MSTATUS_SIE | MSTATUS_SPIE | MSTATUS_SPP | MSTATUS_SUM | MSTATUS_MXR
        csrs sstatus, t1
        csrr t2, mstatus
        and t2, t2, t1
        CHECKR(t1, t2, "sstatus writes S fields of mstatus")
        csrc mstatus, t1
        csrr t2, sstatus
        and t2, t2, t1
        CHECK(0, t2, "sstatus reads S fields of mstatus")
        /* sstatus.UXL = 2 */
        csrr t1, sstatus
        srli t1, t1, 32
        andi t1, t1, 3
        CHECK(2, t1, "sstatus.UXL")
        /* S-mode can read and write sstatus */
        ENTER_S
        li t1, MSTATUS_SUM
        csrs sstatus, t1
        csrr t2, sstatus
        and t2, t2, t1
        CHECKR(t1, t2, "sstatus.SUM from S")
        csrc sstatus, t1
        ENTER_M
        TEST_PASS
