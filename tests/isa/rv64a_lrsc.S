/* rv64a_lrsc.S: lr.w/lr.d and sc.w/sc.d: a pair succeeds (rd = 0), an sc
 * without a reservation or after another sc fails (rd != 0, no write). */
#include "common.h"

TEST_BEGIN
        /* sc.d with no preceding lr (no reservation) must fail (unpriv 8.2) */
        la a0, mem
        li a1, 0x1111
        sd a1, 0(a0)
        li a2, 0x2222
        sc.d a3, a2, (a0)
        CHECK_NZ(a3, "sc.d without lr: rd")
        ld a4, 0(a0)
        CHECK(0x1111, a4, "sc.d without lr: memory unchanged")

        /* lr.d / sc.d pair */
        lr.d a3, (a0)
        CHECK(0x1111, a3, "lr.d value")
        li a2, 0x3333
        sc.d a4, a2, (a0)
        CHECK(0, a4, "sc.d after lr.d succeeds")
        ld a5, 0(a0)
        CHECK(0x3333, a5, "sc.d stored")

        /* a second sc after a successful one: no LR in between, must fail
         * (unpriv 8.2: no other SC between the LR and itself) */
        li a2, 0x4444
        sc.d a4, a2, (a0)
        CHECK_NZ(a4, "second sc.d: rd")
        ld a5, 0(a0)
        CHECK(0x3333, a5, "second sc.d: memory unchanged")

        /* lr.w sign-extends, sc.w writes 32 bits */
        la a0, mem + 8
        li a1, -1
        sd a1, 0(a0)
        li a1, 0x80000001
        sw a1, 0(a0)
        lr.w a3, (a0)
        CHECK(0xffffffff80000001, a3, "lr.w sign-extends")
        li a2, 0x123456789
        sc.w a4, a2, (a0)
        CHECK(0, a4, "sc.w after lr.w succeeds")
        ld a5, 0(a0)
        CHECK(0xffffffff23456789, a5, "sc.w wrote the low word only")
        sc.w a4, a2, (a0)
        CHECK_NZ(a4, "second sc.w: rd")

        /* sc.w with no reservation after a failed sc */
        li a2, 7
        sc.w a4, a2, (a0)
        CHECK_NZ(a4, "sc.w after failed sc: rd")
        lw a5, 0(a0)
        CHECK(0x23456789, a5, "failed sc.w: memory unchanged")

        /* aq/rl forms; an lr/sc retry loop implementing fetch-and-add */
        la a0, mem
        sd zero, 0(a0)
        li t1, 10
1:      lr.d.aq a3, (a0)
        addi a3, a3, 3
        sc.d.rl a4, a3, (a0)
        bnez a4, 1b
        addi t1, t1, -1
        bnez t1, 1b
        ld a5, 0(a0)
        CHECK(30, a5, "lr/sc loop")

        /* lr.w at the upper word of a doubleword */
        la a0, mem + 12
        lr.w a3, (a0)
        CHECK(-1, a3, "lr.w upper word")
        li a2, 5
        sc.w a4, a2, (a0)
        CHECK(0, a4, "sc.w upper word")
        ld a5, -4(a0)
        CHECK(0x0000000523456789, a5, "sc.w upper word stored")
        TEST_PASS

        .data
        .align 3
mem:    .dword 0, 0
