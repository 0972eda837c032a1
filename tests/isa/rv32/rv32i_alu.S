/* rv32i_alu.S: RV32I register/immediate arithmetic, logic, compares,
 * shifts (5-bit amounts), lui and auipc on 32-bit registers, and misa's
 * MXL = 1. The RV32 example of the ISA tests: README.md here. */
#include "common.h"
#include "alu.h"

TEST_BEGIN
        /* XLEN 32: misa.MXL (bits 31:30) is 1 (privileged spec 3.1.1) */
        csrr a0, misa
        srli a0, a0, 30
        CHECK(1, a0, "misa.MXL")
        /* a register holds 32 bits: -1 >> 31 (logical) is 1 */
        li a0, -1
        srli a0, a0, 31
        CHECK(1, a0, "xlen")

        /* add/sub wrap at 32 bits, no overflow trap (unpriv 2.4) */
        TEST_RR(add, 1, 1, 2)
        TEST_RR(add, 0x7fffffff, 1, 0x80000000)
        TEST_RR(add, 0xffffffff, 1, 0)
        TEST_RR(add, 0x80000000, 0x80000000, 0)
        TEST_RR(sub, 0, 1, 0xffffffff)
        TEST_RR(sub, 0x80000000, 1, 0x7fffffff)
        TEST_RR(sub, 5, 7, -2)
        TEST_RI(addi, 0, -2048, -2048)
        TEST_RI(addi, 0, 2047, 2047)
        TEST_RI(addi, 0x7fffffff, 1, 0x80000000)
        TEST_RI(addi, 0xffffffff, 1, 0)

        /* compares, signed and unsigned at bit 31 */
        TEST_RR(slt, -1, 0, 1)
        TEST_RR(slt, 0, -1, 0)
        TEST_RR(slt, 5, 5, 0)
        TEST_RR(slt, 0x80000000, 0x7fffffff, 1)
        TEST_RR(sltu, 0, -1, 1)
        TEST_RR(sltu, -1, 0, 0)
        TEST_RR(sltu, 0x7fffffff, 0x80000000, 1)
        TEST_RI(slti, -1, 0, 1)
        TEST_RI(slti, 0x80000000, -2048, 1)
        TEST_RI(slti, -2049, -2048, 1)
        TEST_RI(sltiu, 5, -1, 1)        /* imm sign-extends to 0xffffffff */
        TEST_RI(sltiu, -1, -1, 0)
        TEST_RI(sltiu, 0, 1, 1)         /* seqz */

        /* logic, immediates sign-extended to 32 bits */
        TEST_RR(and, 0xff00ff00, 0x0ff00ff0, 0x0f000f00)
        TEST_RR(or,  0xff00ff00, 0x0ff00ff0, 0xfff0fff0)
        TEST_RR(xor, 0xff00ff00, 0x0ff00ff0, 0xf0f0f0f0)
        TEST_RI(andi, 0x9abcdef0, 0x7ff, 0x6f0)
        TEST_RI(andi, 0x9abcdef0, -2048, 0x9abcd800)
        TEST_RI(ori,  0x10000000, -2048, 0xfffff800)
        TEST_RI(xori, 0x12345678, -1, 0xedcba987)   /* not */

        /* shifts: amount is rs2[4:0] (unpriv 2.4.2) */
        TEST_RR(sll, 1, 31, 0x80000000)
        TEST_RR(sll, 1, 32, 1)
        TEST_RR(sll, 0x123, 0x104, 0x1230)
        TEST_RR(srl, 0x80000000, 31, 1)
        TEST_RR(srl, -1, 1, 0x7fffffff)
        TEST_RR(srl, -1, 32, -1)
        TEST_RR(sra, 0x80000000, 31, -1)
        TEST_RR(sra, 0x80000000, 4, 0xf8000000)
        TEST_RR(sra, 0x40000000, 63, 0)   /* 63 & 31 = 31 */
        TEST_RI(slli, 3, 30, 0xc0000000)
        TEST_RI(srli, 0xc0000000, 30, 3)
        TEST_RI(srai, 0xc0000000, 30, -1)
        TEST_RI(srai, 0x7fffffff, 0, 0x7fffffff)

        /* lui fills bits 31:12 (no sign-extension beyond XLEN to see) */
        lui a0, 0x80000
        CHECK(0x80000000, a0, "lui 0x80000")
        lui a0, 0xfffff
        CHECK(0xfffff000, a0, "lui 0xfffff")
        /* auipc: pc + imm << 12, wrapping at 32 bits */
1:      auipc a0, 0
        la a1, 1b
        CHECKR(a1, a0, "auipc 0")
2:      auipc a0, 0x80000             /* pc + 0x80000000 */
        la a1, 2b
        li a2, 0x80000000
        add a1, a1, a2
        CHECKR(a1, a0, "auipc 0x80000")

        /* x0 stays zero */
        li a0, 5
        add x0, a0, a0
        CHECK(0, x0, "x0")
        TEST_PASS
