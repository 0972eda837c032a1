/* rv64i_alu.S: RV64I register/immediate arithmetic, logic, compares, shifts
 * (including the W forms), lui and auipc, with sign-extension edge cases. */
#include "common.h"
#include "alu.h"

TEST_BEGIN
        /* add/sub: wrap-around, no overflow trap (unpriv 2.4) */
        TEST_RR(add, 1, 1, 2)
        TEST_RR(add, 0x7fffffffffffffff, 1, 0x8000000000000000)
        TEST_RR(add, -1, 1, 0)
        TEST_RR(add, 0xffffffff, 1, 0x100000000)
        TEST_RR(sub, 0, 1, -1)
        TEST_RR(sub, 0x8000000000000000, 1, 0x7fffffffffffffff)
        TEST_RR(sub, 5, 7, -2)
        TEST_RI(addi, 0, -2048, -2048)
        TEST_RI(addi, 0, 2047, 2047)
        TEST_RI(addi, 0x7fffffffffffffff, 1, 0x8000000000000000)
        TEST_RI(addi, 0x100000000, -1, 0xffffffff)

        /* W forms: 32-bit result sign-extended to 64 (unpriv 5.2) */
        TEST_RR(addw, 0x7fffffff, 1, 0xffffffff80000000)
        TEST_RR(addw, 0xffffffff, 1, 0)
        TEST_RR(addw, 0x123456789, 0, 0x23456789)
        TEST_RR(addw, 0x17fffffff, 0x100000000, 0x7fffffff)
        TEST_RR(subw, 0, 0x80000000, 0xffffffff80000000)
        TEST_RR(subw, 0x80000000, 1, 0x7fffffff)
        TEST_RR(subw, 1, 2, -1)
        TEST_RI(addiw, 0x7fffffff, 1, 0xffffffff80000000)
        TEST_RI(addiw, 0xffffffff, 0, -1)           /* sext.w */
        TEST_RI(addiw, 0x180000000, 0, 0xffffffff80000000)
        TEST_RI(addiw, 0, -2048, -2048)

        /* compares */
        TEST_RR(slt, -1, 0, 1)
        TEST_RR(slt, 0, -1, 0)
        TEST_RR(slt, 5, 5, 0)
        TEST_RR(slt, 0x8000000000000000, 0x7fffffffffffffff, 1)
        TEST_RR(sltu, 0, -1, 1)
        TEST_RR(sltu, -1, 0, 0)
        TEST_RR(sltu, 5, 5, 0)
        TEST_RR(sltu, 0x7fffffffffffffff, 0x8000000000000000, 1)
        TEST_RI(slti, -1, 0, 1)
        TEST_RI(slti, 0, -1, 0)
        TEST_RI(slti, -2049, -2048, 1)
        TEST_RI(sltiu, 5, -1, 1)        /* imm sign-extends, then unsigned */
        TEST_RI(sltiu, -1, -1, 0)
        TEST_RI(sltiu, 0, 1, 1)         /* seqz */
        TEST_RI(sltiu, 7, 1, 0)

        /* logic, immediates sign-extended */
        TEST_RR(and, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0x0f000f000f000f00)
        TEST_RR(or,  0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xfff0fff0fff0fff0)
        TEST_RR(xor, 0xff00ff00ff00ff00, 0x0ff00ff00ff00ff0, 0xf0f0f0f0f0f0f0f0)
        TEST_RI(andi, 0x123456789abcdef0, -1, 0x123456789abcdef0)
        TEST_RI(andi, 0x123456789abcdef0, 0x7ff, 0x6f0)
        TEST_RI(andi, 0x123456789abcdef0, -2048, 0x123456789abcd800)
        TEST_RI(ori,  0x1000000000000000, -2048, 0xfffffffffffff800)
        TEST_RI(ori,  0x10, 0x0f, 0x1f)
        TEST_RI(xori, 0x123456789abcdef0, -1, 0xedcba9876543210f)  /* not */
        TEST_RI(xori, 0xff, 0x0f, 0xf0)

        /* 64-bit shifts: amount is rs2[5:0] (unpriv 5.2) */
        TEST_RR(sll, 1, 63, 0x8000000000000000)
        TEST_RR(sll, 1, 64, 1)
        TEST_RR(sll, 0x123, 0x104, 0x1230)
        TEST_RR(srl, 0x8000000000000000, 63, 1)
        TEST_RR(srl, -1, 1, 0x7fffffffffffffff)
        TEST_RR(srl, -1, 64, -1)
        TEST_RR(sra, 0x8000000000000000, 63, -1)
        TEST_RR(sra, 0x8000000000000000, 1, 0xc000000000000000)
        TEST_RR(sra, 0x4000000000000000, 62, 1)
        TEST_RI(slli, 1, 63, 0x8000000000000000)
        TEST_RI(slli, 0xffffffff, 32, 0xffffffff00000000)
        TEST_RI(srli, 0x8000000000000000, 63, 1)
        TEST_RI(srli, -1, 32, 0xffffffff)
        TEST_RI(srai, 0x8000000000000000, 63, -1)
        TEST_RI(srai, 0x8000000000000000, 32, 0xffffffff80000000)
        TEST_RI(srai, 0x7fffffffffffffff, 62, 1)

        /* 32-bit shifts: amount is rs2[4:0], source is rs1[31:0],
         * result sign-extended */
        TEST_RR(sllw, 1, 31, 0xffffffff80000000)
        TEST_RR(sllw, 1, 32, 1)
        TEST_RR(sllw, 0xffffffff00000001, 4, 0x10)
        TEST_RR(sllw, 3, 31, 0xffffffff80000000)
        TEST_RR(srlw, 0xffffffff80000000, 31, 1)
        TEST_RR(srlw, 0xffffffff80000000, 0, 0xffffffff80000000)
        TEST_RR(srlw, 0xffffffff80000000, 1, 0x40000000)
        TEST_RR(srlw, 0x123456789, 32, 0x23456789)
        TEST_RR(sraw, 0x80000000, 31, -1)
        TEST_RR(sraw, 0x80000000, 4, 0xfffffffff8000000)
        TEST_RR(sraw, 0x7fffffff00000000, 1, 0)
        TEST_RI(slliw, 1, 31, 0xffffffff80000000)
        TEST_RI(slliw, 0x12345678, 4, 0x23456780)
        TEST_RI(slliw, 0x80000001, 0, 0xffffffff80000001)
        TEST_RI(srliw, 0x80000000, 31, 1)
        TEST_RI(srliw, 0xffffffff, 0, -1)
        TEST_RI(srliw, 0xffffffff, 1, 0x7fffffff)
        TEST_RI(sraiw, 0x80000000, 31, -1)
        TEST_RI(sraiw, 0xf0000000, 4, 0xffffffffff000000)
        TEST_RI(sraiw, 0xffffffff7fffffff, 30, 1)

        /* writes to x0 are discarded */
        li a0, 123
        add x0, a0, a0
        addi x0, x0, 5
        mv a1, x0
        CHECK(0, a1, "x0 stays zero")

        /* rd == rs1 == rs2 */
        li a0, 21
        add a0, a0, a0
        CHECK(42, a0, "add a0,a0,a0")

        /* lui: imm << 12, sign-extended from bit 31 (unpriv 5.2) */
        lui a0, 0x80000
        CHECK(0xffffffff80000000, a0, "lui 0x80000")
        lui a0, 0x7ffff
        CHECK(0x7ffff000, a0, "lui 0x7ffff")
        lui a0, 0xfffff
        CHECK(0xfffffffffffff000, a0, "lui 0xfffff")
        lui a0, 1
        addi a0, a0, -1
        CHECK(0xfff, a0, "lui+addi")

        /* auipc: pc of the auipc + sign-extended (imm << 12) */
auipc0: auipc a0, 0
        CHECK_ADDR(auipc0, a0, "auipc 0")
auipc1: auipc a0, 1
        la a1, auipc1
        sub a0, a0, a1
        CHECK(0x1000, a0, "auipc 1")
auipc2: auipc a0, 0xfffff
        la a1, auipc2
        sub a0, a0, a1
        CHECK(-0x1000, a0, "auipc -1")
auipc3: auipc a0, 0x80000
        la a1, auipc3
        sub a0, a0, a1
        CHECK(0xffffffff80000000, a0, "auipc 0x80000")

        TEST_PASS
