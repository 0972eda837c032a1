/* rv32_illegal.S: RV64-only encodings are illegal on RV32 (mtval holds the
 * instruction), among them shifts by 32 and more and the compressed
 * c.subw/c.addw, whose encodings RV32C reserves. */
#include "common.h"
#include "fp.h"

#define ILLEGAL_32(word, name)                  \
        EXPECT_TRAP(1f);                        \
2:      .4byte word;                            \
        FAIL(name " ran");                      \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, word, name)

#define ILLEGAL_16(half, name)                  \
        EXPECT_TRAP(1f);                        \
2:      .2byte half;                            \
        FAIL(name " ran");                      \
1:      CHECK_TRAP(CAUSE_ILLEGAL, 2b, half, name)

TEST_BEGIN
        FP_ON
        la a0, scratch
        ILLEGAL_32(0x00053503, "ld a0, 0(a0)")
        ILLEGAL_32(0x00056503, "lwu a0, 0(a0)")
        ILLEGAL_32(0x00a53023, "sd a0, 0(a0)")
        ILLEGAL_32(0x0015051b, "addiw")
        ILLEGAL_32(0x00b5053b, "addw")
        ILLEGAL_32(0x40b5053b, "subw")
        ILLEGAL_32(0x0015151b, "slliw")
        ILLEGAL_32(0x02b5053b, "mulw")
        ILLEGAL_32(0x02b5453b, "divw")
        ILLEGAL_32(0x1005352f, "lr.d")
        ILLEGAL_32(0x00b5352f, "amoadd.d")
        ILLEGAL_32(0x02051513, "slli a0, a0, 32")
        ILLEGAL_32(0x02055513, "srli a0, a0, 32")
        ILLEGAL_32(0x42055513, "srai a0, a0, 32")
        ILLEGAL_32(0xc0257553, "fcvt.l.s")
        ILLEGAL_32(0xd0257553, "fcvt.s.l")
        ILLEGAL_32(0xe2050553, "fmv.x.d")
        ILLEGAL_32(0xf2050553, "fmv.d.x")
        ILLEGAL_32(0x0805053b, "add.uw")
        ILLEGAL_32(0x6005151b, "clzw")
        ILLEGAL_16(0x9d1d, "c.subw")
        ILLEGAL_16(0x9d3d, "c.addw")
        ILLEGAL_16(0x1506, "c.slli shamt 33")
        TEST_PASS

        .data
        .align 3
scratch: .dword 0
