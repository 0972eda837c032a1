/* common.h: shared macros and constants for the ember ISA tests.
 * Included by every test .S; the routines behind the macros live in runtime.S. */
#ifndef EMBER_ISA_COMMON_H
#define EMBER_ISA_COMMON_H

#include "htif.h" /* roms/lib: REG_L, REG_S, REG_BYTES for RV64 and RV32 */

/*
 * Conventions
 * -----------
 * roms/lib/start.S owns _start (at 0x80000000, M-mode): it sets up a
 * stack, .bss and the console (HTIF, or QEMU virt's UART and test device:
 * roms/lib/htif.S), then calls main in runtime.S, which installs the trap
 * vectors, a PMP entry 0 that grants everything to S/U, clears delegation,
 * interrupt enables and mstatus (the FPU is Off until FP_ON), then jumps
 * to test_main.
 *
 * Registers s10 and s11 belong to the framework: every macro below may
 * clobber them. Tests must not keep values in s10/s11. Exceptions, named
 * at each macro: CHECK_TRAP* also clobber t0; the page-table macros use
 * s0/s1 and clobber a0-a5, t0-t6, ra. Local labels 100-104 are used
 * inside macros; tests use other numbers.
 * Traps that are handled (expected traps, the "back to M" ecall) preserve
 * every other register.
 *
 * Expected traps: EXPECT_TRAP(label) arms the M-mode handler. The next trap
 * taken into M-mode is recorded (cause, epc, tval, mstatus, count) and
 * execution resumes at `label` in M-mode with mstatus.MIE = 0 and
 * mstatus.MPRV = 0 (the handler clears MPIE and MPRV and sets MPP = M
 * before its mret; so after it MPP reads U). The arm is one-shot.
 * S_EXPECT_TRAP(label) does the same for traps taken into S-mode (via
 * stvec): resumes at `label` in S-mode with SIE = 0.
 * Any trap that is not expected (and not the back-to-M ecall) prints the
 * trap CSRs and exits with code 2.
 *
 * Mode switches (from M): ENTER_S / ENTER_U continue at the next instruction
 * in the new mode (mret with MPP set; mret also sets MIE = MPIE and
 * MPIE = 1). ENTER_M (from S or U) does an ecall with a7 = BACK_TO_M_MAGIC;
 * the M handler returns to the next instruction in M-mode with MIE = 0
 * and MPRV = 0.
 * It needs ecalls from the current mode not to be delegated.
 *
 * Behaviour where QEMU 7.2 legitimately (or knowingly wrongly) differs from
 * ember is decided at run time with IF_NOT_EMBER_GOTO: such checks are
 * exact on ember and relaxed or skipped on QEMU, with a comment saying why.
 *
 * Checks: CHECK(expected_constant, reg, "name") and CHECKR(expected_reg,
 * reg, "name"). On failure they print
 *   FAIL <file>:<line> <name>: expected 0x... got 0x...
 * through the HTIF console and exit with code 1. TEST_PASS prints PASS and
 * exits with code 0. Output and exit go through tohost, so they work from
 * any mode as long as the tohost page is accessible.
 */

/* ---- CSR numbers not all assemblers know by name ---- */
#define CSR_STIMECMP   0x14d
#define CSR_MENVCFG    0x30a
#define CSR_SENVCFG    0x10a

/* ---- mstatus fields (privileged spec 3.1.6) ---- */
#define MSTATUS_SIE    (1 << 1)
#define MSTATUS_MIE    (1 << 3)
#define MSTATUS_SPIE   (1 << 5)
#define MSTATUS_UBE    (1 << 6)
#define MSTATUS_MPIE   (1 << 7)
#define MSTATUS_SPP    (1 << 8)
#define MSTATUS_MPP    (3 << 11)
#define MSTATUS_MPP_S  (1 << 11)
#define MSTATUS_MPP_M  (3 << 11)
#define MSTATUS_FS     (3 << 13)
#define MSTATUS_MPRV   (1 << 17)
#define MSTATUS_SUM    (1 << 18)
#define MSTATUS_MXR    (1 << 19)
#define MSTATUS_TVM    (1 << 20)
#define MSTATUS_TW     (1 << 21)
#define MSTATUS_TSR    (1 << 22)

/* ---- privilege levels ---- */
#define PRV_U 0
#define PRV_S 1
#define PRV_M 3

/* ---- exception codes (privileged spec 3.1.15, table 3.6) ---- */
#define CAUSE_MISALIGNED_FETCH  0
#define CAUSE_FETCH_ACCESS      1
#define CAUSE_ILLEGAL           2
#define CAUSE_BREAKPOINT        3
#define CAUSE_MISALIGNED_LOAD   4
#define CAUSE_LOAD_ACCESS       5
#define CAUSE_MISALIGNED_STORE  6
#define CAUSE_STORE_ACCESS      7
#define CAUSE_ECALL_U           8
#define CAUSE_ECALL_S           9
#define CAUSE_ECALL_M           11
#define CAUSE_FETCH_PAGE        12
#define CAUSE_LOAD_PAGE         13
#define CAUSE_STORE_PAGE        15

/* ---- interrupts: bit numbers in mip/mie, mcause = INTR | code ---- */
#define IRQ_S_SOFT   1
#define IRQ_M_SOFT   3
#define IRQ_S_TIMER  5
#define IRQ_M_TIMER  7
#define IRQ_S_EXT    9
#define IRQ_M_EXT    11
#define MIP_SSIP     (1 << IRQ_S_SOFT)
#define MIP_MSIP     (1 << IRQ_M_SOFT)
#define MIP_STIP     (1 << IRQ_S_TIMER)
#define MIP_MTIP     (1 << IRQ_M_TIMER)
#define MIP_SEIP     (1 << IRQ_S_EXT)
#define MIP_MEIP     (1 << IRQ_M_EXT)
#if __riscv_xlen == 64
#define CAUSE_INTR   0x8000000000000000
#else
#define CAUSE_INTR   0x80000000
#endif

/* ---- CLINT (same address on QEMU spike/virt and ember virt) ----
 * Hart h's msip is at CLINT_MSIP + 4 * h, its mtimecmp at
 * CLINT_MTIMECMP + 8 * h (ACLINT MSWI and MTIMER). */
#define CLINT_MSIP      0x2000000
#define CLINT_MTIMECMP  0x2004000
#define CLINT_MTIME     0x200bff8

/* ---- several harts (the smp_* tests) ----
 * Harts other than 0 enter the test at hart_entry (roms/lib/start.S) once
 * hart 0 sets their msip. They share no framework state with hart 0: they
 * call hart_setup (runtime.S) for a stack and a trap vector of their own
 * (hart_ack_ipi clears the msip that woke them), and use no CHECK,
 * EXPECT_TRAP or ENTER_* (those belong to hart 0). */
#define HART_MAX        8

/* PAUSE, Zihintpause's spin-wait hint (a FENCE with pred = W, succ = 0,
 * so any hart takes it). Every spin loop has one: ember runs all harts on
 * one thread and passes the turn on at a PAUSE. */
#define SPIN_HINT  .4byte 0x0100000f

/* ---- page tables (privileged spec 4.3.1/4.4.1) ---- */
#define PTE_V  0x001
#define PTE_R  0x002
#define PTE_W  0x004
#define PTE_X  0x008
#define PTE_U  0x010
#define PTE_G  0x020
#define PTE_A  0x040
#define PTE_D  0x080
#if __riscv_xlen == 64
#define SATP_MODE_SV39  (8 << 60)
#define SATP_MODE_SV48  (9 << 60)
/* pt_map's walk: 9 VPN bits a level, 8-byte PTEs */
#define PT_VPN_BITS     9
#define PT_PTE_SHIFT    3
#else
#define SATP_MODE_SV32  (1 << 31)
/* Sv32 (privileged spec 4.3): 10 VPN bits a level, 4-byte PTEs */
#define PT_VPN_BITS     10
#define PT_PTE_SHIFT    2
#endif

/* ---- PMP (privileged spec 3.7) ---- */
#define PMP_R      0x01
#define PMP_W      0x02
#define PMP_X      0x04
#define PMP_OFF    0x00
#define PMP_TOR    0x08
#define PMP_NA4    0x10
#define PMP_NAPOT  0x18
#define PMP_L      0x80

#if __riscv_xlen == 64
#define BACK_TO_M_MAGIC 0x454d424552 /* "EMBER" */
#else
#define BACK_TO_M_MAGIC 0x4d424552   /* "MBER": what a register holds of it */
#endif

/* byte offsets into trap_info / s_trap_info (runtime.S): 8-byte slots,
 * of which RV32 uses the low word */
#define TI_CAUSE   0
#define TI_EPC     8
#define TI_TVAL    16
#define TI_STATUS  24
#define TI_COUNT   32

#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- test structure ---- */
#define TEST_BEGIN          \
        .text;              \
        .globl test_main;   \
        .align 2;           \
test_main:

#define TEST_PASS  j test_pass

/* ---- checks ---- */
#define CHECK_FAIL_(reg, name)                          \
        .pushsection .rodata.str, "aMS", @progbits, 1;  \
100:    .asciz __FILE_NAME__ ":" STR(__LINE__) " " name;     \
        .popsection;                                    \
        mv a1, reg;                                     \
        mv a0, s11;                                     \
        la a2, 100b;                                    \
        j check_failed

/* CHECK(expected constant, register, "name") */
#define CHECK(exp, reg, name)                           \
        li s11, exp;                                    \
        beq reg, s11, 101f;                             \
        CHECK_FAIL_(reg, name);                         \
101:

/* CHECKR(expected register, register, "name") */
#define CHECKR(expreg, reg, name)                       \
        mv s11, expreg;                                 \
        beq reg, s11, 101f;                             \
        CHECK_FAIL_(reg, name);                         \
101:

/* CHECK_ADDR(label, register, "name"): register holds the address of label */
#define CHECK_ADDR(lbl, reg, name)                      \
        la s11, lbl;                                    \
        beq reg, s11, 101f;                             \
        CHECK_FAIL_(reg, name);                         \
101:

/* CHECK_NZ(register, "name"): register must be non-zero */
#define CHECK_NZ(reg, name)                             \
        li s11, 0;                                      \
        bne reg, s11, 101f;                             \
        CHECK_FAIL_(reg, name " (expected any non-zero)"); \
101:

/* FAIL("name"): unconditional failure (a path that must not be reached) */
#define FAIL(name)                                      \
        li s11, 0;                                      \
        CHECK_FAIL_(ra, name " (reached; got = ra)")

/* ---- expected traps ---- */
#define EXPECT_TRAP(lbl)                                \
        la s11, lbl;                                    \
        la s10, trap_resume;                            \
        REG_S s11, 0(s10)

#define S_EXPECT_TRAP(lbl)                              \
        la s11, lbl;                                    \
        la s10, s_trap_resume;                          \
        REG_S s11, 0(s10)

/* load a recorded field of the last M-mode / S-mode trap into reg */
#define TRAP_FIELD(reg, off)                            \
        la s10, trap_info;                              \
        REG_L reg, off(s10)
#define S_TRAP_FIELD(reg, off)                          \
        la s10, s_trap_info;                            \
        REG_L reg, off(s10)

/* CHECK_TRAP(cause, epc_label, tval, "name"): after an M-mode trap resumed,
 * check mcause, mepc (== address of epc_label) and mtval. Clobbers t0. */
#define CHECK_TRAP(cause, epclbl, tval, name)           \
        TRAP_FIELD(t0, TI_CAUSE);                       \
        CHECK(cause, t0, name " mcause");               \
        TRAP_FIELD(t0, TI_EPC);                         \
        CHECK_ADDR(epclbl, t0, name " mepc");           \
        TRAP_FIELD(t0, TI_TVAL);                        \
        CHECK(tval, t0, name " mtval")

/* as CHECK_TRAP, with mtval expected to equal the address of a label */
#define CHECK_TRAP_A(cause, epclbl, tvallbl, name)      \
        TRAP_FIELD(t0, TI_CAUSE);                       \
        CHECK(cause, t0, name " mcause");               \
        TRAP_FIELD(t0, TI_EPC);                         \
        CHECK_ADDR(epclbl, t0, name " mepc");           \
        TRAP_FIELD(t0, TI_TVAL);                        \
        CHECK_ADDR(tvallbl, t0, name " mtval")

#define S_CHECK_TRAP(cause, epclbl, tval, name)         \
        S_TRAP_FIELD(t0, TI_CAUSE);                     \
        CHECK(cause, t0, name " scause");               \
        S_TRAP_FIELD(t0, TI_EPC);                       \
        CHECK_ADDR(epclbl, t0, name " sepc");           \
        S_TRAP_FIELD(t0, TI_TVAL);                      \
        CHECK(tval, t0, name " stval")

/* clear the recorded trap count (M and S) */
#define CLEAR_TRAP_COUNT                                \
        la s10, trap_info;                              \
        REG_S zero, TI_COUNT(s10);                      \
        la s10, s_trap_info;                            \
        REG_S zero, TI_COUNT(s10)

/* ---- privilege switches ---- */
/* from M: continue at the next instruction in mode `mode` */
#define ENTER_MODE(mode)                                \
        li s11, MSTATUS_MPP;                            \
        csrc mstatus, s11;                              \
        li s11, ((mode) << 11);                         \
        csrs mstatus, s11;                              \
        la s11, 102f;                                   \
        csrw mepc, s11;                                 \
        mret;                                           \
102:
#define ENTER_S  ENTER_MODE(PRV_S)
#define ENTER_U  ENTER_MODE(PRV_U)

/* from S or U: back to M at the next instruction (MIE = 0) */
#define ENTER_M                                         \
        mv s11, a7;                                     \
        li a7, BACK_TO_M_MAGIC;                         \
        ecall;                                          \
        mv a7, s11

/* ---- page tables (MMU tests) ----
 * s0 = root table, s1 = root level (2: Sv39, 3: Sv48, 1: Sv32). MAP_* call pt_map
 * (runtime.S) and clobber a0-a5, t0-t6 and ra; a0 = address of the leaf PTE.
 */
#define MMU_INIT(root_level)                            \
        call pt_alloc;                                  \
        mv s0, a0;                                      \
        li s1, root_level

/* map va (constant) to pa (constant) */
#define MAP_C(va, pa, flags, level)                     \
        mv a0, s0;                                      \
        li a1, va;                                      \
        li a2, pa;                                      \
        li a3, flags;                                   \
        li a4, level;                                   \
        mv a5, s1;                                      \
        call pt_map

/* map va (constant) to the address of label pa */
#define MAP_L(va, pa, flags, level)                     \
        mv a0, s0;                                      \
        li a1, va;                                      \
        la a2, pa;                                      \
        li a3, flags;                                   \
        li a4, level;                                   \
        mv a5, s1;                                      \
        call pt_map

/* identity-map the RAM at 0x80000000 (code, data, tohost) for S: a 1 GiB
 * page (Sv39, Sv48), on RV32 a 4 MiB Sv32 megapage */
#if __riscv_xlen == 64
#define MAP_IDENTITY_RAM                                \
        MAP_C(0x80000000, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D, 2)
#else
#define MAP_IDENTITY_RAM                                \
        MAP_C(0x80000000, 0x80000000, PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D, 1)
#endif

/* turn translation on with root s0 (from M) */
#define SATP_ON(mode)                                   \
        li t1, mode;                                    \
        srli t2, s0, 12;                                \
        or t1, t1, t2;                                  \
        csrw satp, t1;                                  \
        sfence.vma

#define PTE_ALL   (PTE_V | PTE_R | PTE_W | PTE_X | PTE_A | PTE_D)
#define PTE_RW    (PTE_V | PTE_R | PTE_W | PTE_A | PTE_D)
#define PTE_RO    (PTE_V | PTE_R | PTE_A)
#define PTE_XO    (PTE_V | PTE_X | PTE_A)
#define PTE_RX    (PTE_V | PTE_R | PTE_X | PTE_A)

/* ---- waiting (labels 103/104 are used here) ----
 * The mtime waits read a register's worth of mtime: on RV32 its low word,
 * which wraps after 7 minutes at 10 MHz (a wait across a wrap ends early). */
/* an interrupt is expected to be taken (EXPECT_TRAP armed to a label
 * after this): spin ~2M instructions, then fail */
#define SPIN_THEN_FAIL(name)                            \
        li s10, 1000000;                                \
103:    addi s10, s10, -1;                              \
        bnez s10, 103b;                                 \
        FAIL(name " (not taken)")

/* an interrupt is expected from the timer: spin for up to 50M mtime ticks
 * (5 s at QEMU's 10 MHz), then fail. Reads the CLINT's mtime. */
#define WAIT_MTIME_THEN_FAIL(name)                      \
        li s10, CLINT_MTIME;                            \
        REG_L s11, 0(s10);                              \
        li s10, 50000000;                               \
        add s11, s11, s10;                              \
103:    li s10, CLINT_MTIME;                            \
        REG_L s10, 0(s10);                              \
        bltu s10, s11, 103b;                            \
        FAIL(name " (timed out)")

/* poll mip until bit `bitno` reads `val` (up to 1M reads), else fail;
 * interrupt-pending bits need not change in the same instruction as
 * their source */
#define POLL_MIP(bitno, val, name)                      \
        li s10, 1000000;                                \
103:    csrr s11, mip;                                  \
        srli s11, s11, bitno;                           \
        andi s11, s11, 1;                               \
        xori s11, s11, val;                             \
        beqz s11, 104f;                                 \
        addi s10, s10, -1;                              \
        bnez s10, 103b;                                 \
        csrr s10, mip;                                  \
        li s11, val << bitno;                           \
        CHECK_FAIL_(s10, name " (mip)");                \
104:

/* the same with a time bound: up to 50M mtime ticks */
#define POLL_MIP_MTIME(bitno, val, name)                \
        li s10, CLINT_MTIME;                            \
        REG_L s11, 0(s10);                              \
        li s10, 50000000;                               \
        add s11, s11, s10;                              \
        addi sp, sp, -8;                                \
        REG_S s11, 0(sp);                               \
103:    csrr s11, mip;                                  \
        srli s11, s11, bitno;                           \
        andi s11, s11, 1;                               \
        xori s11, s11, val;                             \
        beqz s11, 104f;                                 \
        li s10, CLINT_MTIME;                            \
        REG_L s10, 0(s10);                              \
        REG_L s11, 0(sp);                               \
        bltu s10, s11, 103b;                            \
        csrr s10, mip;                                  \
        li s11, val << bitno;                           \
        CHECK_FAIL_(s10, name " (mip, timed out)");     \
104:    addi sp, sp, 8

/* WAIT_W(addr_reg, val, "name"): spin (with SPIN_HINT) until the 32-bit
 * word at addr_reg reads val (sign-extended), then an acquire fence. Fails
 * after 20M mtime ticks (2 s at 10 MHz). Hart 0 only. */
#define WAIT_W(addrreg, val, name)                      \
        li s10, CLINT_MTIME;                            \
        REG_L s11, 0(s10);                              \
        li s10, 20000000;                               \
        add s11, s11, s10;                              \
        addi sp, sp, -8;                                \
        REG_S s11, 0(sp);                               \
103:    lw s11, 0(addrreg);                             \
        li s10, val;                                    \
        beq s11, s10, 104f;                             \
        SPIN_HINT;                                      \
        li s10, CLINT_MTIME;                            \
        REG_L s10, 0(s10);                              \
        REG_L s11, 0(sp);                               \
        bltu s10, s11, 103b;                            \
        lw s10, 0(addrreg);                             \
        li s11, val;                                    \
        CHECK_FAIL_(s10, name " (timed out)");          \
104:    addi sp, sp, 8;                                 \
        fence r, rw

/* Branch to lbl when the hart is not ember. ember reads 0 from marchid and
 * mimpid (and is RV64IMACSU); QEMU 7.2 reports its version there (and has
 * F, D and H in misa). Testing the ID CSRs keeps the answer right if ember
 * grows more extensions. M-mode only. */
#define IF_NOT_EMBER_GOTO(lbl)                          \
        csrr s11, marchid;                              \
        bnez s11, lbl;                                  \
        csrr s11, mimpid;                               \
        bnez s11, lbl

#endif
