/* trap_access.S: access faults for addresses with no memory or device:
 * fetch (1), load (5), store/AMO (7); mtval = the faulting address. */
#include "common.h"

/* Nothing is mapped below 0x1000 on QEMU's spike and virt boards nor on
 * ember's virt board; nothing above the end of the default 128 MiB RAM
 * either (0x88000000). */
#define HOLE     0x100
#define PAST_RAM 0x88000000

/* AMO faults: store/AMO cause on ember; QEMU 7.2 reports the load cause
 * for AMOs (its atomic helpers probe as a load), accepted only there. */
#define CHECK_AMO_TRAP(epclbl, tval, name)              \
        TRAP_FIELD(t0, TI_CAUSE);                       \
        IF_NOT_EMBER_GOTO(2f);                          \
        CHECK(CAUSE_STORE_ACCESS, t0, name " mcause");  \
        j 3f;                                           \
2:      li s10, CAUSE_LOAD_ACCESS;                      \
        beq t0, s10, 3f;                                \
        CHECK(CAUSE_STORE_ACCESS, t0, name " mcause (5 or 7 on QEMU)"); \
3:      TRAP_FIELD(t0, TI_EPC);                         \
        CHECK_ADDR(epclbl, t0, name " mepc");           \
        TRAP_FIELD(t0, TI_TVAL);                        \
        CHECK(tval, t0, name " mtval")

TEST_BEGIN
        /* instruction fetch: mepc = mtval = target (priv 3.1.15/16) */
        EXPECT_TRAP(1f)
        li t1, HOLE
        jalr ra, 0(t1)
        FAIL("fetch from hole did not trap")
1:      CHECK_TRAP(CAUSE_FETCH_ACCESS, HOLE, HOLE, "fetch hole")
        TRAP_FIELD(t0, TI_EPC)
        CHECK(HOLE, t0, "fetch hole mepc")

        /* fetch fault from S, past the end of RAM */
        ENTER_S
        EXPECT_TRAP(1f)
        li t1, PAST_RAM
        jr t1
1:      TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_FETCH_ACCESS, t0, "fetch past RAM mcause")
        TRAP_FIELD(t0, TI_EPC)
        CHECK(PAST_RAM, t0, "fetch past RAM mepc")
        TRAP_FIELD(t0, TI_TVAL)
        CHECK(PAST_RAM, t0, "fetch past RAM mtval")

        /* loads of each width */
        li t1, HOLE
        EXPECT_TRAP(1f)
l1:     ld a0, 8(t1)
        FAIL("ld hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, l1, HOLE + 8, "ld hole")
        EXPECT_TRAP(1f)
l2:     lbu a0, 3(t1)
        FAIL("lbu hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, l2, HOLE + 3, "lbu hole")
        EXPECT_TRAP(1f)
l3:     lw a0, -4(t1)
        FAIL("lw hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, l3, HOLE - 4, "lw hole")
        li t1, PAST_RAM
        EXPECT_TRAP(1f)
l4:     lh a0, 0(t1)
        FAIL("lh past RAM")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, l4, PAST_RAM, "lh past RAM")

        /* the destination register is not written by a faulting load */
        li a0, 0x1234
        li t1, HOLE
        EXPECT_TRAP(1f)
        ld a0, 0(t1)
1:      CHECK(0x1234, a0, "faulting load keeps rd")

        /* stores */
        EXPECT_TRAP(1f)
s1:     sd a0, 16(t1)
        FAIL("sd hole")
1:      CHECK_TRAP(CAUSE_STORE_ACCESS, s1, HOLE + 16, "sd hole")
        EXPECT_TRAP(1f)
s2:     sb a0, 1(t1)
        FAIL("sb hole")
1:      CHECK_TRAP(CAUSE_STORE_ACCESS, s2, HOLE + 1, "sb hole")
        li t1, PAST_RAM
        EXPECT_TRAP(1f)
s3:     sw a0, 4(t1)
        FAIL("sw past RAM")
1:      CHECK_TRAP(CAUSE_STORE_ACCESS, s3, PAST_RAM + 4, "sw past RAM")

        /* from U too */
        ENTER_U
        li t1, HOLE
        EXPECT_TRAP(1f)
u1:     lw a0, 0(t1)
        FAIL("lw hole from U")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, u1, HOLE, "lw hole from U")
        ENTER_U
        EXPECT_TRAP(1f)
u2:     sh a0, 2(t1)
        FAIL("sh hole from U")
1:      CHECK_TRAP(CAUSE_STORE_ACCESS, u2, HOLE + 2, "sh hole from U")

        /* AMOs are reported as store/AMO faults (priv 3.1.15); lr as load */
        li t1, HOLE
        EXPECT_TRAP(1f)
a1:     amoadd.d a0, a0, (t1)
        FAIL("amoadd.d hole")
1:      CHECK_AMO_TRAP(a1, HOLE, "amoadd.d hole")
        EXPECT_TRAP(1f)
a2:     amoswap.w a0, a0, (t1)
        FAIL("amoswap.w hole")
1:      CHECK_AMO_TRAP(a2, HOLE, "amoswap.w hole")
        EXPECT_TRAP(1f)
a3:     lr.d a0, (t1)
        FAIL("lr.d hole")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, a3, HOLE, "lr.d hole")
        TEST_PASS
