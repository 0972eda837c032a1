/* rv32_csr_high.S: RV32's CSRs: misa.MXL, mstatush (MBE = SBE = 0), the
 * counters' high halves (cycleh, instreth, timeh, mcycleh, minstreth),
 * menvcfgh's STCE and stimecmph (Sstc), pmpcfg1/pmpcfg3, and mcause's
 * interrupt bit 31. Runs on QEMU's virt (spike has no time CSR). */
#include "common.h"

#define CSR_MSTATUSH   0x310
#define CSR_MENVCFGH   0x31a
#define CSR_STIMECMPH  0x15d

TEST_BEGIN
        csrr a0, misa
        srli a1, a0, 30
        CHECK(1, a1, "misa.MXL")
        andi a1, a0, 1 << ('I' - 'A')
        CHECK(1 << ('I' - 'A'), a1, "misa.I")
        csrr a0, CSR_MSTATUSH
        CHECK(0, a0, "mstatush")
        /* QEMU 7.2 has the H extension's MPV and GVA there */
        IF_NOT_EMBER_GOTO(2f)
        li a0, -1
        csrw CSR_MSTATUSH, a0
        csrr a0, CSR_MSTATUSH
        CHECK(0, a0, "mstatush read-only zero (little-endian)")
2:

        /* mcycle's halves write separately; the high one holds */
        csrw mcountinhibit, 1           /* stop mcycle (bit CY) */
        li a0, 0x12345678
        csrw mcycleh, a0
        li a1, 0xfffffff0
        csrw mcycle, a1
        csrr a2, mcycleh
        CHECK(0x12345678, a2, "mcycleh")
        csrr a2, mcycle
        CHECK(0xfffffff0, a2, "mcycle")
        csrw mcountinhibit, 0
        /* minstret counts on into minstreth across the wrap (QEMU 7.2
         * counts each half from its own write, without the carry) */
        IF_NOT_EMBER_GOTO(3f)
        csrw minstreth, zero
        li a0, 0xfffffff0
        csrw minstret, a0
        nop; nop; nop; nop; nop; nop; nop; nop
        nop; nop; nop; nop; nop; nop; nop; nop
        nop; nop; nop; nop
        csrr a1, minstreth
        CHECK(1, a1, "minstreth after the low word wrapped")
        /* the unprivileged views agree: instreth, cycleh */
        li a0, 7
        csrw mcounteren, a0
        rdinstreth a1
        CHECK(1, a1, "instreth")
3:      li a0, 7
        csrw mcounteren, a0
        csrr a0, mcycleh
        rdcycleh a1
        sub a1, a1, a0
        sltiu a1, a1, 2
        CHECK(1, a1, "cycleh follows mcycleh")
        /* timeh, then time, then timeh again: a 64-bit time as Linux reads it */
1:      rdtimeh a0
        rdtime a1
        rdtimeh a2
        bne a0, a2, 1b
        CHECK(0, a0, "timeh (a young machine)")

        /* menvcfgh: STCE is bit 63 of menvcfg, so bit 31 here */
        li a0, 0x80000000
        csrs CSR_MENVCFGH, a0
        csrr a1, CSR_MENVCFGH
        srli a1, a1, 31
        CHECK(1, a1, "menvcfgh.STCE")
        /* stimecmp's halves */
        li a0, 0x11223344
        csrw CSR_STIMECMPH, a0
        li a0, 0x55667788
        csrw stimecmp, a0
        csrr a1, CSR_STIMECMPH
        CHECK(0x11223344, a1, "stimecmph")
        csrr a1, stimecmp
        CHECK(0x55667788, a1, "stimecmp")
        li a0, -1
        csrw CSR_STIMECMPH, a0
        csrw stimecmp, a0
        csrw CSR_MENVCFGH, zero

        /* pmpcfg1 and pmpcfg3 exist on RV32: entries 4-7 and 12-15 */
        li a0, 0x0f000000 | PMP_R
        csrw pmpcfg1, a0
        csrr a1, pmpcfg1
        li a2, 0xff
        and a1, a1, a2
        CHECK(PMP_R, a1, "pmpcfg1 entry 4")
        csrw pmpcfg1, zero
        csrr a1, pmpcfg3
        CHECK(0, a1, "pmpcfg3")

        /* mcause: the interrupt bit is 31 */
        li a0, 0x80000007
        csrw mcause, a0
        csrr a1, mcause
        CHECK(0x80000007, a1, "mcause interrupt bit")
        csrw mcause, zero
        TEST_PASS
