/* pmu.S: the programmable counters (priv spec 3.1.10-3.1.12) with
 * Sscofpmf (run with -cpu rv64,sscofpmf=on): mhpmevent selects what
 * mhpmcounter counts, mcountinhibit stops it, hpmcounter is gated by
 * mcounteren/scounteren, the xINH bits filter by privilege, and a wrap sets
 * OF and raises the local counter overflow interrupt (13) once. */
#include "common.h"

#define CSR_SCOUNTOVF   0xda0
#define IRQ_LCOF        13
#define MIP_LCOFIP      (1 << IRQ_LCOF)
#define EV_INSTRUCTIONS 0x2
#define EV_DTLB_READ    0x10019
/* mhpmevent's Sscofpmf bits, as shifts (li cannot build them as 32-bit) */
#define OF_BIT          63
#define MINH_BIT        62
#define UINH_BIT        60

/* csrr a0, hpmcounter3 and csrr a0, scountovf: the illegal-instruction tval */
#define ENC_HPMCOUNTER3 0xc0302573
#define ENC_SCOUNTOVF   0xda002573

/* n iterations of a two-instruction loop (clobbers t1) */
#define LOOP(n)         li t1, n; 9: addi t1, t1, -1; bnez t1, 9b

/* a load from each of the 8 pages of `pages` */
#define LOAD_PAGES                              \
        la t1, pages;                           \
        li t2, 8;                               \
8:      ld t3, 0(t1);                           \
        li t3, 4096;                            \
        add t1, t1, t3;                         \
        addi t2, t2, -1;                        \
        bnez t2, 8b

/* t1 = (1 << bit) | low */
#define EVENT_WITH(bit, low)  li t1, 1; slli t1, t1, bit; ori t1, t1, low

TEST_BEGIN
        li t1, -1
        csrw mcounteren, t1
        csrw scounteren, t1

        /* 1. An inhibited counter holds what is written to it. (Before it
         * ever ran: QEMU 7.2 keeps counting a counter that is inhibited
         * after it ran, see section 3.) */
        li t1, 1 << 3
        csrw mcountinhibit, t1
        csrr t2, mcountinhibit
        CHECK(1 << 3, t2, "mcountinhibit reads back HPM3")
        li t1, EV_INSTRUCTIONS
        csrw mhpmevent3, t1
        csrr t2, mhpmevent3
        CHECK(EV_INSTRUCTIONS, t2, "mhpmevent3 holds the event")
        li t1, 1000
        csrw mhpmcounter3, t1
        LOOP(50)
        csrr a0, mhpmcounter3
        CHECK(1000, a0, "inhibited mhpmcounter3 holds its value")

        /* 2. Counting retired instructions: exact on ember; QEMU counts
         * instructions only under -icount, by translation block. */
        csrw mcountinhibit, zero
        csrw mhpmcounter3, zero
        LOOP(100)
        csrr a0, mhpmcounter3
        IF_NOT_EMBER_GOTO(1f)
        CHECK(201, a0, "mhpmcounter3 counts instructions")
        j 2f
1:      li t2, 200
        bgeu a0, t2, 2f
        FAIL("mhpmcounter3 counted fewer than 200 instructions")
2:
        /* hpmcounter3 from U with mcounteren and scounteren granting it,
         * denied when scounteren does not */
        ENTER_U
        csrr a0, hpmcounter3
        ENTER_M
        CHECK_NZ(a0, "hpmcounter3 in U")
        li t1, ~(1 << 3)
        csrw scounteren, t1
        EXPECT_TRAP(1f)
        ENTER_U
2:      csrr a0, hpmcounter3
        FAIL("hpmcounter3 in U with scounteren.HPM3 = 0")
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, ENC_HPMCOUNTER3, "hpmcounter3 in U denied")
        li t1, -1
        csrw scounteren, t1
        /* scountovf is S-level */
        EXPECT_TRAP(1f)
        ENTER_U
2:      csrr a0, CSR_SCOUNTOVF
        FAIL("scountovf in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, ENC_SCOUNTOVF, "scountovf in U denied")

        /* 3. (ember) Inhibiting a counter that ran stops it (QEMU 7.2's
         * counters keep running once started); IR stops minstret; the
         * xINH bits filter instructions by privilege (QEMU 7.2 filters
         * only its TLB events); counters 19..31 read zero (QEMU 7.2 traps). */
        IF_NOT_EMBER_GOTO(3f)
        li t1, 1 << 3
        csrw mcountinhibit, t1
        csrr a0, mhpmcounter3
        LOOP(50)
        csrr a1, mhpmcounter3
        CHECKR(a0, a1, "mhpmcounter3 stops when inhibited")
        li t1, 1 << 2
        csrw mcountinhibit, t1
        csrr a0, minstret
        LOOP(50)
        csrr a1, minstret
        CHECKR(a0, a1, "minstret stops with mcountinhibit.IR")
        csrw mcountinhibit, zero
        csrr a0, minstret
        LOOP(10)
        csrr a1, minstret
        sub a1, a1, a0
        CHECK(22, a1, "minstret runs again")

        /* UINH: instructions in U are not counted */
        EVENT_WITH(UINH_BIT, EV_INSTRUCTIONS)
        csrw mhpmevent3, t1
        csrw mhpmcounter3, zero
        ENTER_U
        LOOP(1000)
        ENTER_M
        csrr a0, mhpmcounter3
        li t2, 1000
        bltu a0, t2, 1f
        FAIL("UINH: U-mode instructions counted")
1:      CHECK_NZ(a0, "UINH: M-mode instructions counted")
        /* MINH: only the U loop (and the return to M) counts */
        EVENT_WITH(MINH_BIT, EV_INSTRUCTIONS)
        csrw mhpmevent3, t1
        csrw mhpmcounter3, zero
        ENTER_U
        LOOP(1000)
        ENTER_M
        csrr a0, mhpmcounter3
        li t2, 2000
        bltu a0, t2, 2f
        li t2, 2100
        bltu a0, t2, 1f
2:      FAIL("MINH: not the U loop's instructions")
1:      LOOP(50)
        csrr a1, mhpmcounter3
        CHECKR(a0, a1, "MINH: M-mode instructions not counted")

        /* counters beyond mhpmcounter18 read zero and ignore writes */
        li t1, EV_INSTRUCTIONS
        csrw mhpmevent19, t1
        csrr a0, mhpmevent19
        CHECK(0, a0, "mhpmevent19 reads zero")
        li t1, 1234
        csrw mhpmcounter19, t1
        csrr a0, mhpmcounter19
        CHECK(0, a0, "mhpmcounter19 reads zero")
        csrr a0, hpmcounter31
        CHECK(0, a0, "hpmcounter31 reads zero")
3:
        /* 4. Data TLB read misses, filtered by MINH: loads from 8 pages
         * after a full sfence.vma miss at least 8 times. */
        EVENT_WITH(MINH_BIT, 0)
        li t2, EV_DTLB_READ
        or t1, t1, t2
        csrw mhpmevent4, t1
        csrw mhpmcounter4, zero
        sfence.vma
        LOAD_PAGES
        csrr a0, mhpmcounter4
        CHECK(0, a0, "DTLB read misses in M with MINH: not counted")
        li t1, EV_DTLB_READ
        csrw mhpmevent4, t1
        sfence.vma
        LOAD_PAGES
        csrr a0, mhpmcounter4
        li t2, 8
        bgeu a0, t2, 1f
        FAIL("fewer than 8 DTLB read misses counted")
1:      csrw mhpmevent4, zero

        /* 5. Overflow: OF set, scountovf shows it, LCOFI taken in M */
        li t1, MIP_LCOFIP
        csrw mideleg, t1
        csrr t2, mideleg
        and t2, t2, t1
        CHECK(MIP_LCOFIP, t2, "mideleg.LCOFI writable")
        csrw mideleg, zero
        csrw mie, t1
        csrr t2, mie
        CHECK(MIP_LCOFIP, t2, "mie.LCOFIE writable")
        li t1, EV_INSTRUCTIONS
        csrw mhpmevent3, t1
        li t1, -300
        csrw mhpmcounter3, t1
        /* QEMU 7.2 may have raised LCOFIP already: its overflow timer for
         * the values written above fires at once (a 2^64 - v count does
         * not fit its nanoseconds) */
        li t1, MIP_LCOFIP
        csrc mip, t1
        EXPECT_TRAP(1f)
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        SPIN_THEN_FAIL("LCOFI in M")
1:      TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_LCOF, t1, "LCOFI mcause")
        csrr a0, mhpmevent3
        srli a0, a0, OF_BIT
        CHECK(1, a0, "mhpmevent3.OF set by the overflow")
        csrr a0, CSR_SCOUNTOVF
        andi a0, a0, 1 << 3
        CHECK(1 << 3, a0, "scountovf shows counter 3")
        csrr a0, mip
        srli a0, a0, IRQ_LCOF
        andi a0, a0, 1
        CHECK(1, a0, "mip.LCOFIP pending")
        /* the interrupt comes soon after the wrap (ember: within a block,
         * then the trap handler's instructions) */
        IF_NOT_EMBER_GOTO(2f)
        csrr a0, mhpmcounter3
        li t2, 300
        bltu a0, t2, 2f
        FAIL("LCOFI taken long after the overflow")
2:      li t1, MIP_LCOFIP
        csrc mip, t1
        csrr a0, mip
        and a0, a0, t1
        CHECK(0, a0, "mip.LCOFIP cleared by software")

        /* 6. While OF is set a wrap requests nothing */
        li t1, -100
        csrw mhpmcounter3, t1
        CLEAR_TRAP_COUNT
        li t1, MSTATUS_MIE
        csrs mstatus, t1
        LOOP(1000)
        li t1, MSTATUS_MIE
        csrc mstatus, t1
        TRAP_FIELD(t1, TI_COUNT)
        CHECK(0, t1, "no LCOFI while OF is set")
        csrr a0, mip
        srli a0, a0, IRQ_LCOF
        andi a0, a0, 1
        CHECK(0, a0, "no LCOFIP while OF is set")
        IF_NOT_EMBER_GOTO(1f)
        csrr a0, mhpmcounter3
        li t2, 3000
        bltu a0, t2, 1f
        FAIL("mhpmcounter3 did not wrap")
1:
        /* 7. Delegated: LCOFI taken in S; sie, sip and scountovf show it,
         * S clears sip.LCOFIP */
        li t1, EV_INSTRUCTIONS                  /* OF clear again */
        csrw mhpmevent3, t1
        li t1, MIP_LCOFIP
        csrw mideleg, t1
        csrw mie, t1
        li t1, -2000
        csrw mhpmcounter3, t1
        li t1, MIP_LCOFIP
        csrc mip, t1
        S_EXPECT_TRAP(1f)
        ENTER_S
        csrr a0, sie
        li t1, MIP_LCOFIP
        and a0, a0, t1
        CHECK(MIP_LCOFIP, a0, "sie.LCOFIE shows mie's")
        csrsi sstatus, MSTATUS_SIE
        SPIN_THEN_FAIL("delegated LCOFI in S")
1:      S_TRAP_FIELD(t1, TI_CAUSE)
        CHECK(CAUSE_INTR | IRQ_LCOF, t1, "LCOFI scause")
        csrr a0, sip
        srli a0, a0, IRQ_LCOF
        andi a0, a0, 1
        CHECK(1, a0, "sip.LCOFIP pending")
        csrr a0, CSR_SCOUNTOVF
        andi a0, a0, 1 << 3
        CHECK(1 << 3, a0, "scountovf in S shows counter 3")
        li t1, MIP_LCOFIP
        csrc sip, t1
        csrr a0, sip
        and a0, a0, t1
        CHECK(0, a0, "sip.LCOFIP cleared from S")
        ENTER_M
        csrw mideleg, zero
        csrw mie, zero
        /* scountovf below M shows only what mcounteren grants */
        li t1, ~(1 << 3)
        csrw mcounteren, t1
        ENTER_S
        csrr a0, CSR_SCOUNTOVF
        ENTER_M
        andi a0, a0, 1 << 3
        CHECK(0, a0, "scountovf hides counter 3 without mcounteren.HPM3")

        csrw mhpmevent3, zero
        li t1, -1
        csrw mcountinhibit, t1
        csrw mcounteren, zero
        csrw scounteren, zero
        TEST_PASS

        .bss
        .balign 4096
pages:  .skip 8 * 4096
