/* isa/riscv_insns.c: the instruction tables as data, the lookup the decoder
 * and the disassembler share, and the expansion of compressed instructions. */
#include "isa/riscv_insns.h"

#include <stddef.h>

const RiscvInsn riscv_insns[] = {
#define INSN_ROW(name, kind, mask, match, form, operands, ext, flags)                              \
    {name, operands, mask, match, FORM_##form, RISCV_EXT_##ext, flags},
    RISCV_INSNS(INSN_ROW)
#undef INSN_ROW
};

#define INSN_COUNT (sizeof riscv_insns / sizeof riscv_insns[0])

const RiscvCInsn riscv_cinsns[] = {
#define CINSN_ROW(name, mask, match, form, base, operands, ext)                                    \
    {name, operands, mask, match, CFORM_##form, RISCV_EXT_##ext, base},
    RISCV_CINSNS(CINSN_ROW)
#undef CINSN_ROW
};

#define CINSN_COUNT (sizeof riscv_cinsns / sizeof riscv_cinsns[0])

/* Rows by major opcode (bits 6:2) and funct3, one index for each reader
 * (the decoder never looks at alias rows, the disassembler at decode-only
 * ones): a row whose mask leaves funct3 open sits in all eight of its
 * opcode's buckets. Compressed rows by quadrant and funct3. The indexes are
 * built once, on first use, and keep the tables' order in each bucket. */
#define BUCKETS 256
#define CBUCKETS 32
static uint16_t bucket_start[2][BUCKETS + 1];
static uint16_t bucket_rows[2][INSN_COUNT * 8];
static uint8_t cbucket_start[CBUCKETS + 1];
static uint8_t cbucket_rows[CINSN_COUNT];
static bool index_built;

static unsigned bucket_of(uint32_t insn)
{
    return (riscv_field(insn, 2, 5) << 3) | riscv_field(insn, 12, 3);
}

static unsigned cbucket_of(uint32_t insn)
{
    return (riscv_field(insn, 0, 2) << 3) | riscv_field(insn, 13, 3);
}

static void build_index(void)
{
    for (unsigned who = 0; who < 2; who++) {
        unsigned skip = who == RISCV_LOOKUP_DECODE ? INSN_ALIAS : INSN_DECODE, n = 0;
        for (unsigned b = 0; b < BUCKETS; b++) {
            /* A word of this bucket: opcode bits 1:0 = 11, the rest zero. */
            uint32_t probe = 3u | ((uint32_t)(b >> 3) << 2) | ((uint32_t)(b & 7) << 12);
            uint32_t bucket_mask = 0x707cu;
            bucket_start[who][b] = (uint16_t)n;
            for (unsigned i = 0; i < INSN_COUNT; i++) {
                const RiscvInsn *r = &riscv_insns[i];
                if (!(r->flags & skip) &&
                    (probe & r->mask & bucket_mask) == (r->match & bucket_mask))
                    bucket_rows[who][n++] = (uint16_t)i;
            }
        }
        bucket_start[who][BUCKETS] = (uint16_t)n;
    }
    unsigned n = 0;
    for (unsigned b = 0; b < CBUCKETS; b++) {
        cbucket_start[b] = (uint8_t)n;
        for (unsigned i = 0; i < CINSN_COUNT; i++)
            if (cbucket_of(riscv_cinsns[i].match) == b)
                cbucket_rows[n++] = (uint8_t)i;
    }
    cbucket_start[CBUCKETS] = (uint8_t)n;
    index_built = true;
}

static bool conditions_hold(const RiscvInsn *r, uint32_t insn, RiscvExtSet ext,
                            enum riscv_lookup who)
{
    uint32_t rd = riscv_field(insn, 7, 5), rs1 = riscv_field(insn, 15, 5);
    if ((r->flags & INSN_RS1_IS_RS2) && rs1 != riscv_field(insn, 20, 5))
        return false;
    if ((r->flags & INSN_SPIN) && (rd != rs1 || rd == 0))
        return false;
    /* RV32: a shift amount's bit 5 makes the instruction illegal (objdump
     * still prints it as the shift). */
    if (who == RISCV_LOOKUP_DECODE && r->form == FORM_SHIFT && (ext & RISCV_XLEN32) &&
        riscv_field(insn, 25, 1))
        return false;
    return (r->flags & ((ext & RISCV_XLEN32) ? INSN_RV64 : INSN_RV32)) == 0;
}

static bool has_ext(RiscvExtSet set, unsigned ext)
{
    return ext == RISCV_EXT_RV64 ? !(set & RISCV_XLEN32) : ((set >> ext) & 1) != 0;
}

int riscv_insn_find(uint32_t insn, RiscvExtSet ext, enum riscv_lookup who)
{
    if (!index_built)
        build_index();
    unsigned b = bucket_of(insn);
    for (unsigned k = bucket_start[who][b]; k < bucket_start[who][b + 1]; k++) {
        const RiscvInsn *r = &riscv_insns[bucket_rows[who][k]];
        if ((insn & r->mask) == r->match && has_ext(ext, r->ext) &&
            conditions_hold(r, insn, ext, who))
            return bucket_rows[who][k];
    }
    return -1;
}

int riscv_cinsn_find(uint16_t insn, RiscvExtSet ext)
{
    if (!index_built)
        build_index();
    unsigned b = cbucket_of(insn);
    for (unsigned k = cbucket_start[b]; k < cbucket_start[b + 1]; k++) {
        const RiscvCInsn *r = &riscv_cinsns[cbucket_rows[k]];
        if ((insn & r->mask) == r->match && has_ext(ext, r->ext))
            return cbucket_rows[k];
    }
    return -1;
}

/* Field placement in a 32-bit instruction. */
static uint32_t rd_at(uint32_t reg)
{
    return reg << 7;
}

static uint32_t rs1_at(uint32_t reg)
{
    return reg << 15;
}

static uint32_t rs2_at(uint32_t reg)
{
    return reg << 20;
}

static uint32_t imm_i_at(int32_t imm)
{
    return (uint32_t)imm << 20;
}

static uint32_t imm_s_at(int32_t imm)
{
    uint32_t v = (uint32_t)imm;
    return (riscv_field(v, 5, 7) << 25) | (riscv_field(v, 0, 5) << 7);
}

static uint32_t imm_b_at(int32_t imm)
{
    uint32_t v = (uint32_t)imm;
    return (riscv_field(v, 12, 1) << 31) | (riscv_field(v, 5, 6) << 25) |
           (riscv_field(v, 1, 4) << 8) | (riscv_field(v, 11, 1) << 7);
}

static uint32_t imm_j_at(int32_t imm)
{
    uint32_t v = (uint32_t)imm;
    return (riscv_field(v, 20, 1) << 31) | (riscv_field(v, 1, 10) << 21) |
           (riscv_field(v, 11, 1) << 20) | (riscv_field(v, 12, 8) << 12);
}

/* The compressed immediates (unpriv spec 16.3-16.7 give their bit orders). */
static int32_t c_imm6(uint32_t c)
{
    return riscv_sign_extend((riscv_field(c, 12, 1) << 5) | riscv_field(c, 2, 5), 6);
}

static uint32_t c_shamt(uint32_t c)
{
    return (riscv_field(c, 12, 1) << 5) | riscv_field(c, 2, 5);
}

static uint32_t c_creg(uint32_t c, unsigned lo)
{
    return 8 + riscv_field(c, lo, 3);
}

static int32_t c_offset_w(uint32_t c)
{
    return (int32_t)((riscv_field(c, 10, 3) << 3) | (riscv_field(c, 6, 1) << 2) |
                     (riscv_field(c, 5, 1) << 6));
}

static int32_t c_offset_d(uint32_t c)
{
    return (int32_t)((riscv_field(c, 10, 3) << 3) | (riscv_field(c, 5, 2) << 6));
}

uint32_t riscv_cinsn_expand(const RiscvCInsn *row, uint16_t insn)
{
    uint32_t c = insn, rd = riscv_field(c, 7, 5), rs2 = riscv_field(c, 2, 5);
    uint32_t rd_c = c_creg(c, 2), rs1_c = c_creg(c, 7);
    uint32_t base = row->base;
    int32_t imm;

    switch ((enum riscv_cform)row->form) {
    case CFORM_RESERVED:
        return 0;
    case CFORM_EXACT:
        return base;
    case CFORM_CIW:
        imm = (int32_t)((riscv_field(c, 11, 2) << 4) | (riscv_field(c, 7, 4) << 6) |
                        (riscv_field(c, 6, 1) << 2) | (riscv_field(c, 5, 1) << 3));
        return base | rd_at(rd_c) | imm_i_at(imm);
    case CFORM_CL_W:
        return base | rd_at(rd_c) | rs1_at(rs1_c) | imm_i_at(c_offset_w(c));
    case CFORM_CL_D:
        return base | rd_at(rd_c) | rs1_at(rs1_c) | imm_i_at(c_offset_d(c));
    case CFORM_CS_W:
        return base | rs2_at(rd_c) | rs1_at(rs1_c) | imm_s_at(c_offset_w(c));
    case CFORM_CS_D:
        return base | rs2_at(rd_c) | rs1_at(rs1_c) | imm_s_at(c_offset_d(c));
    case CFORM_CI:
        return base | rd_at(rd) | rs1_at(rd) | imm_i_at(c_imm6(c));
    case CFORM_CI_LI:
        return base | rd_at(rd) | imm_i_at(c_imm6(c));
    case CFORM_CI_16SP:
        imm = riscv_sign_extend((riscv_field(c, 12, 1) << 9) | (riscv_field(c, 6, 1) << 4) |
                                    (riscv_field(c, 5, 1) << 6) | (riscv_field(c, 3, 2) << 7) |
                                    (riscv_field(c, 2, 1) << 5),
                                10);
        return base | imm_i_at(imm);
    case CFORM_CI_LUI:
        return base | rd_at(rd) | ((uint32_t)c_imm6(c) << 12);
    case CFORM_CI_SLLI:
        return base | rd_at(rd) | rs1_at(rd) | (c_shamt(c) << 20);
    case CFORM_CI_LWSP:
        imm = (int32_t)((riscv_field(c, 12, 1) << 5) | (riscv_field(c, 4, 3) << 2) |
                        (riscv_field(c, 2, 2) << 6));
        return base | rd_at(rd) | rs1_at(2) | imm_i_at(imm);
    case CFORM_CI_LDSP:
        imm = (int32_t)((riscv_field(c, 12, 1) << 5) | (riscv_field(c, 5, 2) << 3) |
                        (riscv_field(c, 2, 3) << 6));
        return base | rd_at(rd) | rs1_at(2) | imm_i_at(imm);
    case CFORM_CB_SHIFT:
        return base | rd_at(rs1_c) | rs1_at(rs1_c) | (c_shamt(c) << 20);
    case CFORM_CB_ANDI:
        return base | rd_at(rs1_c) | rs1_at(rs1_c) | imm_i_at(c_imm6(c));
    case CFORM_CB_BRANCH:
        imm = riscv_sign_extend((riscv_field(c, 12, 1) << 8) | (riscv_field(c, 10, 2) << 3) |
                                    (riscv_field(c, 5, 2) << 6) | (riscv_field(c, 3, 2) << 1) |
                                    (riscv_field(c, 2, 1) << 5),
                                9);
        return base | rs1_at(rs1_c) | imm_b_at(imm);
    case CFORM_CA:
        return base | rd_at(rs1_c) | rs1_at(rs1_c) | rs2_at(rd_c);
    case CFORM_CJ:
        imm = riscv_sign_extend((riscv_field(c, 12, 1) << 11) | (riscv_field(c, 11, 1) << 4) |
                                    (riscv_field(c, 9, 2) << 8) | (riscv_field(c, 8, 1) << 10) |
                                    (riscv_field(c, 7, 1) << 6) | (riscv_field(c, 6, 1) << 7) |
                                    (riscv_field(c, 3, 3) << 1) | (riscv_field(c, 2, 1) << 5),
                                12);
        return base | imm_j_at(imm);
    case CFORM_CR_JR:
        return base | rs1_at(rd);
    case CFORM_CR_MV:
        return base | rd_at(rd) | rs2_at(rs2);
    case CFORM_CR_ADD:
        return base | rd_at(rd) | rs1_at(rd) | rs2_at(rs2);
    case CFORM_CSS_W:
        imm = (int32_t)((riscv_field(c, 9, 4) << 2) | (riscv_field(c, 7, 2) << 6));
        return base | rs2_at(rs2) | rs1_at(2) | imm_s_at(imm);
    case CFORM_CSS_D:
        imm = (int32_t)((riscv_field(c, 10, 3) << 3) | (riscv_field(c, 7, 3) << 6));
        return base | rs2_at(rs2) | rs1_at(2) | imm_s_at(imm);
    }
    return 0;
}
