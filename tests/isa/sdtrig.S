/* sdtrig.S: Sdtrig triggers raising breakpoint exceptions (debug spec 1.0,
 * chapter 5): tselect's range, mcontrol6 on execute, load and store in the
 * modes it names, an icount of two, and delegation of the breakpoint. */
#include "common.h"

#define CSR_TSELECT 0x7a0
#define CSR_TDATA1 0x7a1
#define CSR_TDATA2 0x7a2
#define CSR_TINFO 0x7a4

/* mcontrol6 (type 6) and icount (type 3) in tdata1, RV64 */
#define MC6 (6 << 60)
#define MC_LOAD (1 << 0)
#define MC_STORE (1 << 1)
#define MC_EXEC (1 << 2)
#define MC_U (1 << 3)
#define MC_S (1 << 4)
#define ICOUNT (3 << 60)
#define IC_S (1 << 7)
#define IC_COUNT(n) ((n) << 10)

/* mcause and mepc of a trigger's breakpoint, and mtval = its address as
 * the privileged spec (3.1.16) requires for hardware breakpoints. QEMU 7.2
 * writes 0 to mtval there, so its value is checked on ember only. */
#define CHECK_BREAKPOINT(epclbl, tvallbl, name)         \
        TRAP_FIELD(t0, TI_CAUSE);                       \
        CHECK(CAUSE_BREAKPOINT, t0, name " mcause");    \
        TRAP_FIELD(t0, TI_EPC);                         \
        CHECK_ADDR(epclbl, t0, name " mepc");           \
        IF_NOT_EMBER_GOTO(103f);                        \
        TRAP_FIELD(t0, TI_TVAL);                        \
        CHECK_ADDR(tvallbl, t0, name " mtval");         \
103:

/* tdata1 of the selected trigger = value */
#define SET_TDATA1(value) li t1, value; csrw CSR_TDATA1, t1
/* an address trigger that matches in no mode: never fires */
#define DISARM SET_TDATA1(MC6)

TEST_BEGIN
        /* Two triggers: selecting 0 and 1 sticks, 2 leaves 1 selected. */
        csrw CSR_TSELECT, zero
        csrr t1, CSR_TSELECT
        CHECK(0, t1, "tselect 0")
        li t1, 1
        csrw CSR_TSELECT, t1
        csrr t1, CSR_TSELECT
        CHECK(1, t1, "tselect 1")
        li t1, 2
        csrw CSR_TSELECT, t1
        csrr t1, CSR_TSELECT
        CHECK(1, t1, "tselect 2 does not exist")
        csrw CSR_TSELECT, zero
        csrr t1, CSR_TINFO
        andi t1, t1, 1 << 6
        CHECK(1 << 6, t1, "tinfo offers mcontrol6")

        /* Execute in S: fires before the instruction, mepc = mtval = it. */
        la t1, exec_target
        csrw CSR_TDATA2, t1
        SET_TDATA1(MC6 | MC_EXEC | MC_S)
        csrr t2, CSR_TDATA1
        CHECKR(t1, t2, "tdata1 keeps mcontrol6 execute S")
        EXPECT_TRAP(1f)
        ENTER_S
        nop
exec_target:
        nop
        FAIL("execute trigger did not fire")
1:      CHECK_BREAKPOINT(exec_target, exec_target, "execute trigger")

        /* The same trigger does not match in U. */
        la t1, u_target
        csrw CSR_TDATA2, t1
        ENTER_U
u_target:
        nop
        ENTER_M
        DISARM

        /* Load in S: fires before the load, mtval = the address. */
        la t1, watched
        csrw CSR_TDATA2, t1
        SET_TDATA1(MC6 | MC_LOAD | MC_S)
        la t3, watched
        EXPECT_TRAP(1f)
        ENTER_S
load_insn:
        ld t4, 0(t3)
        FAIL("load trigger did not fire")
1:      CHECK_BREAKPOINT(load_insn, watched, "load trigger")
        /* a store there is not a load */
        ENTER_S
        sd zero, 0(t3)
        ENTER_M

        /* Store in S, on trigger 1, at a byte inside a doubleword store. */
        li t1, 1
        csrw CSR_TSELECT, t1
        la t1, watched + 4
        csrw CSR_TDATA2, t1
        SET_TDATA1(MC6 | MC_STORE | MC_S)
        csrw CSR_TSELECT, zero
        DISARM
        li t4, 0x1234
        EXPECT_TRAP(1f)
        ENTER_S
store_insn:
        sd t4, 0(t3)
        FAIL("store trigger did not fire")
1:      CHECK_BREAKPOINT(store_insn, watched, "store trigger")
        ld t1, 0(t3)
        CHECK(0, t1, "the store did not happen")
        li t1, 1
        csrw CSR_TSELECT, t1
        DISARM
        csrw CSR_TSELECT, zero

        /* Delegated (medeleg bit 3): an execute trigger in U traps to S. */
        li t1, 1 << CAUSE_BREAKPOINT
        csrw medeleg, t1
        la t1, deleg_target
        csrw CSR_TDATA2, t1
        SET_TDATA1(MC6 | MC_EXEC | MC_U)
        ENTER_S
        S_EXPECT_TRAP(2f)
        li t1, MSTATUS_SPP
        csrc sstatus, t1
        la t1, deleg_target
        csrw sepc, t1
        sret
        FAIL("sret to U")
deleg_target:
        nop
        FAIL("delegated trigger did not fire")
2:      S_TRAP_FIELD(t0, TI_CAUSE)
        CHECK(CAUSE_BREAKPOINT, t0, "delegated trigger scause")
        S_TRAP_FIELD(t0, TI_EPC)
        CHECK_ADDR(deleg_target, t0, "delegated trigger sepc")
        ENTER_M
        IF_NOT_EMBER_GOTO(3f)
        S_TRAP_FIELD(t0, TI_TVAL)
        CHECK_ADDR(deleg_target, t0, "delegated trigger stval")
3:
        csrw medeleg, zero
        DISARM

        /* icount 2 in S: two S instructions retire, the third traps. */
        csrr t1, CSR_TINFO
        andi t1, t1, 1 << 3
        beqz t1, no_icount
        SET_TDATA1(ICOUNT | IC_S | IC_COUNT(2))
        EXPECT_TRAP(1f)
        ENTER_S
        nop
        nop
icount_target:
        nop
        FAIL("icount trigger did not fire")
1:      CHECK_TRAP(CAUSE_BREAKPOINT, icount_target, 0, "icount trigger")
        DISARM
no_icount:
        TEST_PASS

        .data
        .balign 8
watched:
        .dword 0
