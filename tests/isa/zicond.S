/* zicond.S: Zicond integer conditional operations: czero.eqz and czero.nez
 * (rs2 tested on all 64 bits), register aliasing, rd = x0, the select idiom.
 * Needs -cpu rv64,zicond=on (off by default); QEMU 7.2 lacks Zicond. */
#include "common.h"

/* binutils 2.40 does not know Zicond: its two instructions by their
 * encodings (OP, funct7 0000111, funct3 101 and 111) */
.macro czero.eqz rd, rs1, rs2
        .insn r OP, 5, 7, \rd, \rs1, \rs2
.endm
.macro czero.nez rd, rs1, rs2
        .insn r OP, 7, 7, \rd, \rs1, \rs2
.endm

#include "alu.h"

TEST_BEGIN
        /* czero.eqz: rd = rs2 == 0 ? 0 : rs1; all 64 bits of rs2 count */
        TEST_RR(czero.eqz, 5, 0, 0)
        TEST_RR(czero.eqz, 5, 1, 5)
        TEST_RR(czero.eqz, -1, 0x8000000000000000, 0xffffffffffffffff)
        TEST_RR(czero.eqz, -1, 0x100000000, 0xffffffffffffffff)
        TEST_RR(czero.eqz, 0x123456789abcdef0, -1, 0x123456789abcdef0)
        TEST_RR(czero.eqz, 0, 7, 0)
        TEST_RR(czero.eqz, -1, 0, 0)
        TEST_RR(czero.eqz, 0x8000000000000000, 0x80000000, 0x8000000000000000)

        /* czero.nez: rd = rs2 != 0 ? 0 : rs1 */
        TEST_RR(czero.nez, 5, 0, 5)
        TEST_RR(czero.nez, 5, 1, 0)
        TEST_RR(czero.nez, -1, 0x8000000000000000, 0)
        TEST_RR(czero.nez, -1, 0x100000000, 0)
        TEST_RR(czero.nez, 0x123456789abcdef0, 0, 0x123456789abcdef0)
        TEST_RR(czero.nez, 0, 0, 0)
        TEST_RR(czero.nez, -1, 0, 0xffffffffffffffff)
        TEST_RR(czero.nez, 0x8000000000000000, 0x80000000, 0)

        /* register aliasing and x0 as a source */
        TEST_SAME(czero.eqz, 7, 7)
        TEST_SAME(czero.eqz, 0, 0)
        TEST_SAME(czero.eqz, 0x8000000000000000, 0x8000000000000000)
        TEST_SAME(czero.nez, 7, 0)
        TEST_SAME(czero.nez, 0, 0)
        TEST_RD_RS1(czero.eqz, 0x1234, 1, 0x1234)
        TEST_RD_RS1(czero.eqz, 0x1234, 0, 0)
        TEST_RD_RS2(czero.eqz, 0x1234, -1, 0x1234)
        TEST_RD_RS2(czero.eqz, 0x1234, 0, 0)
        TEST_RD_RS1(czero.nez, 0x1234, 1, 0)
        TEST_RD_RS1(czero.nez, 0x1234, 0, 0x1234)
        TEST_RD_RS2(czero.nez, 0x1234, 0, 0x1234)
        TEST_RD_RS2(czero.nez, 0x1234, 0x400, 0)
        TEST_X0_RS2(czero.eqz, -1, 0)
        TEST_X0_RS2(czero.nez, -1, 0xffffffffffffffff)
        TEST_X0_RS1(czero.eqz, 1, 0)
        TEST_X0_RS1(czero.nez, 0, 0)

        /* rd = x0: nothing is written */
        TEST_RD_X0(czero.eqz x0, a0, a1)
        TEST_RD_X0(czero.nez x0, a0, a1)
        TEST_RD_X0(czero.nez x0, a0, zero)

        /* the conditional select the pair is for: rd = cond ? a : b */
        li a0, 0x1111
        li a1, 0x2222
        li a3, 0x100000000              /* cond: true (only an upper bit set) */
        czero.eqz t0, a0, a3
        czero.nez t1, a1, a3
        or a2, t0, t1
        CHECK(0x1111, a2, "select, cond true")
        li a3, 0
        czero.eqz t0, a0, a3
        czero.nez t1, a1, a3
        or a2, t0, t1
        CHECK(0x2222, a2, "select, cond false")
        TEST_PASS
