/* rv32i_ldst.S: RV32I loads sign- or zero-extend to 32 bits, stores write
 * their width, effective addresses wrap at 32 bits, and a fault reports
 * the 32-bit address. */
#include "common.h"

TEST_BEGIN
        la t1, buf
        li a0, 0x89abcdef
        sw a0, 0(t1)
        lw a1, 0(t1)
        CHECK(0x89abcdef, a1, "sw/lw")
        lb a1, 0(t1)
        CHECK(0xffffffef, a1, "lb")
        lbu a1, 0(t1)
        CHECK(0xef, a1, "lbu")
        lh a1, 2(t1)
        CHECK(0xffff89ab, a1, "lh")
        lhu a1, 2(t1)
        CHECK(0x89ab, a1, "lhu")
        lb a1, 1(t1)
        CHECK(0xffffffcd, a1, "lb 1")
        li a0, 0x5a
        sb a0, 3(t1)
        lw a1, 0(t1)
        CHECK(0x5aabcdef, a1, "sb")
        li a0, 0x1234
        sh a0, 0(t1)
        lw a1, 0(t1)
        CHECK(0x5aab1234, a1, "sh")
        /* negative offsets */
        addi t2, t1, 8
        lw a1, -8(t2)
        CHECK(0x5aab1234, a1, "lw -8")
        sw a1, -4(t2)
        lw a1, 4(t1)
        CHECK(0x5aab1234, a1, "sw -4")

        /* the address wraps: buf + 2^31 + 2^31 is buf */
        li t3, 0x80000000
        add t2, t1, t3
        add t2, t2, t3
        lw a1, 0(t2)
        CHECK(0x5aab1234, a1, "lw wrapped base")
        li a0, 0x77
        sb a0, 0(t2)
        lbu a1, 0(t1)
        CHECK(0x77, a1, "sb wrapped base")

        /* 4 - 8 is 0xfffffffc: no memory there, mtval says so in 32 bits */
        EXPECT_TRAP(1f)
        li t2, 4
2:      lw a1, -8(t2)
        FAIL("load at 0xfffffffc")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, 2b, 0xfffffffc, "lw 0xfffffffc")
        EXPECT_TRAP(1f)
3:      sw a1, -12(t2)
        FAIL("store at 0xfffffff8")
1:      CHECK_TRAP(CAUSE_STORE_ACCESS, 3b, 0xfffffff8, "sw 0xfffffff8")
        TEST_PASS

        .data
        .align 3
buf:    .word 0, 0, 0, 0
