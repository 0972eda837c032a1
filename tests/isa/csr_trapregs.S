/* csr_trapregs.S: mtvec/stvec direct and vectored modes (interrupts jump to
 * base + 4 * cause, exceptions to base), mepc/sepc bit 0, scratch registers. */
#include "common.h"

/* vector table: entry n records n in sscratch, then runs the common
 * handler (which records the trap and resumes) */
        .text
        .balign 256
vectors:
        .option push
        .option norvc
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
        j vec_\n
        .endr
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
vec_\n: csrwi sscratch, \n
        j m_trap_entry
        .endr
        .balign 256
s_vectors:
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
        j s_vec_\n
        .endr
        .irp n, 0,1,2,3,4,5,6,7,8,9,10,11
s_vec_\n:
        csrwi mscratch, \n               /* never runs: see below */
        .endr
        .option pop

TEST_BEGIN
        /* scratch registers hold any value */
        csrr s0, mscratch
        li t1, 0x0123456789abcdef
        csrw mscratch, t1
        csrr t2, mscratch
        CHECKR(t1, t2, "mscratch")
        csrw mscratch, s0
        csrr s1, sscratch
        csrw sscratch, t1
        csrr t2, sscratch
        CHECKR(t1, t2, "sscratch")

        /* mepc/sepc: bit 0 always 0 (IALIGN = 16, priv 3.1.14). QEMU 7.2
         * stores the bit (and ignores it on xRET), so ember only. */
        IF_NOT_EMBER_GOTO(1f)
        li t1, -1
        csrw mepc, t1
        csrr t2, mepc
        CHECK(-2, t2, "mepc bit 0")
        csrw sepc, t1
        csrr t2, sepc
        CHECK(-2, t2, "sepc bit 0")
1:
        li t1, 0x80001002
        csrw mepc, t1
        csrr t2, mepc
        CHECK(0x80001002, t2, "mepc 2-aligned")

        /* mcause/scause/mtval/stval are writable */
        li t1, 0x8000000000000005
        csrw mcause, t1
        csrr t2, mcause
        CHECKR(t1, t2, "mcause")
        csrw scause, t1
        csrr t2, scause
        CHECKR(t1, t2, "scause")
        li t1, 0x12345678
        csrw mtval, t1
        csrr t2, mtval
        CHECKR(t1, t2, "mtval")
        csrw stval, t1
        csrr t2, stval
        CHECKR(t1, t2, "stval")

        /* mtvec vectored: an interrupt enters at base + 4 * code */
        csrr s2, mtvec
        la t1, vectors
        ori t1, t1, 1
        csrw mtvec, t1
        csrr t2, mtvec
        CHECKR(t1, t2, "mtvec vectored reads back")
        csrwi sscratch, 31
        li t1, MIP_SSIP
        csrw mie, t1
        csrs mip, t1
        EXPECT_TRAP(1f)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        SPIN_THEN_FAIL("vectored SSI")
1:      csrr t1, sscratch
        CHECK(IRQ_S_SOFT, t1, "SSI entered at base + 4")
        li t1, MIP_SSIP
        csrc mip, t1
        li t0, CLINT_MSIP
        li t1, 1
        sw t1, 0(t0)
        li t1, MIP_MSIP
        csrw mie, t1
        EXPECT_TRAP(1f)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        SPIN_THEN_FAIL("vectored MSI")
1:      csrr t1, sscratch
        CHECK(IRQ_M_SOFT, t1, "MSI entered at base + 12")
        li t0, CLINT_MSIP
        sw zero, 0(t0)
        POLL_MIP(IRQ_M_SOFT, 0, "MSIP cleared")
        csrw mie, zero
        /* exceptions always enter at base (priv 3.1.7) */
        csrwi sscratch, 31
        EXPECT_TRAP(1f)
        ecall
1:      csrr t1, sscratch
        CHECK(0, t1, "ecall entered at base")
        TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_ECALL_M, t1, "ecall cause with vectored mtvec")
        /* back to direct mode */
        csrw mtvec, s2
        csrr t2, mtvec
        CHECKR(s2, t2, "mtvec direct reads back")
        csrw sscratch, s1

        /* stvec holds direct and vectored values */
        csrr s3, stvec
        la t1, s_vectors
        ori t1, t1, 1
        csrw stvec, t1
        csrr t2, stvec
        CHECKR(t1, t2, "stvec vectored reads back")
        csrw stvec, s3
        csrr t2, stvec
        CHECKR(s3, t2, "stvec direct reads back")
        TEST_PASS
