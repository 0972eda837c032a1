/* rv32a.S: RV32A: lr.w/sc.w and the .w AMOs on 32-bit registers; the
 * signed ones order at bit 31, the unsigned ones as 32-bit values. */
#include "common.h"

/* amo with a0 = memory's old value, a1 = the operand: checks the old value
 * returned and the new one in memory */
#define TEST_AMO(op, old, src, new)             \
        la t1, word;                            \
        li a0, old;                             \
        sw a0, 0(t1);                           \
        li a1, src;                             \
        op a2, a1, (t1);                        \
        CHECK(old, a2, #op " old");             \
        lw a3, 0(t1);                           \
        CHECK(new, a3, #op " new")

TEST_BEGIN
        TEST_AMO(amoswap.w, 0x80000000, 0x1234, 0x1234)
        TEST_AMO(amoadd.w, 0xffffffff, 2, 1)
        TEST_AMO(amoadd.w, 0x7fffffff, 1, 0x80000000)
        TEST_AMO(amoxor.w, 0xff00ff00, 0xffffffff, 0x00ff00ff)
        TEST_AMO(amoand.w, 0xf0f0f0f0, 0x8000ffff, 0x8000f0f0)
        TEST_AMO(amoor.w, 0x80000000, 1, 0x80000001)
        TEST_AMO(amomin.w, 0x80000000, 1, 0x80000000)
        TEST_AMO(amomin.w, 5, 0xffffffff, 0xffffffff)
        TEST_AMO(amomax.w, 0x80000000, 1, 1)
        TEST_AMO(amomax.w, 0x7fffffff, 0x80000000, 0x7fffffff)
        TEST_AMO(amominu.w, 0x80000000, 1, 1)
        TEST_AMO(amominu.w, 0xffffffff, 0xfffffffe, 0xfffffffe)
        TEST_AMO(amomaxu.w, 0x80000000, 1, 0x80000000)
        TEST_AMO(amomaxu.w, 0x7fffffff, 0x80000000, 0x80000000)

        /* lr/sc: success writes and returns 0, a second sc fails */
        la t1, word
        li a0, 0x80000001
        sw a0, 0(t1)
        lr.w a2, (t1)
        CHECK(0x80000001, a2, "lr.w")
        li a1, 0xcafe
        sc.w a3, a1, (t1)
        CHECK(0, a3, "sc.w success")
        lw a2, 0(t1)
        CHECK(0xcafe, a2, "sc.w stored")
        sc.w a3, a1, (t1)
        CHECK(1, a3, "sc.w without reservation")
        /* the address is rs1's 32 bits: word + 2^31 + 2^31 */
        li t3, 0x80000000
        add t2, t1, t3
        add t2, t2, t3
        li a1, 3
        amoadd.w a2, a1, (t2)
        CHECK(0xcafe, a2, "amoadd.w wrapped address")
        /* misaligned: a store/AMO fault at the 32-bit address */
        EXPECT_TRAP(1f)
        addi t2, t1, 2
2:      amoadd.w a2, a1, (t2)
        FAIL("misaligned amo")
1:      TRAP_FIELD(t0, TI_TVAL)
        CHECKR(t2, t0, "misaligned amo mtval")
        /* QEMU 7.2 reports a load's misaligned cause for an AMO */
        IF_NOT_EMBER_GOTO(3f)
        TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_MISALIGNED_STORE, t0, "misaligned amo cause")
3:
        TEST_PASS

        .data
        .align 3
word:   .word 0, 0
