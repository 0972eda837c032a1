/* runtime.S: the ISA tests' framework on top of roms/lib (start-up, HTIF):
 * the set-up before test_main, trap handlers, checks, printing and
 * page-table helpers linked into every ISA test (see common.h for the
 * conventions). Assembles for RV64 and RV32 (tests/isa/rv32). */
#include "common.h"

/* A trap report's field: its label, then the register in hex. */
.macro PUT_FIELD msg, reg
        la a0, \msg
        call puts
        mv a0, \reg
        call puthex
.endm

/* register save area layout: slot i holds x<i> */
#define SAVE(r, i)    REG_S r, (i * REG_BYTES)(t6)
#define LOAD(r, i)    REG_L r, (i * REG_BYTES)(t6)

/* main: called by roms/lib/start.S in M-mode with a stack and the console
 * chosen; puts the hart in the state common.h promises and runs the test. */
        .text
        .globl main
main:
        la t0, m_trap_entry
        csrw mtvec, t0
        la t0, m_save
        csrw mscratch, t0
        la t0, s_trap_entry
        csrw stvec, t0
        la t0, s_save
        csrw sscratch, t0
        /* no timer interrupt until a test asks for one (QEMU resets
         * mtimecmp to 0, which makes MTIP pending at once) */
        li t0, CLINT_MTIMECMP
        li t1, -1
#if __riscv_xlen == 64
        sd t1, 0(t0)
#else
        sw t1, 0(t0)            /* both halves of the 64-bit register */
        sw t1, 4(t0)
#endif
        csrw medeleg, zero
        csrw mideleg, zero
        csrw mie, zero
        csrw mip, zero
        csrw satp, zero
        /* PMP entry 0: NAPOT over the whole address space, RWX, so that
         * S/U can reach everything (privileged spec 3.7.1: with PMP
         * implemented and no entry matching, S/U accesses fail). */
        li t0, -1
        csrw pmpaddr0, t0
        li t0, PMP_NAPOT | PMP_R | PMP_W | PMP_X
        csrw pmpcfg0, t0
        /* FS too, which start.S turned on: FP tests turn it on themselves
         * (FP_ON) or test it from Off */
        li t0, MSTATUS_MIE | MSTATUS_SIE | MSTATUS_MPIE | MSTATUS_SPIE | MSTATUS_MPP | MSTATUS_SPP | MSTATUS_FS | MSTATUS_MPRV | MSTATUS_SUM | MSTATUS_MXR | MSTATUS_TVM | MSTATUS_TW | MSTATUS_TSR
        csrc mstatus, t0
        sfence.vma
        fence.i
        j test_main

/* guest_trap(a0 = mcause, a1 = mepc, a2 = mtval): start.S's report of a
 * trap taken before main installed m_trap_entry */
        .globl guest_trap
guest_trap:
        mv t0, a0
        mv t1, a1
        mv t2, a2
        csrr t3, mstatus
        j m_unexpected

/* ---------------------------------------------------------------- M trap */
        .align 2
        .globl m_trap_entry
m_trap_entry:
        csrrw t6, mscratch, t6
        SAVE(ra, 1)
        SAVE(t0, 5)
        SAVE(t1, 6)
        SAVE(t2, 7)
        SAVE(a0, 10)
        SAVE(a1, 11)
        SAVE(a2, 12)
        SAVE(a3, 13)
        SAVE(a4, 14)
        SAVE(a5, 15)
        SAVE(a6, 16)
        SAVE(a7, 17)
        SAVE(t3, 28)
        SAVE(t4, 29)
        SAVE(t5, 30)
        csrr t0, mscratch
        SAVE(t0, 31)
        csrw mscratch, t6

        csrr t0, mcause
        csrr t1, mepc
        csrr t2, mtval
        csrr t3, mstatus
        la t4, trap_resume
        REG_L t5, 0(t4)
        beqz t5, 1f
        /* an expected trap: record it and resume at the armed label */
        REG_S zero, 0(t4)
        la t4, trap_info
        REG_S t0, TI_CAUSE(t4)
        REG_S t1, TI_EPC(t4)
        REG_S t2, TI_TVAL(t4)
        REG_S t3, TI_STATUS(t4)
        REG_L a0, TI_COUNT(t4)
        addi a0, a0, 1
        REG_S a0, TI_COUNT(t4)
        csrw mepc, t5
        j m_return_to_m
1:      /* the back-to-M ecall (from U, S or M) */
        li t4, CAUSE_ECALL_U
        beq t0, t4, 2f
        li t4, CAUSE_ECALL_S
        beq t0, t4, 2f
        li t4, CAUSE_ECALL_M
        beq t0, t4, 2f
        j m_unexpected
2:      li t4, BACK_TO_M_MAGIC
        bne a7, t4, m_unexpected
        addi t1, t1, 4
        csrw mepc, t1
m_return_to_m:
        /* back in M with MIE = 0 and MPRV = 0 (so that the test's own
         * memory accesses after a trap taken with MPRV set are physical) */
        li t4, MSTATUS_MPP
        csrs mstatus, t4
        li t4, MSTATUS_MPIE | MSTATUS_MPRV
        csrc mstatus, t4
        csrr t6, mscratch
        LOAD(ra, 1)
        LOAD(t0, 5)
        LOAD(t1, 6)
        LOAD(t2, 7)
        LOAD(a0, 10)
        LOAD(a1, 11)
        LOAD(a2, 12)
        LOAD(a3, 13)
        LOAD(a4, 14)
        LOAD(a5, 15)
        LOAD(a6, 16)
        LOAD(a7, 17)
        LOAD(t3, 28)
        LOAD(t4, 29)
        LOAD(t5, 30)
        LOAD(t6, 31)
        mret

m_unexpected:
        mv s0, t0
        mv s1, t1
        mv s2, t2
        mv s3, t3
        PUT_FIELD msg_unexp_m, s0
        PUT_FIELD msg_mepc, s1
        PUT_FIELD msg_mtval, s2
        PUT_FIELD msg_mstatus, s3
        li a0, '\n'
        call htif_putchar
        li a0, 2
        j htif_exit

/* ---------------------------------------------------------------- S trap */
        .align 2
        .globl s_trap_entry
s_trap_entry:
        csrrw t6, sscratch, t6
        SAVE(ra, 1)
        SAVE(t0, 5)
        SAVE(t1, 6)
        SAVE(t2, 7)
        SAVE(a0, 10)
        SAVE(t3, 28)
        SAVE(t4, 29)
        SAVE(t5, 30)
        csrr t0, sscratch
        SAVE(t0, 31)
        csrw sscratch, t6

        csrr t0, scause
        csrr t1, sepc
        csrr t2, stval
        csrr t3, sstatus
        la t4, s_trap_resume
        REG_L t5, 0(t4)
        beqz t5, s_unexpected
        REG_S zero, 0(t4)
        la t4, s_trap_info
        REG_S t0, TI_CAUSE(t4)
        REG_S t1, TI_EPC(t4)
        REG_S t2, TI_TVAL(t4)
        REG_S t3, TI_STATUS(t4)
        REG_L a0, TI_COUNT(t4)
        addi a0, a0, 1
        REG_S a0, TI_COUNT(t4)
        csrw sepc, t5
        li t4, MSTATUS_SPP
        csrs sstatus, t4
        li t4, MSTATUS_SPIE
        csrc sstatus, t4
        csrr t6, sscratch
        LOAD(ra, 1)
        LOAD(t0, 5)
        LOAD(t1, 6)
        LOAD(t2, 7)
        LOAD(a0, 10)
        LOAD(t3, 28)
        LOAD(t4, 29)
        LOAD(t5, 30)
        LOAD(t6, 31)
        sret

s_unexpected:
        mv s0, t0
        mv s1, t1
        mv s2, t2
        mv s3, t3
        la a0, msg_unexp_s
        call puts
        mv a0, s0
        call puthex
        la a0, msg_sepc
        call puts
        mv a0, s1
        call puthex
        la a0, msg_stval
        call puts
        mv a0, s2
        call puthex
        la a0, msg_sstatus
        call puts
        mv a0, s3
        call puthex
        li a0, '\n'
        call htif_putchar
        li a0, 3
        j htif_exit

/* ------------------------------------------------------ checks and exit */
/* check_failed(a0 = expected, a1 = got, a2 = name): print and exit(1) */
        .globl check_failed
check_failed:
        mv s0, a0
        mv s1, a1
        mv s2, a2
        la a0, msg_fail
        call puts
        mv a0, s2
        call puts
        la a0, msg_expected
        call puts
        mv a0, s0
        call puthex
        la a0, msg_got
        call puts
        mv a0, s1
        call puthex
        li a0, '\n'
        call htif_putchar
        li a0, 1
        j htif_exit

        .globl test_pass
test_pass:
        la a0, msg_pass
        call puts
        li a0, 0
        j htif_exit

/* puts(a0 = NUL-terminated string): htif_write of its length. Clobbers
 * a0, t0-t2. */
        .globl puts
puts:
        addi sp, sp, -16
        REG_S ra, 0(sp)
        REG_S a1, REG_BYTES(sp)
        mv t2, a0
1:      lbu t0, 0(t2)
        beqz t0, 2f
        addi t2, t2, 1
        j 1b
2:      sub a1, t2, a0
        call htif_write
        REG_L ra, 0(sp)
        REG_L a1, REG_BYTES(sp)
        addi sp, sp, 16
        ret

/* puthex(a0): "0x" and 16 hex digits. Clobbers a0, t0-t2. */
        .globl puthex
puthex:
        addi sp, sp, -32
        REG_S ra, 0(sp)
        REG_S s0, REG_BYTES(sp)
        REG_S s1, 2 * REG_BYTES(sp)
        mv s0, a0
        li a0, '0'
        call htif_putchar
        li a0, 'x'
        call htif_putchar
        li s1, REG_BYTES * 8 - 4
1:      srl a0, s0, s1
        andi a0, a0, 15
        li t2, 10
        blt a0, t2, 2f
        addi a0, a0, 'a' - 10 - '0'
2:      addi a0, a0, '0'
        call htif_putchar
        addi s1, s1, -4
        bgez s1, 1b
        REG_L ra, 0(sp)
        REG_L s0, REG_BYTES(sp)
        REG_L s1, 2 * REG_BYTES(sp)
        addi sp, sp, 32
        ret

/* ------------------------------------------------------ other harts */
/* hart_setup(): for a hart other than 0 at hart_entry: sp = its own stack,
 * mtvec = hart_trap. Preserves a0; clobbers t0, t1. A hart beyond the
 * stacks (HART_MAX) parks. */
        .globl hart_setup
hart_setup:
        csrr t0, mhartid
        li t1, HART_MAX
        bgeu t0, t1, 2f
        addi t0, t0, 1
        slli t0, t0, 12
        la sp, hart_stacks
        add sp, sp, t0
        la t0, hart_trap
        csrw mtvec, t0
        ret
2:      csrw mie, zero
3:      wfi
        j 3b

/* A woken hart clears its own msip, so the IPI that woke it does not stay
 * pending. Clobbers t0, t1. */
        .globl hart_ack_ipi
hart_ack_ipi:
        csrr t0, mhartid
        slli t0, t0, 2
        li t1, CLINT_MSIP
        add t1, t1, t0
        sw zero, 0(t1)
        ret

/* Any trap on a hart other than 0 is a failure: report it and exit 2. */
        .align 2
hart_trap:
        csrr s0, mcause
        csrr s1, mepc
        csrr s2, mtval
        csrr s3, mhartid
        PUT_FIELD msg_unexp_hart, s3
        PUT_FIELD msg_mcause, s0
        PUT_FIELD msg_mepc, s1
        PUT_FIELD msg_mtval, s2
        li a0, '\n'
        call htif_putchar
        li a0, 2
        j htif_exit

/* ------------------------------------------------------- page tables */
/* pt_alloc() -> a0: a zeroed 4 KiB page from the pool. Clobbers t0, t1. */
        .globl pt_alloc
pt_alloc:
        la t0, pt_pool_next
        REG_L a0, 0(t0)
        bnez a0, 1f
        la a0, pt_pool
1:      li t1, 4096
        add t1, a0, t1
        REG_S t1, 0(t0)
        la t0, pt_pool_end
        bgtu t1, t0, 3f
        mv t0, a0
2:      REG_S zero, 0(t0)
        addi t0, t0, REG_BYTES
        bltu t0, t1, 2b
        ret
3:      la a0, msg_pool
        call puts
        li a0, 4
        j htif_exit

/* pt_map(a0 = root table, a1 = va, a2 = pa, a3 = leaf PTE flags,
 *        a4 = leaf level (0: 4 KiB, 1: 2 MiB/Sv39 megapage, 2: 1 GiB, ...;
 *        on RV32 1 is Sv32's 4 MiB megapage),
 *        a5 = root level (2 for Sv39, 3 for Sv48, 1 for Sv32)) -> a0 =
 * address of the leaf PTE (PTEs are XLEN wide, so Sv32's are words). Missing intermediate tables come from pt_alloc; existing valid
 * entries on the way are taken to be pointers. Clobbers a0, a5, t0-t6. */
        .globl pt_map
pt_map:
        mv t6, ra
1:      li t1, PT_VPN_BITS
        mul t1, t1, a5
        addi t1, t1, 12
        srl t2, a1, t1
        andi t2, t2, (1 << PT_VPN_BITS) - 1
        slli t2, t2, PT_PTE_SHIFT
        add t2, a0, t2          /* t2 = address of the PTE at this level */
        beq a5, a4, 3f
        REG_L t3, 0(t2)
        andi t4, t3, PTE_V
        bnez t4, 2f
        mv t5, t2
        call pt_alloc
        srli t3, a0, 12
        slli t3, t3, 10
        ori t3, t3, PTE_V
        REG_S t3, 0(t5)
2:      srli t3, t3, 10
        slli a0, t3, 12
        addi a5, a5, -1
        j 1b
3:      srli t3, a2, 12
        slli t3, t3, 10
        or t3, t3, a3
        REG_S t3, 0(t2)
        mv a0, t2
        mv ra, t6
        ret

/* pte_at(a0 = va, a1 = level) -> a0 = the address of the PTE that translates
 * va at level, walking from root s0 at level s1 through existing tables.
 * Clobbers t0-t4. */
        .globl pte_at
pte_at:
        mv t0, s0
        mv t1, s1
1:      li t2, PT_VPN_BITS
        mul t2, t2, t1
        addi t2, t2, 12
        srl t3, a0, t2
        andi t3, t3, (1 << PT_VPN_BITS) - 1
        slli t3, t3, PT_PTE_SHIFT
        add t3, t0, t3
        beq t1, a1, 2f
        REG_L t4, 0(t3)
        srli t4, t4, 10
        slli t0, t4, 12
        addi t1, t1, -1
        j 1b
2:      mv a0, t3
        ret

/* ---------------------------------------------------------------- data */
        .section .rodata
msg_unexp_m:    .asciz "FAIL unexpected M-mode trap: mcause="
msg_mepc:       .asciz " mepc="
msg_mtval:      .asciz " mtval="
msg_mstatus:    .asciz " mstatus="
msg_unexp_hart: .asciz "FAIL unexpected M-mode trap on hart "
msg_mcause:     .asciz ": mcause="
msg_unexp_s:    .asciz "FAIL unexpected S-mode trap: scause="
msg_sepc:       .asciz " sepc="
msg_stval:      .asciz " stval="
msg_sstatus:    .asciz " sstatus="
msg_fail:       .asciz "FAIL "
msg_expected:   .asciz ": expected "
msg_got:        .asciz " got "
msg_pass:       .asciz "PASS\n"
msg_pool:       .asciz "FAIL page-table pool exhausted\n"

        .data
        .align 3
        .globl trap_resume, s_trap_resume, trap_info, s_trap_info
trap_resume:    .dword 0
s_trap_resume:  .dword 0
trap_info:      .dword 0, 0, 0, 0, 0
s_trap_info:    .dword 0, 0, 0, 0, 0
pt_pool_next:   .dword 0

        .bss
        .align 4
m_save:         .space 256
s_save:         .space 256
        .align 12
pt_pool:        .space 32 * 4096
pt_pool_end:
hart_stacks:    .space HART_MAX * 4096
