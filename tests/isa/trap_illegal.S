/* trap_illegal.S: illegal-instruction exceptions (cause 2) with mepc at the
 * instruction and mtval = the instruction bits (privileged spec 3.1.16). */
#include "common.h"
#include "alu.h"

#define ILLEGAL16(insn, name)                   \
        EXPECT_TRAP(1f);                        \
2:      .2byte insn;                            \
        FAIL(name " did not trap");             \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, insn, name)

TEST_BEGIN
        .option push
        .option norvc
        /* the all-zero 16-bit parcel is defined illegal (unpriv 16.1);
         * mtval holds its bits (0) */
        ILLEGAL16(0x0000, "all-zero parcel")
        ILLEGAL32(0x00000000, "all-zero word")
        /* reserved major opcode 1101011 */
        ILLEGAL32(0x0000006b, "reserved opcode 0x6b")
        /* OP with an unassigned funct7 */
        ILLEGAL32(0xfe000033, "OP funct7 0x7f")
        /* slliw with shamt[5] set is reserved on RV64 (unpriv 5.2) */
        ILLEGAL32(0x0205151b, "slliw shamt 32")
        /* LOAD with funct3 = 7 (no such width) */
        ILLEGAL32(0x00057503, "load funct3 7")
        /* STORE with funct3 = 4 */
        ILLEGAL32(0x00a54023, "store funct3 4")
        /* BRANCH with funct3 = 2 */
        ILLEGAL32(0x00a52063, "branch funct3 2")
        /* c.addi4spn with a zero immediate is reserved (unpriv 16.5) */
        ILLEGAL16(0x0004, "c.addi4spn imm 0")
        /* c.lui with a zero immediate is reserved */
        ILLEGAL16(0x6501, "c.lui imm 0")
        /* c.addi16sp with a zero immediate is reserved */
        ILLEGAL16(0x6101, "c.addi16sp imm 0")
        /* c.lwsp with rd = x0 is reserved */
        ILLEGAL16(0x4002, "c.lwsp rd 0")
        /* c.jr with rs1 = x0 is reserved */
        ILLEGAL16(0x8002, "c.jr x0")

        /* CSRs that do not exist (custom ranges, none implemented) */
        ILLEGAL32(0x7c002573, "csrr 0x7c0")          /* csrr a0, 0x7c0 */
        ILLEGAL32(0xfff02573, "csrr 0xfff")          /* csrr a0, 0xfff */
        /* writes to read-only CSRs (CSR number bits 11:10 == 3) */
        ILLEGAL32(0xf1151073, "csrw mvendorid")      /* csrw mvendorid, a0 */
        ILLEGAL32(0xf1405073, "csrwi mhartid, 0")    /* a write even of 0 */
        ILLEGAL32(0xc0001073, "csrw cycle")          /* csrw cycle, zero */
        li a0, 1
        ILLEGAL32(0xf1452073, "csrs mhartid, a0=1")  /* rs1 != x0: a write */
        /* rs1 != x0 holding zero is still a write attempt (unpriv 9.1).
         * QEMU 7.2 decides on the value instead and does not trap. */
        IF_NOT_EMBER_GOTO(3f)
        li a0, 0
        ILLEGAL32(0xf1452073, "csrs mhartid, a0=0")
3:
        .option pop
        /* but csrrs/csrrc with rs1 = x0 and csrrsi with 0 only read
         * (unpriv 9.1), so they do not trap */
        csrrs a0, mhartid, zero
        csrrc a0, mvendorid, zero
        csrrsi a0, mimpid, 0
        csrrci a0, marchid, 0

        /* an M-mode CSR from S-mode, an S-mode CSR from U-mode */
        ENTER_S
        EXPECT_TRAP(1f)
s1:     csrr a0, mstatus
        FAIL("csrr mstatus in S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s1, 0x30002573, "csrr mstatus in S")
        TRAP_FIELD(t0, TI_STATUS)
        srli t0, t0, 11
        andi t0, t0, 3
        CHECK(PRV_S, t0, "csrr mstatus in S: MPP")
        ENTER_S
        EXPECT_TRAP(1f)
s2:     csrw mscratch, a0
        FAIL("csrw mscratch in S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s2, 0x34051073, "csrw mscratch in S")
        ENTER_U
        EXPECT_TRAP(1f)
u1:     csrr a0, sstatus
        FAIL("csrr sstatus in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, u1, 0x10002573, "csrr sstatus in U")
        TRAP_FIELD(t0, TI_STATUS)
        srli t0, t0, 11
        andi t0, t0, 3
        CHECK(PRV_U, t0, "csrr sstatus in U: MPP")
        ENTER_U
        EXPECT_TRAP(1f)
u2:     csrr a0, mhartid
        FAIL("csrr mhartid in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, u2, 0xf1402573, "csrr mhartid in U")
        /* privileged instructions from too low a mode */
        ENTER_S
        EXPECT_TRAP(1f)
s3:     mret
        FAIL("mret in S")
1:      CHECK_TRAP(CAUSE_ILLEGAL, s3, 0x30200073, "mret in S")
        ENTER_U
        EXPECT_TRAP(1f)
u3:     sret
        FAIL("sret in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, u3, 0x10200073, "sret in U")
        ENTER_U
        EXPECT_TRAP(1f)
u4:     sfence.vma
        FAIL("sfence.vma in U")
1:      CHECK_TRAP(CAUSE_ILLEGAL, u4, 0x12000073, "sfence.vma in U")
        TEST_PASS
