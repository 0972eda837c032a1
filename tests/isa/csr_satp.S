/* csr_satp.S: satp is WARL: Bare, Sv39 and Sv48 are accepted; an
 * unsupported MODE (reserved 5 and 15) leaves satp unchanged (4.1.11). */
#include "common.h"

TEST_BEGIN
        /* Sv39 with a PPN: accepted. Translation is not used in M. */
        li t1, SATP_MODE_SV39 | 0x80123
        csrw satp, t1
        csrr t2, satp
        srli t3, t2, 60
        CHECK(8, t3, "satp.MODE = Sv39")
        li t3, 0xfffffffffff
        and t3, t2, t3
        CHECK(0x80123, t3, "satp.PPN with Sv39")
        /* Sv48 */
        li t1, SATP_MODE_SV48 | 0x80456
        csrw satp, t1
        csrr t2, satp
        srli t3, t2, 60
        CHECK(9, t3, "satp.MODE = Sv48")
        li t3, 0xfffffffffff
        and t3, t2, t3
        CHECK(0x80456, t3, "satp.PPN with Sv48")
        /* reserved mode 5: no change at all (priv 4.1.11) */
        li t1, (5 << 60) | 0x80789
        csrw satp, t1
        csrr t3, satp
        CHECKR(t2, t3, "satp unchanged by MODE 5")
        /* reserved mode 15 */
        li t1, (15 << 60) | 0x80789
        csrw satp, t1
        csrr t3, satp
        CHECKR(t2, t3, "satp unchanged by MODE 15")
        /* Sv57 (10): accepted, as on QEMU 7.2 (-cpu rv64,sv57=off on ember
         * leaves it unchanged) */
        li t1, (10 << 60) | 0x80789
        csrw satp, t1
        csrr t3, satp
        CHECKR(t1, t3, "satp = MODE 10 (Sv57)")
        /* Bare: accepted */
        csrw satp, zero
        csrr t3, satp
        CHECK(0, t3, "satp = Bare")
        TEST_PASS
