/* rv64i_ldst.S: loads and stores of every width (lb/lbu/lh/lhu/lw/lwu/ld,
 * sb/sh/sw/sd): sign/zero extension, offsets, partial-width writes. */
#include "common.h"

#define TEST_LD(op, off, exp)                   \
        la a0, src;                             \
        op a1, off(a0);                         \
        CHECK(exp, a1, #op " " #off)

TEST_BEGIN
        TEST_LD(lb, 0, 0x11)
        TEST_LD(lb, 7, 0xffffffffffffff88)
        TEST_LD(lb, 8, 0x02)
        TEST_LD(lb, 9, 0x01)
        TEST_LD(lb, 10, 0xfffffffffffffffe)
        TEST_LD(lb, 12, 0xffffffffffffff80)
        TEST_LD(lb, 13, 0x7f)
        TEST_LD(lbu, 7, 0x88)
        TEST_LD(lbu, 12, 0x80)
        TEST_LD(lbu, 13, 0x7f)
        TEST_LD(lbu, 14, 0xff)
        TEST_LD(lh, 0, 0x2211)
        TEST_LD(lh, 6, 0xffffffffffff8877)
        TEST_LD(lh, 10, 0xfffffffffffffffe)
        TEST_LD(lh, 12, 0x7f80)
        TEST_LD(lhu, 6, 0x8877)
        TEST_LD(lhu, 10, 0xfffe)
        TEST_LD(lw, 0, 0x44332211)
        TEST_LD(lw, 4, 0xffffffff88776655)
        TEST_LD(lw, 8, 0xfffffffffffe0102)
        TEST_LD(lw, 12, 0x00ff7f80)
        TEST_LD(lwu, 4, 0x88776655)
        TEST_LD(lwu, 8, 0xfffe0102)
        TEST_LD(ld, 0, 0x8877665544332211)
        TEST_LD(ld, 8, 0x00ff7f80fffe0102)

        /* negative offsets */
        la a0, src + 16
        ld a1, -16(a0)
        CHECK(0x8877665544332211, a1, "ld -16")
        lw a1, -4(a0)
        CHECK(0x00ff7f80, a1, "lw -4")
        lb a1, -9(a0)
        CHECK(0xffffffffffffff88, a1, "lb -9")

        /* destination == base */
        la a0, src
        ld a0, 8(a0)
        CHECK(0x00ff7f80fffe0102, a0, "ld a0, 8(a0)")

        /* load to x0: no effect, no trap */
        la a0, src
        ld x0, 0(a0)
        lb x0, 1(a0)
        mv a1, x0
        CHECK(0, a1, "load to x0")

        /* stores write exactly their width, the low bits of rs2 */
        la a0, dst
        li a1, -1
        sd a1, 0(a0)
        sd a1, 8(a0)
        li a1, 0x123456789abcdef0
        sb a1, 0(a0)
        ld a2, 0(a0)
        CHECK(0xfffffffffffffff0, a2, "sb")
        sh a1, 2(a0)
        ld a2, 0(a0)
        CHECK(0xffffffffdef0fff0, a2, "sh")
        sw a1, 4(a0)
        ld a2, 0(a0)
        CHECK(0x9abcdef0def0fff0, a2, "sw")
        sd a1, 8(a0)
        ld a2, 8(a0)
        CHECK(0x123456789abcdef0, a2, "sd")
        sb zero, 15(a0)
        ld a2, 8(a0)
        CHECK(0x003456789abcdef0, a2, "sb zero")
        sh a1, -2(a0)                       /* negative store offset */
        la a3, dst - 8
        ld a2, 0(a3)
        CHECK(0xdef0000000000000, a2, "sh -2")

        /* store then load of every width at the same address */
        la a0, dst + 16
        li a1, 0x8000000080008080
        sd a1, 0(a0)
        lb a2, 0(a0)
        CHECK(0xffffffffffffff80, a2, "sd/lb")
        lh a2, 0(a0)
        CHECK(0xffffffffffff8080, a2, "sd/lh")
        lw a2, 0(a0)
        CHECK(0xffffffff80008080, a2, "sd/lw")
        lwu a2, 4(a0)
        CHECK(0x80000000, a2, "sd/lwu hi")
        lw a2, 4(a0)
        CHECK(0xffffffff80000000, a2, "sd/lw hi")
        TEST_PASS

        .data
        .align 4
src:    .dword 0x8877665544332211
        .dword 0x00ff7f80fffe0102
        .dword 0
        .align 4
        .dword 0
dst:    .dword 0, 0, 0, 0
