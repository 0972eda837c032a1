/* rv64i_jump.S: jal and jalr targets and link values, jalr clearing bit 0
 * of the target, rd == rs1, x0 as link register, jumps right after the op
 * computing their target. */
#include "common.h"

TEST_BEGIN
        /* jal: rd = pc + 4, jump forwards */
        li a0, 0
j1:     jal a1, 1f
        li a0, 1                        /* skipped */
1:      CHECK(0, a0, "jal skipped insn")
        la a2, j1 + 4
        CHECKR(a2, a1, "jal link")

        /* jal backwards */
        j 3f
2:      li a0, 77
        j 4f
3:      jal x0, 2b
        FAIL("jal back")
4:      CHECK(77, a0, "jal back target")

        /* jalr with offset; link = pc + 4 */
        la a0, 5f - 8
j2:     jalr a1, 8(a0)
        FAIL("jalr offset")
5:      CHECK_ADDR(j2 + 4, a1, "jalr link")

        /* jalr clears bit 0 of rs1 + imm (unpriv 2.5) */
        la a0, 6f
        addi a0, a0, 1
        jalr a1, 0(a0)
        FAIL("jalr odd target")
6:      la a0, 7f
        jalr a1, 1(a0)                  /* odd via the immediate */
        FAIL("jalr odd imm")
7:      la a0, 8f + 3
        jalr a1, -2(a0)                 /* +1 after adding: cleared */
        FAIL("jalr odd sum")
8:
        /* rd == rs1: target computed from the old value */
        la a1, 9f
j3:     jalr a1, 0(a1)
        FAIL("jalr rd==rs1")
9:      CHECK_ADDR(j3 + 4, a1, "jalr rd==rs1 link")

        /* jalr with x0 (plain indirect jump) and negative offset */
        la a0, 10f + 16
        jalr x0, -16(a0)
        FAIL("jalr x0")
10:
        /* computed jumps and a call right after the op that makes their
         * target or operand (an ld or add, its operand forwarded) */
        la a4, jump_table
        li a1, 1
        slli a5, a1, 3
        add a5, a5, a4
        ld a5, 0(a5)
        jr a5
        FAIL("jr after ld")
jump_after_ld:
        la a4, jump_after_add
        li a1, 0
        slli a5, a1, 2
        add a5, a5, a4
        jr a5
        FAIL("jr after add")
jump_after_add:
        la a4, jump_table
        ld a0, 8(a4)
        jal 11f
        FAIL("jal after ld")
11:     la a1, jump_after_ld
        CHECKR(a1, a0, "ld then jal")

        /* call/ret */
        li a0, 5
        call double_it
        CHECK(10, a0, "call/ret")
        TEST_PASS

double_it:
        add a0, a0, a0
        ret

        .data
        .balign 8
jump_table:
        .dword 0, jump_after_ld
