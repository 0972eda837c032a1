/* trap_misaligned.S: misaligned ordinary loads/stores are performed (as on
 * QEMU), misaligned lr traps with cause 4, sc/AMO with cause 6. */
#include "common.h"

/* misaligned AMO/SC: store/AMO address-misaligned (6) on ember. QEMU 7.2
 * reports 4 for AMOs (accepted only on QEMU). */
#define CHECK_AMO_MIS(epclbl, tvallbl, name)            \
        TRAP_FIELD(t0, TI_CAUSE);                       \
        IF_NOT_EMBER_GOTO(2f);                          \
        CHECK(CAUSE_MISALIGNED_STORE, t0, name " mcause"); \
        j 3f;                                           \
2:      li s10, CAUSE_MISALIGNED_LOAD;                  \
        beq t0, s10, 3f;                                \
        CHECK(CAUSE_MISALIGNED_STORE, t0, name " mcause (4 or 6 on QEMU)"); \
3:      TRAP_FIELD(t0, TI_EPC);                         \
        CHECK_ADDR(epclbl, t0, name " mepc");           \
        TRAP_FIELD(t0, TI_TVAL);                        \
        CHECK_ADDR(tvallbl, t0, name " mtval")

TEST_BEGIN
        /* misaligned loads return the right bytes (little-endian); the
         * spec lets an EEI perform them (unpriv 2.6) and QEMU and ember do */
        la a0, buf
        ld a1, 1(a0)
        CHECK(0x0807060504030201, a1, "ld +1")
        ld a1, 7(a0)
        CHECK(0x0e0d0c0b0a090807, a1, "ld +7")
        lw a1, 3(a0)
        CHECK(0x06050403, a1, "lw +3")
        lw a1, 13(a0)
        CHECK(0xffffffff90f00e0d, a1, "lw +13 sign-extends")
        lwu a1, 13(a0)
        CHECK(0x90f00e0d, a1, "lwu +13")
        lh a1, 15(a0)
        CHECK(0xffffffffffff90f0, a1, "lh +15 sign-extends")
        lhu a1, 15(a0)
        CHECK(0x90f0, a1, "lhu +15")
        lh a1, 1(a0)
        CHECK(0x0201, a1, "lh +1")

        /* misaligned stores write exactly their bytes */
        la a0, obuf
        li a1, 0x1122334455667788
        sd a1, 3(a0)
        ld a2, 0(a0)
        CHECK(0x4455667788000000, a2, "sd +3 low dword")
        ld a2, 8(a0)
        CHECK(0x0000000000112233, a2, "sd +3 high dword")
        sw a1, 9(a0)
        ld a2, 8(a0)
        CHECK(0x0000005566778833, a2, "sw +9")
        sh a1, 7(a0)
        ld a2, 0(a0)
        CHECK(0x8855667788000000, a2, "sh +7 low")
        ld a2, 8(a0)
        CHECK(0x0000005566778877, a2, "sh +7 high")

        /* misaligned accesses that straddle a 4 KiB page boundary */
        la a0, page2
        li a1, 0xa1a2a3a4a5a6a7a8
        sd a1, -4(a0)
        lwu a2, -4(a0)
        CHECK(0xa5a6a7a8, a2, "sd across pages: low page")
        lwu a2, 0(a0)
        CHECK(0xa1a2a3a4, a2, "sd across pages: high page")
        ld a2, -4(a0)
        CHECK(0xa1a2a3a4a5a6a7a8, a2, "ld across pages")
        lw a2, -2(a0)
        CHECK(0xffffffffa3a4a5a6, a2, "lw across pages")

        /* lr with a misaligned address: load address-misaligned (4),
         * mtval = the address (unpriv 8.2, priv 3.1.16) */
        la a0, obuf + 4
        EXPECT_TRAP(1f)
lr1:    lr.d a1, (a0)
        FAIL("misaligned lr.d")
1:      CHECK_TRAP_A(CAUSE_MISALIGNED_LOAD, lr1, obuf + 4, "lr.d +4")
        la a0, obuf + 2
        EXPECT_TRAP(1f)
lr2:    lr.w a1, (a0)
        FAIL("misaligned lr.w")
1:      CHECK_TRAP_A(CAUSE_MISALIGNED_LOAD, lr2, obuf + 2, "lr.w +2")

        /* AMOs */
        la a0, obuf
        li a1, 0x0102030405060708
        sd a1, 0(a0)
        sd a1, 8(a0)
        la a0, obuf + 4
        li a1, 0xff
        EXPECT_TRAP(1f)
am1:    amoadd.d a2, a1, (a0)
        FAIL("misaligned amoadd.d")
1:      CHECK_AMO_MIS(am1, obuf + 4, "amoadd.d +4")
        la a0, obuf + 2
        EXPECT_TRAP(1f)
am2:    amoswap.w a2, a1, (a0)
        FAIL("misaligned amoswap.w")
1:      CHECK_AMO_MIS(am2, obuf + 2, "amoswap.w +2")
        la a0, obuf + 9
        EXPECT_TRAP(1f)
am3:    amoor.w a2, a1, (a0)
        FAIL("misaligned amoor.w")
1:      CHECK_AMO_MIS(am3, obuf + 9, "amoor.w +9")
        la a0, obuf
        ld a2, 0(a0)
        CHECK(0x0102030405060708, a2, "memory unchanged by misaligned AMOs")
        ld a2, 8(a0)
        CHECK(0x0102030405060708, a2, "memory unchanged by misaligned AMOs 2")

        /* sc with a misaligned address must trap too (unpriv 8.2); QEMU
         * 7.2 compares the address with its reservation first and just
         * fails the sc, so this is checked on ember only */
        IF_NOT_EMBER_GOTO(2f)
        la a0, obuf + 4
        EXPECT_TRAP(1f)
sc1:    sc.d a2, a1, (a0)
        FAIL("misaligned sc.d")
1:      CHECK_TRAP_A(CAUSE_MISALIGNED_STORE, sc1, obuf + 4, "sc.d +4")
        la a0, obuf + 2
        EXPECT_TRAP(1f)
sc2:    sc.w a2, a1, (a0)
        FAIL("misaligned sc.w")
1:      CHECK_TRAP_A(CAUSE_MISALIGNED_STORE, sc2, obuf + 2, "sc.w +2")
2:
        TEST_PASS

        .data
        .align 4
buf:    .dword 0x0706050403020100
        .dword 0xf00e0d0c0b0a0908
        .dword 0x1716151413121190
obuf:   .dword 0, 0, 0
        .balign 4096
        .space 4096 - 16
        .dword 0, 0
page2:  .dword 0, 0
