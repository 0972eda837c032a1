/* rv64a_amo.S: every AMO in .w and .d form (swap, add, xor, and, or, min,
 * max, minu, maxu): old value in rd (.w sign-extended), new value in memory. */
#include "common.h"

/* 64-bit: memory = init; rd = op(src); check rd == init, memory == new */
#define TEST_AMO_D(op, init, src, new)          \
        la a0, mem;                             \
        li a1, init;                            \
        sd a1, 0(a0);                           \
        li a2, src;                             \
        op a3, a2, (a0);                        \
        CHECK(init, a3, #op " " #init ", " #src " old"); \
        ld a4, 0(a0);                           \
        CHECK(new, a4, #op " " #init ", " #src " new")

/* 32-bit at mem+off: the other word of the doubleword is a guard that
 * must not change; rd is the sign-extended old word (unpriv 8.4) */
#define TEST_AMO_W(op, off, init, src, oldx, new) \
        la a0, mem;                             \
        li a1, 0x5a5a5a5a5a5a5a5a;              \
        sd a1, 0(a0);                           \
        li a1, init;                            \
        sw a1, off(a0);                         \
        addi a0, a0, off;                       \
        li a2, src;                             \
        op a3, a2, (a0);                        \
        CHECK(oldx, a3, #op " " #init ", " #src " old"); \
        lwu a4, 0(a0);                          \
        CHECK(new, a4, #op " " #init ", " #src " new"); \
        lwu a4, (4 - 2 * off)(a0);              \
        CHECK(0x5a5a5a5a, a4, #op " guard word")

TEST_BEGIN
        TEST_AMO_D(amoswap.d, 0x1122334455667788, 0xaabbccddeeff0011, 0xaabbccddeeff0011)
        TEST_AMO_D(amoadd.d, 0x7fffffffffffffff, 1, 0x8000000000000000)
        TEST_AMO_D(amoadd.d, -1, 2, 1)
        TEST_AMO_D(amoxor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
        TEST_AMO_D(amoand.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
        TEST_AMO_D(amoor.d, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
        TEST_AMO_D(amomin.d, -5, 3, -5)
        TEST_AMO_D(amomin.d, 3, -5, -5)
        TEST_AMO_D(amomin.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)
        TEST_AMO_D(amomax.d, -5, 3, 3)
        TEST_AMO_D(amomax.d, 3, -5, 3)
        TEST_AMO_D(amomax.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_AMO_D(amominu.d, -5, 3, 3)
        TEST_AMO_D(amominu.d, 3, -5, 3)
        TEST_AMO_D(amominu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x7fffffffffffffff)
        TEST_AMO_D(amomaxu.d, -5, 3, -5)
        TEST_AMO_D(amomaxu.d, 3, -5, -5)
        TEST_AMO_D(amomaxu.d, 0x8000000000000000, 0x7fffffffffffffff, 0x8000000000000000)

        TEST_AMO_W(amoswap.w, 0, 0x80000001, 0x12345678, 0xffffffff80000001, 0x12345678)
        TEST_AMO_W(amoswap.w, 4, 0x7ffffffe, 0xffffffff, 0x7ffffffe, 0xffffffff)
        TEST_AMO_W(amoadd.w, 0, 0x7fffffff, 1, 0x7fffffff, 0x80000000)
        TEST_AMO_W(amoadd.w, 4, 0xffffffff, 1, -1, 0)       /* no carry out */
        TEST_AMO_W(amoxor.w, 0, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0xf0f0f0f0)
        TEST_AMO_W(amoand.w, 4, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0x0f000f00)
        TEST_AMO_W(amoor.w, 0, 0xff00ff00, 0x0ff00ff0, 0xffffffffff00ff00, 0xfff0fff0)
        /* min/max compare the 32-bit values; src upper bits ignored */
        TEST_AMO_W(amomin.w, 0, 0xfffffffb, 3, -5, 0xfffffffb)
        TEST_AMO_W(amomin.w, 4, 3, 0xfffffffb, 3, 0xfffffffb)
        TEST_AMO_W(amomin.w, 0, 3, 0x00000001fffffffb, 3, 0xfffffffb)
        TEST_AMO_W(amomax.w, 4, 0xfffffffb, 3, -5, 3)
        TEST_AMO_W(amomax.w, 0, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
        TEST_AMO_W(amominu.w, 0, 0xfffffffb, 3, -5, 3)
        TEST_AMO_W(amominu.w, 4, 0x80000000, 0x7fffffff, 0xffffffff80000000, 0x7fffffff)
        TEST_AMO_W(amominu.w, 0, 5, 0xffffffff00000003, 5, 3)
        TEST_AMO_W(amomaxu.w, 4, 0xfffffffb, 3, -5, 0xfffffffb)
        TEST_AMO_W(amomaxu.w, 0, 3, 0x80000000, 3, 0x80000000)
        TEST_AMO_W(amomaxu.w, 4, 3, 0xffffffff00000002, 3, 3)

        /* aq/rl variants behave the same; rd = x0 discards the old value */
        TEST_AMO_D(amoadd.d.aqrl, 10, 5, 15)
        TEST_AMO_D(amoswap.d.aq, 1, 2, 2)
        TEST_AMO_W(amoor.w.rl, 0, 1, 2, 1, 3)
        la a0, mem
        li a1, 40
        sd a1, 0(a0)
        li a2, 2
        amoadd.d x0, a2, (a0)
        ld a3, 0(a0)
        CHECK(42, a3, "amoadd.d x0")
        /* rd == rs2: old value returned, rs2 value used */
        li a1, 7
        sd a1, 0(a0)
        li a2, 8
        amoadd.d a2, a2, (a0)
        CHECK(7, a2, "amoadd.d rd==rs2 old")
        ld a3, 0(a0)
        CHECK(15, a3, "amoadd.d rd==rs2 new")
        TEST_PASS

        .data
        .align 3
mem:    .dword 0
