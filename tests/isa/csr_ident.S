/* csr_ident.S: misa (MXL = 2, I M A C S U set; exactly those on ember),
 * mvendorid/marchid/mimpid (0 on ember), mhartid = 0. */
#include "common.h"

#define MISA_BIT(c)  (1 << ((c) - 'A'))
#define MISA_EMBER   (MISA_BIT('I') | MISA_BIT('M') | MISA_BIT('A') | MISA_BIT('F') | MISA_BIT('D') | MISA_BIT('C') | MISA_BIT('S') | MISA_BIT('U'))

TEST_BEGIN
        csrr s0, misa
        srli t1, s0, 62
        CHECK(2, t1, "misa.MXL = 2 (RV64)")
        li t2, MISA_EMBER
        and t1, s0, t2
        CHECKR(t2, t1, "misa has I M A C S U")
        /* bits 61:26 are zero (priv 3.1.1) */
        slli t1, s0, 2
        srli t1, t1, 28
        CHECK(0, t1, "misa bits 61:26 zero")
        /* E is never set together with I */
        andi t1, s0, MISA_BIT('E')
        CHECK(0, t1, "misa.E clear")
        csrr t1, mhartid
        CHECK(0, t1, "mhartid")

        /* ember is exactly RV64IMAFDCSU with zero IDs; QEMU's spike CPU also
         * has H and non-zero marchid/mimpid */
        IF_NOT_EMBER_GOTO(1f)
        li t1, 0x8000000000000000 | MISA_EMBER
        CHECKR(t1, s0, "misa exact on ember")
        csrr t1, mvendorid
        CHECK(0, t1, "mvendorid")
        csrr t1, marchid
        CHECK(0, t1, "marchid")
        csrr t1, mimpid
        CHECK(0, t1, "mimpid")
1:
        /* the ID CSRs read the same twice and ignore csrrs with x0 */
        csrr t1, mvendorid
        csrrs t2, mvendorid, zero
        CHECKR(t1, t2, "mvendorid stable")
        /* misa is readable from M only */
        ENTER_S
        EXPECT_TRAP(1f)
s1:     csrr t1, misa
        FAIL("misa from S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s1, 0x30102373, "csrr misa in S")
        TEST_PASS
