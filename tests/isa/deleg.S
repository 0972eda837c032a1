/* deleg.S: medeleg routes exceptions from S/U to S-mode (stvec, sepc,
 * scause, stval, sstatus.SPP/SPIE/SIE); traps taken in M never delegate. */
#include "common.h"

TEST_BEGIN
        /* medeleg: delegable bits. Bit 11 (ecall from M) is hardwired to
         * zero (priv 3.1.8); QEMU 7.2 lets it be set, so ember only. */
        li t1, -1
        csrw medeleg, t1
        csrr t1, medeleg
        IF_NOT_EMBER_GOTO(1f)
        srli t2, t1, 11
        andi t2, t2, 1
        CHECK(0, t2, "medeleg[11] read-only zero")
1:
        li t2, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_ECALL_S) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS)
        and t1, t1, t2
        CHECKR(t2, t1, "medeleg bits 2,3,5,8,9 writable")
        csrw medeleg, zero

        li t1, (1 << CAUSE_ILLEGAL) | (1 << CAUSE_ECALL_U) | (1 << CAUSE_BREAKPOINT) | (1 << CAUSE_LOAD_ACCESS)
        csrw medeleg, t1

        /* illegal instruction in S goes to S: scause/sepc/stval, SPP = S,
         * SPIE = old SIE (1), SIE = 0 (priv 4.1.1) */
        csrw sepc, zero
        csrw scause, zero
        ENTER_S
        li t1, MSTATUS_SIE
        csrs sstatus, t1
        S_EXPECT_TRAP(1f)
i_s:    .word 0x0000006b
        FAIL("illegal in S not trapped")
1:      S_CHECK_TRAP(CAUSE_ILLEGAL, i_s, 0x0000006b, "illegal in S")
        S_TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        and t1, t1, t2
        CHECK(MSTATUS_SPP | MSTATUS_SPIE, t1, "illegal in S: SPP/SPIE/SIE")
        /* still in S (the S handler resumed with sret to S) */
        csrr t1, sstatus
        ENTER_M
        TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "delegated trap did not reach M")
        /* mcause/mepc untouched by the delegated trap: mepc is the
         * ENTER_M ecall's pc, mcause is 9 */
        csrr t1, mcause
        CHECK(CAUSE_ECALL_S, t1, "mcause from the back-to-M ecall")

        /* ecall from U delegated: scause 8, SPP = U, SPIE = SIE (0 in U
         * after the previous sret cleared it? SIE is whatever S left:
         * set it to 0 here) */
        li t1, MSTATUS_SIE
        csrc mstatus, t1
        ENTER_U
        S_EXPECT_TRAP(1f)
e_u:    ecall
        FAIL("ecall in U not trapped")
1:      S_CHECK_TRAP(CAUSE_ECALL_U, e_u, 0, "ecall from U")
        S_TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_SPP | MSTATUS_SPIE
        and t1, t1, t2
        CHECK(0, t1, "ecall from U: SPP = U, SPIE = 0")
        ENTER_M

        /* breakpoint from U delegated, SIE = 1 before the trap: in U the
         * SIE bit is still recorded into SPIE */
        li t1, MSTATUS_SIE
        csrs mstatus, t1
        ENTER_U
        S_EXPECT_TRAP(1f)
b_u:    ebreak
        FAIL("ebreak in U not trapped")
1:      S_TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_BREAKPOINT, t1, "ebreak from U scause")
        S_TRAP_FIELD(t1, TI_EPC)
        CHECK_ADDR(b_u, t1, "ebreak from U sepc")
        S_TRAP_FIELD(t1, TI_STATUS)
        li t2, MSTATUS_SPP | MSTATUS_SPIE | MSTATUS_SIE
        and t1, t1, t2
        CHECK(MSTATUS_SPIE, t1, "ebreak from U: SPP = U, SPIE = 1, SIE = 0")
        ENTER_M
        li t1, MSTATUS_SIE
        csrc mstatus, t1

        /* a delegated load access fault: stval = address */
        ENTER_S
        li t1, 0x100
        S_EXPECT_TRAP(1f)
l_s:    ld a0, 8(t1)
        FAIL("load fault in S not trapped")
1:      S_CHECK_TRAP(CAUSE_LOAD_ACCESS, l_s, 0x108, "load fault in S")
        ENTER_M

        /* the same exceptions in M are not delegated (priv 3.1.8: traps
         * never go to a less privileged mode) */
        EXPECT_TRAP(1f)
i_m:    .word 0x0000006b
        FAIL("illegal in M not trapped")
1:      CHECK_TRAP(CAUSE_ILLEGAL, i_m, 0x0000006b, "illegal in M with medeleg")
        EXPECT_TRAP(1f)
b_m:    ebreak
        FAIL("ebreak in M not trapped")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_BREAKPOINT, t1, "ebreak in M with medeleg")
        li t1, 0x100
        EXPECT_TRAP(1f)
l_m:    ld a0, 0(t1)
        FAIL("load fault in M not trapped")
1:      CHECK_TRAP(CAUSE_LOAD_ACCESS, l_m, 0x100, "load fault in M with medeleg")

        /* an exception not delegated (ecall from S) goes to M from S */
        ENTER_S
        EXPECT_TRAP(1f)
e_s:    ecall
        FAIL("ecall in S not trapped")
1:      CHECK_TRAP(CAUSE_ECALL_S, e_s, 0, "undelegated ecall from S")

        /* delegated ecall from S: S traps to itself (scause 9) */
        li t1, (1 << CAUSE_ECALL_S)
        csrw medeleg, t1
        ENTER_S
        S_EXPECT_TRAP(1f)
e_s2:   ecall
        FAIL("delegated ecall in S not trapped")
1:      S_CHECK_TRAP(CAUSE_ECALL_S, e_s2, 0, "delegated ecall from S")
        /* back to M through an undelegated exception: S may not write
         * medeleg */
        EXPECT_TRAP(1f)
i_s2:   csrw medeleg, zero
        FAIL("csrw medeleg in S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, i_s2, 0x30201073, "csrw medeleg in S")
        csrr t1, medeleg
        CHECK(1 << CAUSE_ECALL_S, t1, "medeleg unchanged")
        csrw medeleg, zero
        TEST_PASS
