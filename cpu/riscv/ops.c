/* cpu/riscv/ops.c: the op handlers and the dispatch loop that runs
 * translated blocks, following chains and the jump cache between them.
 * A template: built once per XLEN (RISCV_XLEN, CMakeLists.txt), so RV64's
 * handlers are exactly what they would be without RV32. */
#include <string.h>

#include "cpu/riscv/bitmanip.h"
#include "cpu/riscv/cpu.h"
#include "cpu/riscv/csr.h"
#include "cpu/riscv/fpu.h"
#include "cpu/riscv/mmu.h"
#include "cpu/riscv/op_profile.h"
#include "cpu/riscv/tlb_fill.h"
#include "cpu/tb.h"

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

static inline uint64_t sext32(uint64_t value)
{
    return (uint64_t)(int64_t)(int32_t)value;
}

/* An RV32 hart's registers hold their values sign-extended from bit 31,
 * so that the 64-bit comparisons, logic and sign-extending loads are
 * right as they are: XL makes a result so, UX takes the unsigned 32-bit
 * value, VA an address or pc (32 bits, zero-extended), SHAMT a shift
 * amount. The names the build exports end in the width. */
#if RISCV_XLEN == 32
#define XL(v) sext32(v)
#define UX(v) ((uint64_t)(uint32_t)(v))
#define VA(v) ((uint64_t)(uint32_t)(v))
#define SHAMT(b) ((b)&31)
#define XLEN_SYMBOL(name) name##32
#elif RISCV_XLEN == 64
#define XL(v) (v)
#define UX(v) (v)
#define VA(v) (v)
#define SHAMT(b) ((b)&63)
#define XLEN_SYMBOL(name) name##64
#else
#error "RISCV_XLEN must be 32 or 64"
#endif

static uint64_t amo_compute(enum op_kind kind, uint64_t old, uint64_t src, bool word)
{
    int64_t a = word ? (int32_t)old : (int64_t)old;
    int64_t b = word ? (int32_t)src : (int64_t)src;
    uint64_t ua = word ? (uint32_t)old : old;
    uint64_t ub = word ? (uint32_t)src : src;
    switch (kind) {
    case OP_AMOSWAP_W:
    case OP_AMOSWAP_D:
        return src;
    case OP_AMOADD_W:
    case OP_AMOADD_D:
        return old + src;
    case OP_AMOXOR_W:
    case OP_AMOXOR_D:
        return old ^ src;
    case OP_AMOAND_W:
    case OP_AMOAND_D:
        return old & src;
    case OP_AMOOR_W:
    case OP_AMOOR_D:
        return old | src;
    case OP_AMOMIN_W:
    case OP_AMOMIN_D:
        return a < b ? old : src;
    case OP_AMOMAX_W:
    case OP_AMOMAX_D:
        return a > b ? old : src;
    case OP_AMOMINU_W:
    case OP_AMOMINU_D:
        return ua < ub ? old : src;
    default:
        return ua > ub ? old : src;
    }
}

/* Translates an atomic access; misaligned ones trap (priv spec 3.6.3.3:
 * LR as a load, SC and AMOs as store/AMO). watch: the debugger's
 * watchpoint kinds the access counts as (an AMO reads and writes). */
static bool atomic_translate(RiscvCpu *cpu, uint64_t vaddr, unsigned size, enum access_type type,
                             unsigned watch, uint64_t *paddr, MemFault *fault)
{
    /* An AMO both loads and stores. */
    if ((watch & WATCH_READ) && riscv_trigger_stop(cpu, vaddr, size, false, fault))
        return false;
    if ((watch & WATCH_WRITE) && riscv_trigger_stop(cpu, vaddr, size, true, fault))
        return false;
    if (vaddr & (size - 1)) {
        fault->cause = type == ACCESS_READ ? EXC_LOAD_MISALIGNED : EXC_STORE_MISALIGNED;
        fault->tval = vaddr;
        return false;
    }
    TlbEntry *e = riscv_tlb_fill(cpu, vaddr, type, fault);
    if (!e)
        return false;
    *paddr = e->phys | (vaddr & ~PAGE_MASK);
    if (!riscv_pmp_allows(cpu, *paddr, size, type, riscv_access_priv(cpu, type))) {
        fault->cause = riscv_access_fault_cause(type);
        fault->tval = vaddr;
        return false;
    }
    return likely(!cpu->debug) || !riscv_watch_stop(cpu, vaddr, size, watch, fault);
}

static bool atomic_access_fault(MemFault *fault, enum access_type type, uint64_t vaddr)
{
    fault->cause = riscv_access_fault_cause(type);
    fault->tval = vaddr;
    return false;
}

static __attribute__((noinline)) bool exec_amo(RiscvCpu *cpu, const Op *op, MemFault *fault)
{
    bool word = op->kind <= OP_AMOMAXU_W;
    unsigned size = word ? 4 : 8;
    uint64_t vaddr = VA(cpu->x[op->rs1]);
    uint64_t paddr, old;
    if (!atomic_translate(cpu, vaddr, size, ACCESS_WRITE, WATCH_ACCESS, &paddr, fault))
        return false;
    if (!memory_read(cpu->as, paddr, size, &old))
        return atomic_access_fault(fault, ACCESS_WRITE, vaddr);
    uint64_t result = amo_compute((enum op_kind)op->kind, old, cpu->x[op->rs2], word);
    if (!memory_write(cpu->as, paddr, size, result))
        return atomic_access_fault(fault, ACCESS_WRITE, vaddr);
    cpu->x[op->rd] = word ? (uint64_t)(int64_t)(int32_t)old : old;
    return true;
}

static __attribute__((noinline)) bool exec_lr(RiscvCpu *cpu, const Op *op, MemFault *fault)
{
    unsigned size = op->kind == OP_LR_W ? 4 : 8;
    uint64_t vaddr = VA(cpu->x[op->rs1]);
    uint64_t paddr, value;
    if (!atomic_translate(cpu, vaddr, size, ACCESS_READ, WATCH_READ, &paddr, fault))
        return false;
    if (!memory_read(cpu->as, paddr, size, &value))
        return atomic_access_fault(fault, ACCESS_READ, vaddr);
    cpu->reservation = paddr;
    cpu->reservation_valid = true;
    cpu->x[op->rd] = size == 4 ? (uint64_t)(int64_t)(int32_t)value : value;
    return true;
}

static __attribute__((noinline)) bool exec_sc(RiscvCpu *cpu, const Op *op, MemFault *fault)
{
    unsigned size = op->kind == OP_SC_W ? 4 : 8;
    uint64_t vaddr = VA(cpu->x[op->rs1]);
    uint64_t paddr;
    if (!atomic_translate(cpu, vaddr, size, ACCESS_WRITE, WATCH_WRITE, &paddr, fault))
        return false;
    bool success = cpu->reservation_valid && cpu->reservation == paddr;
    cpu->reservation_valid = false;
    if (success && !memory_write(cpu->as, paddr, size, cpu->x[op->rs2]))
        return atomic_access_fault(fault, ACCESS_WRITE, vaddr);
    cpu->x[op->rd] = success ? 0 : 1;
    return true;
}

/* Zicbom, Zicboz: whether the hart's mode may run a cache-block
 * operation. field is its menvcfg/senvcfg enable; M-mode always may, S-mode
 * when menvcfg enables it, U-mode when both do. */
static bool cbo_enabled(const RiscvCpu *cpu, uint64_t field)
{
    if (cpu->priv == PRV_M)
        return true;
    return (cpu->menvcfg & field) && (cpu->priv == PRV_S || (cpu->senvcfg & field));
}

/* The cache block an operation names. Its checks are made for the
 * block's first byte, but a fault reports the address the instruction gave
 * (rs1), as the CMO spec and the Sail model say (QEMU 8 reports the
 * block's). */
#define CACHE_BLOCK_SIZE 64u

/* cbo.clean, cbo.flush, cbo.inval: there is no cache to act on, but the
 * access is checked. A load's or a store's permission suffices (no page or
 * PMP region is writable without being readable); when neither is granted,
 * or no memory is there, the fault is a store's. */
static __attribute__((noinline)) bool exec_cbo_manage(RiscvCpu *cpu, const Op *op, MemFault *fault)
{
    uint64_t given = VA(cpu->x[op->rs1]);
    uint64_t vaddr = given & ~(uint64_t)(CACHE_BLOCK_SIZE - 1);
    TlbEntry *e = riscv_tlb_fill(cpu, vaddr, ACCESS_READ, fault);
    if (!e) {
        fault->cause =
            fault->cause == EXC_LOAD_PAGE_FAULT ? EXC_STORE_PAGE_FAULT : EXC_STORE_ACCESS;
        fault->tval = given;
        return false;
    }
    uint64_t paddr = e->phys | (vaddr & ~PAGE_MASK);
    if (!riscv_pmp_allows(cpu, paddr, CACHE_BLOCK_SIZE, ACCESS_READ,
                          riscv_access_priv(cpu, ACCESS_READ)) ||
        !memory_find(cpu->as, paddr))
        return atomic_access_fault(fault, ACCESS_WRITE, given);
    return true;
}

/* cbo.zero: a store of zeros to the whole block. */
static __attribute__((noinline)) bool exec_cbo_zero(RiscvCpu *cpu, const Op *op, MemFault *fault)
{
    uint64_t given = VA(cpu->x[op->rs1]);
    uint64_t vaddr = given & ~(uint64_t)(CACHE_BLOCK_SIZE - 1);
    uint64_t paddr;
    if (!atomic_translate(cpu, vaddr, CACHE_BLOCK_SIZE, ACCESS_WRITE, WATCH_WRITE, &paddr, fault)) {
        if (fault->cause != MEM_FAULT_DEBUG_STOP)
            fault->tval = given;
        return false;
    }
    if (!memory_can_write(cpu->as, paddr, CACHE_BLOCK_SIZE))
        return atomic_access_fault(fault, ACCESS_WRITE, given);
    for (unsigned i = 0; i < CACHE_BLOCK_SIZE; i += 8)
        memory_write(cpu->as, paddr + i, 8, 0);
    return true;
}

/* Zicsr: CSRRW with rd = x0 does not read; CSRRS/CSRRC with rs1 = x0 (or
 * a zero immediate) do not write. */
static __attribute__((noinline)) bool exec_csr(RiscvCpu *cpu, const Op *op)
{
    unsigned csr = (unsigned)op->imm & 0xfff;
    bool immediate = op->kind >= OP_CSRRWI;
    enum op_kind base =
        immediate ? (enum op_kind)(op->kind - (OP_CSRRWI - OP_CSRRW)) : (enum op_kind)op->kind;
    uint64_t src = immediate ? op->rs1 : UX(cpu->x[op->rs1]);
    bool write = base == OP_CSRRW || op->rs1 != 0;
    bool read = base != OP_CSRRW || op->rd != REG_SINK;
    if (!riscv_csr_accessible(cpu, csr, write))
        return false;
    uint64_t old = 0;
    if (read && !riscv_csr_read(cpu, csr, &old))
        return false;
    if (write) {
        uint64_t rmw = riscv_csr_modify_base(cpu, csr, old);
        uint64_t value = base == OP_CSRRW ? src : base == OP_CSRRS ? rmw | src : rmw & ~src;
        if (!riscv_csr_write(cpu, csr, value))
            return false;
    }
    cpu->x[op->rd] = XL(old);
    return true;
}

static inline int64_t div64(int64_t a, int64_t b)
{
    if (b == 0)
        return -1;
    if (a == INT64_MIN && b == -1)
        return a;
    return a / b;
}

static inline int64_t rem64(int64_t a, int64_t b)
{
    if (b == 0)
        return a;
    if (a == INT64_MIN && b == -1)
        return 0;
    return a % b;
}

static inline int32_t div32(int32_t a, int32_t b)
{
    if (b == 0)
        return -1;
    if (a == INT32_MIN && b == -1)
        return a;
    return a / b;
}

static inline int32_t rem32(int32_t a, int32_t b)
{
    if (b == 0)
        return a;
    if (a == INT32_MIN && b == -1)
        return 0;
    return a % b;
}

#ifdef EMBER_COMPUTED_GOTO
#define CASE(name) L_##name:
#define DISPATCH() goto * op->handler
#else
/* The label too, for the variants that fall back to the plain handler. */
#define CASE(name)                                                                                 \
    case OP_##name:                                                                                \
        L_##name : __attribute__((unused));
#define DISPATCH() goto dispatch
#endif

/* An op whose whole effect is rd = expr. The result also stays in last,
 * a host register, for the next op (operand forwarding, below). */
#define ALU(name, expr) CASE(name) SET_RD(expr)

#define SET_RD(expr) SET_RD_THEN(expr, NEXT())

/* The same, going on with then (a fused handler's jump to the next op). */
#define SET_RD_THEN(expr, then)                                                                    \
    do {                                                                                           \
        uint64_t result_ = (expr);                                                                 \
        RD = result_;                                                                              \
        last = result_;                                                                            \
        then;                                                                                      \
    } while (0)

/* The expressions of the ops fused handlers also use (FUSED_PRODUCERS,
 * FUSED_PAIRS). */
#define ADDI_EXPR XL(a + IMM)
#define ADDIW_EXPR sext32(a + IMM)
#define ANDI_EXPR (a & IMM)
#define SLLI_EXPR XL(a << op->imm)
#define SRLIW_EXPR sext32((uint32_t)a >> op->imm)
#define ADD_EXPR XL(a + b)
#define SUB_EXPR XL(a - b)
#define AUIPC_EXPR XL(base_pc + IMM)
#define AND_EXPR (a & b)
#define XOR_EXPR (a ^ b)
#define OR_EXPR (a | b)
#define MUL_EXPR XL(a *b)

/* The ops whose RV32 form is not the RV64 one's result made canonical: the
 * high products, division, and the Zbb/Zbc ops that count, turn or
 * reverse all XLEN bits (as their W forms do, where RV64 has them). */
#if RISCV_XLEN == 32
#define MULH_EXPR (uint64_t)(((int64_t)a * (int64_t)b) >> 32)
#define MULHSU_EXPR (uint64_t)(((int64_t)a * (int64_t)UX(b)) >> 32)
#define MULHU_EXPR sext32((UX(a) * UX(b)) >> 32)
#define DIV_EXPR (uint64_t)(int64_t) div32((int32_t)a, (int32_t)b)
#define DIVU_EXPR (UX(b) == 0 ? UINT64_MAX : sext32(UX(a) / UX(b)))
#define REM_EXPR (uint64_t)(int64_t) rem32((int32_t)a, (int32_t)b)
#define REMU_EXPR (UX(b) == 0 ? a : sext32(UX(a) % UX(b)))
#define CLZ_EXPR bm_clz32(a)
#define CTZ_EXPR bm_ctz32(a)
#define CPOP_EXPR (uint64_t) __builtin_popcount((uint32_t)a)
#define REV8_EXPR sext32(__builtin_bswap32((uint32_t)a))
#define ROL_EXPR bm_rol32(a, (unsigned)b)
#define ROR_EXPR bm_ror32(a, (unsigned)b)
#define RORI_EXPR bm_ror32(a, (unsigned)op->imm)
#define CLMULH_EXPR sext32(bm_clmul(UX(a), UX(b)) >> 32)
#define CLMULR_EXPR sext32(bm_clmul(UX(a), UX(b)) >> 31)
#else
#define MULH_EXPR (uint64_t)(((__int128)(int64_t)a * (__int128)(int64_t)b) >> 64)
#define MULHSU_EXPR (uint64_t)(((__int128)(int64_t)a * (__int128)b) >> 64)
#define MULHU_EXPR (uint64_t)(((unsigned __int128)a * b) >> 64)
#define DIV_EXPR (uint64_t) div64((int64_t)a, (int64_t)b)
#define DIVU_EXPR (b == 0 ? UINT64_MAX : a / b)
#define REM_EXPR (uint64_t) rem64((int64_t)a, (int64_t)b)
#define REMU_EXPR (b == 0 ? a : a % b)
#define CLZ_EXPR bm_clz64(a)
#define CTZ_EXPR bm_ctz64(a)
#define CPOP_EXPR (uint64_t) __builtin_popcountll(a)
#define REV8_EXPR __builtin_bswap64(a)
#define ROL_EXPR bm_rol64(a, (unsigned)b)
#define ROR_EXPR bm_ror64(a, (unsigned)b)
#define RORI_EXPR bm_ror64(a, (unsigned)op->imm)
#define CLMULH_EXPR bm_clmulh(a, b)
#define CLMULR_EXPR bm_clmulr(a, b)
#endif

/* Operand forwarding. Guest registers live in memory, so in a chain of
 * dependent ops each one waits for the previous op's store to reach its
 * load. When an op reads the register the op before it in the same block
 * wrote, the translator (riscv_prepare_block) gives it a variant
 * handler that takes that operand from last instead: _F1 for rs1, _F2 for
 * rs2. The register file is still written, so nothing else changes. */
#define RI_OPS(X)                                                                                  \
    X(ADDI, ADDI_EXPR)                                                                             \
    X(SLTI, (int64_t)a < IMM)                                                                      \
    X(SLTIU, a < (uint64_t)IMM)                                                                    \
    X(XORI, a ^ IMM)                                                                               \
    X(ORI, a | IMM)                                                                                \
    X(ANDI, ANDI_EXPR)                                                                             \
    X(SLLI, SLLI_EXPR)                                                                             \
    X(SRLI, XL(UX(a) >> op->imm))                                                                  \
    X(SRAI, (uint64_t)((int64_t)a >> op->imm))                                                     \
    X(ADDIW, ADDIW_EXPR)                                                                           \
    X(SLLIW, sext32((uint32_t)a << op->imm))                                                       \
    X(SRLIW, SRLIW_EXPR)                                                                           \
    X(SRAIW, (uint64_t)(int64_t)((int32_t)a >> op->imm))                                           \
    X(SLLI_UW, (uint64_t)(uint32_t)a << op->imm)                                                   \
    X(CLZ, CLZ_EXPR)                                                                               \
    X(CLZW, bm_clz32(a))                                                                           \
    X(CTZ, CTZ_EXPR)                                                                               \
    X(CTZW, bm_ctz32(a))                                                                           \
    X(CPOP, CPOP_EXPR)                                                                             \
    X(CPOPW, (uint64_t)__builtin_popcount((uint32_t)a))                                            \
    X(SEXT_B, (uint64_t)(int64_t)(int8_t)a)                                                        \
    X(SEXT_H, (uint64_t)(int64_t)(int16_t)a)                                                       \
    X(ZEXT_H, (uint16_t)a)                                                                         \
    X(RORI, RORI_EXPR)                                                                             \
    X(RORIW, bm_ror32(a, (unsigned)op->imm))                                                       \
    X(ORC_B, XL(bm_orc_b(a)))                                                                      \
    X(REV8, REV8_EXPR)                                                                             \
    X(BCLRI, XL(a & ~(1ull << op->imm)))                                                           \
    X(BEXTI, (a >> op->imm) & 1)                                                                   \
    X(BINVI, XL(a ^ (1ull << op->imm)))                                                            \
    X(BSETI, XL(a | (1ull << op->imm)))

#define RR_OPS(X)                                                                                  \
    X(ADD, ADD_EXPR)                                                                               \
    X(SUB, SUB_EXPR)                                                                               \
    X(SLL, XL(a << SHAMT(b)))                                                                      \
    X(SLT, (int64_t)a < (int64_t)b)                                                                \
    X(SLTU, a < b)                                                                                 \
    X(XOR, XOR_EXPR)                                                                               \
    X(SRL, XL(UX(a) >> SHAMT(b)))                                                                  \
    X(SRA, (uint64_t)((int64_t)a >> SHAMT(b)))                                                     \
    X(OR, OR_EXPR)                                                                                 \
    X(AND, AND_EXPR)                                                                               \
    X(ADDW, sext32(a + b))                                                                         \
    X(SUBW, sext32(a - b))                                                                         \
    X(SLLW, sext32((uint32_t)a << (b & 31)))                                                       \
    X(SRLW, sext32((uint32_t)a >> (b & 31)))                                                       \
    X(SRAW, (uint64_t)(int64_t)((int32_t)a >> (b & 31)))                                           \
    X(MUL, MUL_EXPR)                                                                               \
    X(MULH, MULH_EXPR)                                                                             \
    X(MULHSU, MULHSU_EXPR)                                                                         \
    X(MULHU, MULHU_EXPR)                                                                           \
    X(DIV, DIV_EXPR)                                                                               \
    X(DIVU, DIVU_EXPR)                                                                             \
    X(REM, REM_EXPR)                                                                               \
    X(REMU, REMU_EXPR)                                                                             \
    X(MULW, sext32((uint32_t)a *(uint32_t)b))                                                      \
    X(DIVW, (uint64_t)(int64_t)div32((int32_t)a, (int32_t)b))                                      \
    X(DIVUW, (uint32_t)b == 0 ? UINT64_MAX : sext32((uint32_t)a / (uint32_t)b))                    \
    X(REMW, (uint64_t)(int64_t)rem32((int32_t)a, (int32_t)b))                                      \
    X(REMUW, (uint32_t)b == 0 ? sext32(a) : sext32((uint32_t)a % (uint32_t)b))                     \
    X(SH1ADD, XL((a << 1) + b))                                                                    \
    X(SH2ADD, XL((a << 2) + b))                                                                    \
    X(SH3ADD, XL((a << 3) + b))                                                                    \
    X(ADD_UW, (uint64_t)(uint32_t)a + b)                                                           \
    X(SH1ADD_UW, ((uint64_t)(uint32_t)a << 1) + b)                                                 \
    X(SH2ADD_UW, ((uint64_t)(uint32_t)a << 2) + b)                                                 \
    X(SH3ADD_UW, ((uint64_t)(uint32_t)a << 3) + b)                                                 \
    X(ANDN, a & ~b)                                                                                \
    X(ORN, a | ~b)                                                                                 \
    X(XNOR, ~(a ^ b))                                                                              \
    X(MAX, (int64_t)a > (int64_t)b ? a : b)                                                        \
    X(MAXU, a > b ? a : b)                                                                         \
    X(MIN, (int64_t)a < (int64_t)b ? a : b)                                                        \
    X(MINU, a < b ? a : b)                                                                         \
    X(ROL, ROL_EXPR)                                                                               \
    X(ROR, ROR_EXPR)                                                                               \
    X(ROLW, bm_rol32(a, (unsigned)b))                                                              \
    X(RORW, bm_ror32(a, (unsigned)b))                                                              \
    X(CLMUL, XL(bm_clmul(a, b)))                                                                   \
    X(CLMULH, CLMULH_EXPR)                                                                         \
    X(CLMULR, CLMULR_EXPR)                                                                         \
    X(BCLR, XL(a & ~(1ull << SHAMT(b))))                                                           \
    X(BEXT, (a >> SHAMT(b)) & 1)                                                                   \
    X(BINV, XL(a ^ (1ull << SHAMT(b))))                                                            \
    X(BSET, XL(a | (1ull << SHAMT(b))))                                                            \
    X(CZERO_EQZ, b == 0 ? 0 : a)                                                                   \
    X(CZERO_NEZ, b != 0 ? 0 : a)

/* Loads (rs1: the base), stores (rs1: the base, rs2: the value) and
 * branches (both compared) take forwarded operands too. */
#define LOAD_OPS(X)                                                                                \
    X(LB, int8_t, 1)                                                                               \
    X(LH, int16_t, 2)                                                                              \
    X(LW, int32_t, 4)                                                                              \
    X(LD, int64_t, 8)                                                                              \
    X(LBU, uint8_t, 1)                                                                             \
    X(LHU, uint16_t, 2)                                                                            \
    X(LWU, uint32_t, 4)

#define STORE_OPS(X)                                                                               \
    X(SB, uint8_t, 1)                                                                              \
    X(SH, uint16_t, 2)                                                                             \
    X(SW, uint32_t, 4)                                                                             \
    X(SD, uint64_t, 8)

#define BRANCH_OPS(X)                                                                              \
    X(BEQ, a == b)                                                                                 \
    X(BNE, a != b)                                                                                 \
    X(BLT, (int64_t)a < (int64_t)b)                                                                \
    X(BGE, (int64_t)a >= (int64_t)b)                                                               \
    X(BLTU, a < b)                                                                                 \
    X(BGEU, a >= b)

/* A variant's label; the switch build never jumps to it. */
#define VARIANT(name, suffix) L_##name##_##suffix : __attribute__((unused));

#define DEFINE_RI(name, expr)                                                                      \
    CASE(name)                                                                                     \
    {                                                                                              \
        uint64_t a = RS1;                                                                          \
        SET_RD(expr);                                                                              \
    }                                                                                              \
    VARIANT(name, F1)                                                                              \
    {                                                                                              \
        uint64_t a = last;                                                                         \
        SET_RD(expr);                                                                              \
    }

/* body, run with a and b bound to rs1 and rs2 (at label), or one of them to
 * last (at name's _F1 and _F2 variants). */
#define WITH_RR_OPERANDS(label, name, body)                                                        \
    label                                                                                          \
    {                                                                                              \
        uint64_t a = RS1, b = RS2;                                                                 \
        body;                                                                                      \
    }                                                                                              \
    VARIANT(name, F1)                                                                              \
    {                                                                                              \
        uint64_t a = last, b = RS2;                                                                \
        body;                                                                                      \
    }                                                                                              \
    VARIANT(name, F2)                                                                              \
    {                                                                                              \
        uint64_t a = RS1, b = last;                                                                \
        body;                                                                                      \
    }

#define DEFINE_RR(name, expr) WITH_RR_OPERANDS(CASE(name), name, SET_RD(expr))

#define DEFINE_LOAD(name, ctype, size)                                                             \
    CASE(name) LOAD_INTO(RS1, RD, ctype, size, WIDEN_INT, last = RD);                              \
    VARIANT(name, F1) LOAD_INTO(last, RD, ctype, size, WIDEN_INT, last = RD);

#define DEFINE_STORE(name, ctype, size)                                                            \
    CASE(name) STORE_FROM(RS1, RS2, ctype, size, (void)0);                                         \
    VARIANT(name, F1) STORE_FROM(last, RS2, ctype, size, (void)0);                                 \
    VARIANT(name, F2) STORE_FROM(RS1, last, ctype, size, (void)0);

/* Branches also have _LOOP, _LOOP_F1 and _LOOP_F2 variants (LOOP_BRANCH). */
#define DEFINE_BRANCH(name, cond)                                                                  \
    WITH_RR_OPERANDS(CASE(name), name, BRANCH(cond))                                               \
    WITH_RR_OPERANDS(VARIANT(name, LOOP), name##_LOOP, LOOP_BRANCH(cond))

/* The ops that most often come right before a block's final branch or
 * jump (a loop's step-then-test, a call after its argument, a switch's jr;
 * counted over the bench workloads), with the operands of each of their
 * handler variants: these go on into the branch's or jump's handler with a
 * direct jump, since a simple op costs about what its indirect dispatch
 * costs. A generic branch at the end (one fused handler per producer,
 * testing the branch kind) was slower than the dispatch it saved. */
#define FUSED_PRODUCERS(X, target)                                                                 \
    X(ADDI, , RS1, 0, ADDI_EXPR, target)                                                           \
    X(ADDIW, , RS1, 0, ADDIW_EXPR, target)                                                         \
    X(ADD, , RS1, RS2, ADD_EXPR, target)                                                           \
    X(ADD, _F1, last, RS2, ADD_EXPR, target)                                                       \
    X(ADD, _F2, RS1, last, ADD_EXPR, target)                                                       \
    X(MUL, , RS1, RS2, MUL_EXPR, target)                                                           \
    X(MUL, _F1, last, RS2, MUL_EXPR, target)                                                       \
    X(MUL, _F2, RS1, last, MUL_EXPR, target)                                                       \
    X(OR, , RS1, RS2, OR_EXPR, target)                                                             \
    X(OR, _F1, last, RS2, OR_EXPR, target)                                                         \
    X(OR, _F2, RS1, last, OR_EXPR, target)
/* And the loads (a byte or halfword scan: lbu and lhu then a compare; ld
 * then a call). */
#define FUSED_LOADS(X, target)                                                                     \
    X(LBU, , RS1, uint8_t, 1, target)                                                              \
    X(LBU, _F1, last, uint8_t, 1, target)                                                          \
    X(LHU, , RS1, uint16_t, 2, target)                                                             \
    X(LHU, _F1, last, uint16_t, 2, target)                                                         \
    X(LD, , RS1, int64_t, 8, target)                                                               \
    X(LD, _F1, last, int64_t, 8, target)

/* Every handler of a branch kind: plain, forwarding, and loop ones; and
 * the jumps' handlers. */
#define BRANCH_HANDLERS(X, name)                                                                   \
    X(name) X(name##_F1) X(name##_F2) X(name##_LOOP) X(name##_LOOP_F1) X(name##_LOOP_F2)
#define JUMP_HANDLERS(X) X(JAL) X(JAL_LOOP) X(JALR)

#define FUSED(name, suffix, rs1, rs2, expr, target)                                                \
    L_##name##suffix##_THEN_##target : __attribute__((unused));                                    \
    {                                                                                              \
        uint64_t a = (rs1), b = (rs2);                                                             \
        (void)a, (void)b; /* auipc reads neither, an I-type op no b */                             \
        SET_RD_THEN(expr, op++; goto L_##target);                                                  \
    }
#define FUSED_LOAD(name, suffix, base, ctype, size, target)                                        \
    L_##name##suffix##_THEN_##target : __attribute__((unused));                                    \
    LOAD_INTO(base, RD, ctype, size, WIDEN_INT, last = RD; op++; goto L_##target);
#define DEFINE_FUSED_FOR(target) FUSED_PRODUCERS(FUSED, target) FUSED_LOADS(FUSED_LOAD, target)
#define DEFINE_FUSED(name, ...) BRANCH_HANDLERS(DEFINE_FUSED_FOR, name)

/* Pairs fused inside a block: the commonest pairs of handlers with an
 * indirect dispatch between them over the guest workloads (bench/op-pairs:
 * a switch's or Lua's index arithmetic then its load, a load then an ALU
 * op, a byte loop's step). Each: the first op's handler, the handler it
 * goes on to, and the first op's operands and work as FUSED, FUSED_LOAD or
 * FUSED_STORE take them. */
#define FUSED_PAIRS(ALU, LOAD, STORE)                                                              \
    LOAD(LD, , ADDI, RS1, int64_t, 8)                                                              \
    LOAD(LD, , ADD, RS1, int64_t, 8)                                                               \
    LOAD(LD, , SLLI, RS1, int64_t, 8)                                                              \
    LOAD(LD, , SD, RS1, int64_t, 8)                                                                \
    LOAD(LBU, , ADDI, RS1, uint8_t, 1)                                                             \
    LOAD(LBU, , LBU, RS1, uint8_t, 1)                                                              \
    LOAD(LW, , ADD, RS1, int32_t, 4)                                                               \
    LOAD(LW, , LW, RS1, int32_t, 4)                                                                \
    STORE(SD, _F1, SD, last, RS2, uint64_t, 8)                                                     \
    ALU(SLLI, , ADD_F1, RS1, 0, SLLI_EXPR)                                                         \
    ALU(SLLI, , ADD_F2, RS1, 0, SLLI_EXPR)                                                         \
    ALU(SLLI, _F1, ADD_F1, last, 0, SLLI_EXPR)                                                     \
    ALU(ADD, , ADD, RS1, RS2, ADD_EXPR)                                                            \
    ALU(ADD, , ADDI, RS1, RS2, ADD_EXPR)                                                           \
    ALU(ADD, , ANDI, RS1, RS2, ADD_EXPR)                                                           \
    ALU(ADD, _F1, LW_F1, last, RS2, ADD_EXPR)                                                      \
    ALU(ADD, _F1, LD_F1, last, RS2, ADD_EXPR)                                                      \
    ALU(ADD, _F1, LBU_F1, last, RS2, ADD_EXPR)                                                     \
    ALU(ADD, _F2, LW_F1, RS1, last, ADD_EXPR)                                                      \
    ALU(ADDI, , SD_F1, RS1, 0, ADDI_EXPR)                                                          \
    ALU(ADDI, , ADDI, RS1, 0, ADDI_EXPR)                                                           \
    ALU(ADDI, , ADD, RS1, 0, ADDI_EXPR)                                                            \
    ALU(ADDI, , XOR, RS1, 0, ADDI_EXPR)                                                            \
    ALU(ADDI, , ANDI, RS1, 0, ADDI_EXPR)                                                           \
    ALU(ADDI, _F1, ADD_F1, last, 0, ADDI_EXPR)                                                     \
    ALU(ADDIW, , SLLI_F1, RS1, 0, ADDIW_EXPR)                                                      \
    ALU(ANDI, , LD, RS1, 0, ANDI_EXPR)                                                             \
    ALU(SRLIW, , ADD, RS1, 0, SRLIW_EXPR)                                                          \
    ALU(AND, , SLLI_F1, RS1, RS2, AND_EXPR)                                                        \
    ALU(SLLI, , SRLI_F1, RS1, 0, SLLI_EXPR)                                                        \
    ALU(ADDI, , SD, RS1, 0, ADDI_EXPR)                                                             \
    ALU(ADDI, _F1, JALR, last, 0, ADDI_EXPR)                                                       \
    ALU(ADD, _F1, ADDI_F1, last, RS2, ADD_EXPR)                                                    \
    ALU(ANDI, , SLLI_F1, RS1, 0, ANDI_EXPR)                                                        \
    ALU(SUB, , BEQ, RS1, RS2, SUB_EXPR)                                                            \
    ALU(AUIPC, , ADDI_F1, 0, 0, AUIPC_EXPR)                                                        \
    STORE(SD, , ADD, RS1, RS2, uint64_t, 8)

#define FUSED_STORE(name, suffix, base, src, ctype, size, target)                                  \
    L_##name##suffix##_THEN_##target : __attribute__((unused));                                    \
    STORE_FROM(base, src, ctype, size, op++; goto L_##target);
#define PAIR_ALU(name, suffix, target, rs1, rs2, expr) FUSED(name, suffix, rs1, rs2, expr, target)
#define PAIR_LOAD(name, suffix, target, base, ctype, size)                                         \
    FUSED_LOAD(name, suffix, base, ctype, size, target)
#define PAIR_STORE(name, suffix, target, base, src, ctype, size)                                   \
    FUSED_STORE(name, suffix, base, src, ctype, size, target)

/* Runs of ld and of sd (a function saving and restoring its registers: up
 * to 13 in a row): RUN_LENGTH handlers per kind, the k-th running its op
 * and going on directly to the handler k-1, the first being the plain one.
 * A run of n ops costs n / RUN_LENGTH dispatches, rounded up, where fused
 * pairs would cost n / 2. */
#define RUN_LENGTH 8
#define RUN_STEPS(X, name)                                                                         \
    X(name, 2, name)                                                                               \
    X(name, 3, name##_RUN2)                                                                        \
    X(name, 4, name##_RUN3)                                                                        \
    X(name, 5, name##_RUN4) X(name, 6, name##_RUN5) X(name, 7, name##_RUN6) X(name, 8, name##_RUN7)
#define LD_RUN_STEP(name, k, next)                                                                 \
    L_##name##_RUN##k : __attribute__((unused));                                                   \
    LOAD_INTO(RS1, RD, int64_t, 8, WIDEN_INT, last = RD; op++; goto L_##next);
#define SD_RUN_STEP(name, k, next)                                                                 \
    L_##name##_RUN##k : __attribute__((unused));                                                   \
    STORE_FROM(RS1, RS2, uint64_t, 8, op++; goto L_##next);

#define NEXT()                                                                                     \
    do {                                                                                           \
        op++;                                                                                      \
        DISPATCH();                                                                                \
    } while (0)

#define RS1 x[op->rs1]
#define RS2 x[op->rs2]
#define RD x[op->rd]
#define IMM ((int64_t)op->imm)
#define PC (base_pc + op->pc_off)

/* A load from base + imm into dst: widen turns the loaded ctype into the
 * register value; then is done after the value is in place. */
#define LOAD_INTO(base, dst, ctype, size, widen, then)                                             \
    do {                                                                                           \
        uint64_t va = VA((base) + IMM);                                                            \
        uint64_t tag = va & (PAGE_MASK | (size - 1));                                              \
        ctype v;                                                                                   \
        if (likely(tag == load_page)) {                                                            \
            memcpy(&v, (const void *)(load_addend + (uintptr_t)va), size);                         \
        } else {                                                                                   \
            TlbEntry *e = tlb_entry(read_tlb, va);                                                 \
            if (likely(e->tag == tag)) {                                                           \
                load_page = tag;                                                                   \
                load_addend = e->addend;                                                           \
                memcpy(&v, (const void *)(e->addend + (uintptr_t)va), size);                       \
            } else {                                                                               \
                uint64_t wide;                                                                     \
                if (!riscv_tlb_load_slow(cpu, va, size, &wide, &fault))                            \
                    goto raise_fault;                                                              \
                v = (ctype)wide;                                                                   \
            }                                                                                      \
        }                                                                                          \
        dst = widen(v);                                                                            \
        then;                                                                                      \
        NEXT();                                                                                    \
    } while (0)

#define WIDEN_INT(v) ((uint64_t)(int64_t)(v))

/* A store of src to base + imm; then is done after the store. */
#define STORE_FROM(base, src, ctype, size, then)                                                   \
    do {                                                                                           \
        uint64_t va = VA((base) + IMM);                                                            \
        uint64_t tag = va & (PAGE_MASK | (size - 1));                                              \
        ctype v = (ctype)(src);                                                                    \
        if (likely(tag == store_page)) {                                                           \
            memcpy((void *)(store_addend + (uintptr_t)va), &v, size);                              \
        } else {                                                                                   \
            TlbEntry *e = tlb_entry(write_tlb, va);                                                \
            if (likely(e->tag == tag)) {                                                           \
                store_page = tag;                                                                  \
                store_addend = e->addend;                                                          \
                memcpy((void *)(e->addend + (uintptr_t)va), &v, size);                             \
            } else {                                                                               \
                if (!riscv_tlb_store_slow(cpu, va, size, (src), &fault))                           \
                    goto raise_fault;                                                              \
                if (cpu->stop_block)                                                               \
                    goto stop_after_op;                                                            \
            }                                                                                      \
        }                                                                                          \
        then;                                                                                      \
        NEXT();                                                                                    \
    } while (0)

/* F and D. Priv spec 3.1.6.6: with mstatus.FS Off every FP instruction is
 * illegal; one that may change FP state (registers or fflags) sets FS to
 * Dirty. */
#define F1 f[op->rs1]
#define F2 f[op->rs2]
#define F3 f[OP_FP_RS3(op->imm)]
#define FD f[op->rd]
#define S1 fp_unbox_s(F1)
#define S2 fp_unbox_s(F2)
#define S3 fp_unbox_s(F3)
#define H1 fp_unbox_h(F1)
#define H2 fp_unbox_h(F2)
#define H3 fp_unbox_h(F3)
#define FLAGS (&cpu->fflags)
/* fp_plain (FS Dirty, frm RNE; see execute_blocks) answers both at once. */
#define FP_ENABLED()                                                                               \
    if (unlikely(!fp_plain && !(cpu->mstatus & MSTATUS_FS)))                                       \
    ILLEGAL()
/* Written only when not Dirty yet: an unconditional read-modify-write
 * would chain every FP op to the previous one through memory. */
#define FP_DIRTY()                                                                                 \
    do {                                                                                           \
        if (unlikely(!fp_plain && (cpu->mstatus & MSTATUS_FS) != MSTATUS_FS))                      \
            cpu->mstatus |= MSTATUS_FS;                                                            \
    } while (0)

/* An FP op without a rounding mode; dirty says whether it can change state. */
#define FP_OP(name, dirty, body)                                                                   \
    CASE(name)                                                                                     \
    {                                                                                              \
        FP_ENABLED();                                                                              \
        body;                                                                                      \
        if (dirty)                                                                                 \
            FP_DIRTY();                                                                            \
        NEXT();                                                                                    \
    }

/* An FP op that rounds: a dynamic rm takes frm, whose reserved values
 * make the instruction illegal. */
#define FP_OP_RM(name, body)                                                                       \
    CASE(name)                                                                                     \
    {                                                                                              \
        FP_ENABLED();                                                                              \
        unsigned rm = OP_FP_RM(op->imm);                                                           \
        if (rm == FRM_DYN)                                                                         \
            rm = cpu->frm;                                                                         \
        if (unlikely(rm > FRM_RMM))                                                                \
            ILLEGAL();                                                                             \
        body;                                                                                      \
        FP_DIRTY();                                                                                \
        NEXT();                                                                                    \
    }

/* The ops that round, with an _RNE variant for an rm field of RNE or DYN:
 * while fp_plain holds it rounds to nearest with nothing to check, which
 * lets the host do the arithmetic inline (fpu.h); otherwise it is the
 * plain handler. */
#define FP_RM_OPS(X)                                                                               \
    X(FADD_D, FD = fp_fast_add_d(F1, F2, rm, FLAGS))                                               \
    X(FSUB_D, FD = fp_fast_sub_d(F1, F2, rm, FLAGS))                                               \
    X(FMUL_D, FD = fp_fast_mul_d(F1, F2, rm, FLAGS))                                               \
    X(FDIV_D, FD = fp_fast_div_d(F1, F2, rm, FLAGS))                                               \
    X(FSQRT_D, FD = fp_fast_sqrt_d(F1, rm, FLAGS))                                                 \
    X(FMADD_D, FD = fp_fast_muladd_d(F1, F2, F3, OP_FP_NEGATE(op->imm), rm, FLAGS))                \
    X(FADD_S, FD = fp_box_s(fp_fast_add_s(S1, S2, rm, FLAGS)))                                     \
    X(FSUB_S, FD = fp_box_s(fp_fast_sub_s(S1, S2, rm, FLAGS)))                                     \
    X(FMUL_S, FD = fp_box_s(fp_fast_mul_s(S1, S2, rm, FLAGS)))                                     \
    X(FDIV_S, FD = fp_box_s(fp_fast_div_s(S1, S2, rm, FLAGS)))                                     \
    X(FSQRT_S, FD = fp_box_s(fp_fast_sqrt_s(S1, rm, FLAGS)))                                       \
    X(FMADD_S, FD = fp_box_s(fp_fast_muladd_s(S1, S2, S3, OP_FP_NEGATE(op->imm), rm, FLAGS)))      \
    X(FCVT_S_D, FD = fp_box_s((uint32_t)fp_convert(FP_S, FP_D, F1, rm, FLAGS)))                    \
    X(FCVT_D_S, FD = fp_convert(FP_D, FP_S, S1, rm, FLAGS))                                        \
    X(FCVT_INT_D, RD = fp_to_int(FP_D, F1, OP_FP_INT_KIND(op->imm), rm, FLAGS))                    \
    X(FCVT_INT_S, RD = fp_to_int(FP_S, S1, OP_FP_INT_KIND(op->imm), rm, FLAGS))                    \
    X(FCVT_D_INT, FD = fp_from_int(FP_D, RS1, OP_FP_INT_KIND(op->imm), rm, FLAGS))                 \
    X(FCVT_S_INT,                                                                                  \
      FD = fp_box_s((uint32_t)fp_from_int(FP_S, RS1, OP_FP_INT_KIND(op->imm), rm, FLAGS)))

#define DEFINE_FP_RM(name, body)                                                                   \
    FP_OP_RM(name, body)                                                                           \
    VARIANT(name, RNE)                                                                             \
    {                                                                                              \
        if (unlikely(!fp_plain))                                                                   \
            goto L_##name;                                                                         \
        const unsigned rm = FRM_RNE;                                                               \
        body;                                                                                      \
        NEXT();                                                                                    \
    }

#define WIDEN_S(v) fp_box_s((uint32_t)(v))
#define WIDEN_H(v) fp_box_h((uint16_t)(v))
#define BOX_H(v) fp_box_h((uint16_t)(v))
#define WIDEN_D(v) ((uint64_t)(v))

/* Leaves the block for a static target through chain[slot]: when the
 * successor is already chained (and the budget lasts), the next block
 * starts right here, so every exit site has its own indirect jump for the
 * host to predict. Chains never leave their page, so only a backward exit
 * can close a loop: forward ones (fall-through, check_budget false) skip
 * the budget test, and a run still ends within one page's worth of blocks
 * after the budget is spent. */
#define STATIC_EXIT(target_pc, exit_slot, check_budget)                                            \
    do {                                                                                           \
        target = (target_pc);                                                                      \
        slot = (exit_slot);                                                                        \
        TranslationBlock *next_tb = tb->chain[slot];                                               \
        if (unlikely(next_tb == NULL) || ((check_budget) && unlikely(budget <= 0)))                \
            goto dynamic_exit;                                                                     \
        tb = next_tb;                                                                              \
        base_pc = target;                                                                          \
        START_BLOCK();                                                                             \
    } while (0)

#if defined(EMBER_OP_PROFILE) && RISCV_XLEN == 64
#define PROFILE_BLOCK() op_profile_block(tb->ops, tb->n_ops)
#else
#define PROFILE_BLOCK() ((void)0)
#endif

/* Runs tb from its first op, charging its instructions to the budget. */
#define START_BLOCK()                                                                              \
    do {                                                                                           \
        op = tb->ops;                                                                              \
        PROFILE_BLOCK();                                                                           \
        budget -= tb->n_insns;                                                                     \
        mem_ops += tb->mem_ops;                                                                    \
        DISPATCH();                                                                                \
    } while (0)

#define BRANCH(cond)                                                                               \
    do {                                                                                           \
        if (cond)                                                                                  \
            STATIC_EXIT(VA(base_pc + IMM), 0, true);                                               \
        STATIC_EXIT(VA(PC + op->len), 1, false);                                                   \
    } while (0)

/* A taken exit back to the start of this block (a loop of one block: the
 * _LOOP variants riscv_prepare_block picks). The block is its own
 * successor, valid while it runs (a store to its code stops it), so the
 * chain is not consulted and base_pc stays. */
#define LOOP_EXIT()                                                                                \
    do {                                                                                           \
        if (unlikely(budget <= 0)) {                                                               \
            target = base_pc;                                                                      \
            slot = 0;                                                                              \
            goto dynamic_exit;                                                                     \
        }                                                                                          \
        START_BLOCK();                                                                             \
    } while (0)

#define LOOP_BRANCH(cond)                                                                          \
    do {                                                                                           \
        if (cond)                                                                                  \
            LOOP_EXIT();                                                                           \
        STATIC_EXIT(VA(PC + op->len), 1, false);                                                   \
    } while (0)

#define ILLEGAL()                                                                                  \
    do {                                                                                           \
        cause = EXC_ILLEGAL_INSN;                                                                  \
        tval = op->insn;                                                                           \
        goto raise;                                                                                \
    } while (0)

/* Folds a run's per-block totals (TranslationBlock.mem_ops) into stats. */
static inline void add_mem_stats(RiscvCpu *cpu, uint64_t mem_ops)
{
    cpu->stats.loads += (uint32_t)mem_ops;
    cpu->stats.stores += mem_ops >> 32;
}
/* Each kind's handler variants (NULL where a kind has none): plain; taking
 * rs1 or rs2 from last (forwarding); and for branches and JAL back to
 * their own block's start, the LOOP_EXIT ones. A forwarding variant's
 * index is its operand (1 or 2), plus VARIANT_LOOP for a loop. FP ops that
 * round have _RNE variants (FP_RM_OPS). */
enum {
    VARIANT_PLAIN,
    VARIANT_F1,
    VARIANT_F2,
    VARIANT_LOOP,
    VARIANT_LOOP_F1,
    VARIANT_LOOP_F2,
    VARIANT_RNE,
    HANDLER_VARIANTS
};
static const void *const (*handler_variants)[OP_COUNT];
/* The fused handlers (FUSED_PRODUCERS, FUSED_LOADS) as a table: row by
 * the handler of the block's last op (fused_ends), column by the handler of
 * the op before it (fused_producers). */
static const void *const *fused_ends;
static size_t fused_end_count;
static const void *const *fused_producers;
static size_t fused_producer_count;
static const void *const *fused_table;
/* The fused handlers of FUSED_PAIRS: the first op's handler, the next
 * op's, and the handler that runs both, row by row. */
static const void *const (*fused_pairs)[3];
static size_t fused_pair_count;
/* The handlers of runs (RUN_STEPS), from the plain one: of ld, of sd. */
static const void *const (*run_handlers)[RUN_LENGTH];

/* Runs tb and the blocks chained or jump-cached after it until a block
 * leaves unchained or insn_limit is reached. Called once with tb NULL to
 * publish the handler labels (riscv_ops_init). */
static void execute_blocks(RiscvCpu *cpu, TranslationBlock *tb, uint64_t vpc, uint64_t insn_limit)
{
#ifdef EMBER_COMPUTED_GOTO
#define OP_LABEL(name) [OP_##name] = &&L_##name,
#define F1_LABEL(name, ...) [OP_##name] = &&L_##name##_F1,
#define F2_LABEL(name, ...) [OP_##name] = &&L_##name##_F2,
#define LOOP_LABEL(name, ...) [OP_##name] = &&L_##name##_LOOP,
#define LOOP_F1_LABEL(name, ...) [OP_##name] = &&L_##name##_LOOP_F1,
#define LOOP_F2_LABEL(name, ...) [OP_##name] = &&L_##name##_LOOP_F2,
#define RNE_LABEL(name, ...) [OP_##name] = &&L_##name##_RNE,
    static const void *const labels[HANDLER_VARIANTS][OP_COUNT] = {
        [VARIANT_PLAIN] = {RISCV_OP_LIST(OP_LABEL)},
        [VARIANT_F1] = {RI_OPS(F1_LABEL) RR_OPS(F1_LABEL) LOAD_OPS(F1_LABEL) STORE_OPS(F1_LABEL)
                            BRANCH_OPS(F1_LABEL)},
        [VARIANT_F2] = {RR_OPS(F2_LABEL) STORE_OPS(F2_LABEL) BRANCH_OPS(F2_LABEL)},
        [VARIANT_LOOP] = {BRANCH_OPS(LOOP_LABEL) LOOP_LABEL(JAL)},
        [VARIANT_LOOP_F1] = {BRANCH_OPS(LOOP_F1_LABEL)},
        [VARIANT_LOOP_F2] = {BRANCH_OPS(LOOP_F2_LABEL)},
        [VARIANT_RNE] = {FP_RM_OPS(RNE_LABEL)},
    };
#undef OP_LABEL
#undef F1_LABEL
#undef F2_LABEL
#undef LOOP_LABEL
#undef LOOP_F1_LABEL
#undef LOOP_F2_LABEL
#undef RNE_LABEL
#define PRODUCER_LABEL(name, suffix, ...) &&L_##name##suffix,
#define END_LABEL(target) &&L_##target,
#define END_LABELS(name, ...) BRANCH_HANDLERS(END_LABEL, name)
#define FUSED_CELL(name, suffix, rs1, rs2, expr, target) &&L_##name##suffix##_THEN_##target,
#define FUSED_ROW(target) FUSED_PRODUCERS(FUSED_CELL, target) FUSED_LOADS(FUSED_CELL, target)
#define FUSED_ROWS(name, ...) BRANCH_HANDLERS(FUSED_ROW, name)
    static const void *const producers[] = {FUSED_PRODUCERS(PRODUCER_LABEL, _)
                                                FUSED_LOADS(PRODUCER_LABEL, _)};
    static const void *const ends[] = {BRANCH_OPS(END_LABELS) JUMP_HANDLERS(END_LABEL)};
    static const void *const fused[] = {BRANCH_OPS(FUSED_ROWS) JUMP_HANDLERS(FUSED_ROW)};
#define PAIR_ROW(name, suffix, target, ...)                                                        \
    {&&L_##name##suffix, &&L_##target, &&L_##name##suffix##_THEN_##target},
    static const void *const pairs[][3] = {FUSED_PAIRS(PAIR_ROW, PAIR_ROW, PAIR_ROW)};
#undef PAIR_ROW
#define RUN_LABEL(name, k, next) &&L_##name##_RUN##k,
    static const void *const runs[][RUN_LENGTH] = {{&&L_LD, RUN_STEPS(RUN_LABEL, LD)},
                                                   {&&L_SD, RUN_STEPS(RUN_LABEL, SD)}};
#undef RUN_LABEL
#undef PRODUCER_LABEL
#undef END_LABEL
#undef END_LABELS
#undef FUSED_CELL
#undef FUSED_ROW
#undef FUSED_ROWS
    if (!tb) {
        XLEN_SYMBOL(riscv_op_handlers) = labels[VARIANT_PLAIN];
        handler_variants = labels;
        fused_producers = producers;
        fused_producer_count = sizeof(producers) / sizeof(producers[0]);
        fused_ends = ends;
        fused_end_count = sizeof(ends) / sizeof(ends[0]);
        fused_table = fused;
        fused_pairs = pairs;
        fused_pair_count = sizeof(pairs) / sizeof(pairs[0]);
        run_handlers = runs;
        return;
    }
#else
    if (!tb)
        return;
#endif
    uint64_t *const x = cpu->x;
    uint64_t *const f = cpu->f;
    TlbEntry *const read_tlb = cpu->dtlb->read;
    TlbEntry *const write_tlb = cpu->dtlb->write;
    const uint64_t jump_salt = cpu->jump_salt;
    const Op *op;
    uint64_t base_pc, target, cause, tval;
    uint64_t last = 0; /* the result of the op before this one (forwarding) */
    int slot;
    MemFault fault;
    /* Instructions left before insn_limit, in a register while blocks run
     * (cpu->instret = insn_limit - budget is written back on every way out
     * and before anything that reads the counters: CSR instructions). */
    int64_t budget = (int64_t)(insn_limit - cpu->instret);
    uint64_t mem_ops = 0; /* per-block load/store totals, for cpu->stats */
    /* The page of the last load and of the last store that hit the TLB,
     * and their addends: a loop walking one page skips the TLB lookup.
     * Translations cannot change while blocks run (satp, sfence.vma, CSR
     * writes and traps all leave this function), and only entries without
     * TLB_SLOW are ever kept here. */
    uint64_t load_page = TLB_INVALID_TAG, store_page = TLB_INVALID_TAG;
    uintptr_t load_addend = 0, store_addend = 0;
    /* FS is Dirty and frm is RNE: FP ops need neither the FS test nor the
     * Dirty update, and a dynamic rounding mode is RNE. Only CSR writes and
     * traps change either, and both leave this function. */
    const bool fp_plain = (cpu->mstatus & MSTATUS_FS) == MSTATUS_FS && cpu->frm == FRM_RNE;

enter:
    base_pc = vpc;
#ifdef EMBER_COMPUTED_GOTO
    START_BLOCK();
#else
    START_BLOCK(); /* which goes to dispatch, just below */
dispatch:
    switch ((enum op_kind)op->kind) {
#endif

    CASE(NOP) NEXT();
    ALU(LUI, (uint64_t)IMM);
    ALU(AUIPC, AUIPC_EXPR); /* imm is relative to the block (riscv_prepare_block) */
    RI_OPS(DEFINE_RI)
    RR_OPS(DEFINE_RR)

    LOAD_OPS(DEFINE_LOAD)
    STORE_OPS(DEFINE_STORE)

    CASE(LR_W)
    CASE(LR_D)
    if (!exec_lr(cpu, op, &fault))
        goto raise_fault;
    NEXT();
    CASE(SC_W)
    CASE(SC_D)
    if (!exec_sc(cpu, op, &fault))
        goto raise_fault;
    if (cpu->stop_block)
        goto stop_after_op;
    NEXT();
    CASE(AMOSWAP_W)
    CASE(AMOADD_W)
    CASE(AMOXOR_W)
    CASE(AMOAND_W)
    CASE(AMOOR_W)
    CASE(AMOMIN_W)
    CASE(AMOMAX_W)
    CASE(AMOMINU_W)
    CASE(AMOMAXU_W)
    CASE(AMOSWAP_D)
    CASE(AMOADD_D)
    CASE(AMOXOR_D)
    CASE(AMOAND_D)
    CASE(AMOOR_D)
    CASE(AMOMIN_D)
    CASE(AMOMAX_D)
    CASE(AMOMINU_D)
    CASE(AMOMAXU_D)
    if (!exec_amo(cpu, op, &fault))
        goto raise_fault;
    if (cpu->stop_block)
        goto stop_after_op;
    NEXT();

    CASE(FLW)
    FP_ENABLED();
    FP_DIRTY();
    LOAD_INTO(RS1, FD, uint32_t, 4, WIDEN_S, (void)0);
    CASE(FLD)
    FP_ENABLED();
    FP_DIRTY();
    LOAD_INTO(RS1, FD, uint64_t, 8, WIDEN_D, (void)0);
    CASE(FLH)
    FP_ENABLED();
    FP_DIRTY();
    LOAD_INTO(RS1, FD, uint16_t, 2, WIDEN_H, (void)0);
    CASE(FSH)
    FP_ENABLED();
    STORE_FROM(RS1, F2, uint16_t, 2, (void)0);
    CASE(FSW)
    FP_ENABLED();
    STORE_FROM(RS1, F2, uint32_t, 4, (void)0); /* the raw low half, boxed or not */
    CASE(FSD)
    FP_ENABLED();
    STORE_FROM(RS1, F2, uint64_t, 8, (void)0);

    FP_RM_OPS(DEFINE_FP_RM)
    /* Zfh: no host fast path, every op through the exact code. */
    FP_OP_RM(FADD_H, FD = BOX_H(fp_add(FP_H, H1, H2, rm, FLAGS)))
    FP_OP_RM(FSUB_H, FD = BOX_H(fp_sub(FP_H, H1, H2, rm, FLAGS)))
    FP_OP_RM(FMUL_H, FD = BOX_H(fp_mul(FP_H, H1, H2, rm, FLAGS)))
    FP_OP_RM(FDIV_H, FD = BOX_H(fp_div(FP_H, H1, H2, rm, FLAGS)))
    FP_OP_RM(FSQRT_H, FD = BOX_H(fp_sqrt(FP_H, H1, rm, FLAGS)))
    FP_OP_RM(FMADD_H, FD = BOX_H(fp_muladd(FP_H, H1, H2, H3, OP_FP_NEGATE(op->imm), rm, FLAGS)))
    FP_OP_RM(FCVT_INT_H, RD = fp_to_int(FP_H, H1, OP_FP_INT_KIND(op->imm), rm, FLAGS))
    FP_OP_RM(FCVT_H_INT, FD = BOX_H(fp_from_int(FP_H, RS1, OP_FP_INT_KIND(op->imm), rm, FLAGS)))
    FP_OP_RM(FCVT_S_H, FD = fp_box_s((uint32_t)fp_convert(FP_S, FP_H, H1, rm, FLAGS)))
    FP_OP_RM(FCVT_H_S, FD = BOX_H(fp_convert(FP_H, FP_S, S1, rm, FLAGS)))
    FP_OP_RM(FCVT_D_H, FD = fp_convert(FP_D, FP_H, H1, rm, FLAGS))
    FP_OP_RM(FCVT_H_D, FD = BOX_H(fp_convert(FP_H, FP_D, F1, rm, FLAGS)))
    FP_OP(FSGNJ_H, true, FD = BOX_H((H1 & ~F16_SIGN) | (H2 & F16_SIGN)))
    FP_OP(FSGNJN_H, true, FD = BOX_H((H1 & ~F16_SIGN) | (~H2 & F16_SIGN)))
    FP_OP(FSGNJX_H, true, FD = BOX_H(H1 ^ (H2 & F16_SIGN)))
    FP_OP(FMIN_H, true, FD = BOX_H(fp_min(FP_H, H1, H2, FLAGS)))
    FP_OP(FMAX_H, true, FD = BOX_H(fp_max(FP_H, H1, H2, FLAGS)))
    FP_OP(FEQ_H, true, RD = fp_eq(FP_H, H1, H2, FLAGS))
    FP_OP(FLT_H, true, RD = fp_lt(FP_H, H1, H2, FLAGS))
    FP_OP(FLE_H, true, RD = fp_le(FP_H, H1, H2, FLAGS))
    FP_OP(FMV_X_H, false, RD = (uint64_t)(int64_t)(int16_t)F1) /* the raw low 16 bits */
    FP_OP(FMV_H_X, true, FD = BOX_H(RS1))
    FP_OP(FCLASS_H, false, RD = fp_class(FP_H, H1))
    FP_OP(FSGNJ_D, true, FD = (F1 & ~F64_SIGN) | (F2 & F64_SIGN))
    FP_OP(FSGNJN_D, true, FD = (F1 & ~F64_SIGN) | (~F2 & F64_SIGN))
    FP_OP(FSGNJX_D, true, FD = F1 ^ (F2 & F64_SIGN))
    FP_OP(FSGNJ_S, true, FD = fp_box_s((S1 & ~F32_SIGN) | (S2 & F32_SIGN)))
    FP_OP(FSGNJN_S, true, FD = fp_box_s((S1 & ~F32_SIGN) | (~S2 & F32_SIGN)))
    FP_OP(FSGNJX_S, true, FD = fp_box_s(S1 ^ (S2 & F32_SIGN)))
    FP_OP(FMIN_D, true, FD = fp_min(FP_D, F1, F2, FLAGS))
    FP_OP(FMAX_D, true, FD = fp_max(FP_D, F1, F2, FLAGS))
    FP_OP(FMIN_S, true, FD = fp_box_s((uint32_t)fp_min(FP_S, S1, S2, FLAGS)))
    FP_OP(FMAX_S, true, FD = fp_box_s((uint32_t)fp_max(FP_S, S1, S2, FLAGS)))
    FP_OP(FEQ_D, true, RD = fp_eq(FP_D, F1, F2, FLAGS))
    FP_OP(FLT_D, true, RD = fp_lt(FP_D, F1, F2, FLAGS))
    FP_OP(FLE_D, true, RD = fp_le(FP_D, F1, F2, FLAGS))
    FP_OP(FEQ_S, true, RD = fp_eq(FP_S, S1, S2, FLAGS))
    FP_OP(FLT_S, true, RD = fp_lt(FP_S, S1, S2, FLAGS))
    FP_OP(FLE_S, true, RD = fp_le(FP_S, S1, S2, FLAGS))
    FP_OP(FMV_X_D, false, RD = F1)
    FP_OP(FMV_X_W, false, RD = sext32(F1)) /* the raw low half, boxed or not */
    FP_OP(FMV_D_X, true, FD = RS1)
    FP_OP(FMV_W_X, true, FD = fp_box_s((uint32_t)RS1))
    FP_OP(FCLASS_D, false, RD = fp_class(FP_D, F1))
    FP_OP(FCLASS_S, false, RD = fp_class(FP_S, S1))

    BRANCH_OPS(DEFINE_BRANCH)
    BRANCH_OPS(DEFINE_FUSED)
    JUMP_HANDLERS(DEFINE_FUSED_FOR)
    FUSED_PAIRS(PAIR_ALU, PAIR_LOAD, PAIR_STORE)
    RUN_STEPS(LD_RUN_STEP, LD)
    RUN_STEPS(SD_RUN_STEP, SD)
    CASE(JAL)
    RD = XL(PC + op->len);
    STATIC_EXIT(VA(base_pc + IMM), 0, true);
    VARIANT(JAL, LOOP)
    RD = XL(PC + op->len);
    LOOP_EXIT();
    CASE(JALR)
    target = VA(RS1 + IMM) & ~1ull;
    RD = XL(PC + op->len);
    slot = -1;
    goto dynamic_exit;
    CASE(FALLTHROUGH)
    STATIC_EXIT(VA(PC), 1, false);

    CASE(ILLEGAL) ILLEGAL();
    CASE(ECALL)
    cause = EXC_ECALL_U + cpu->priv;
    tval = 0;
    goto raise;
    CASE(EBREAK)
    cause = EXC_BREAKPOINT;
    tval = 0;
    goto raise;
    CASE(MRET)
    if (cpu->priv != PRV_M)
        ILLEGAL();
    riscv_mret(cpu);
    goto exit_unchained;
    CASE(SRET)
    if (cpu->priv < PRV_S || (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_TSR)))
        ILLEGAL();
    riscv_sret(cpu);
    goto exit_unchained;
    CASE(WFI)
    /* Like QEMU: illegal in U-mode, and in S-mode when TW is set. */
    if (cpu->priv == PRV_U || (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_TW)))
        ILLEGAL();
    cpu->pc = PC + op->len;
    if (!riscv_pending_interrupts(cpu))
        cpu->wfi = true;
    else if (cpu->yield_on_spin)
        /* An interrupt is pending but masked: a hart polling in a WFI
         * loop (OpenSBI's stopped harts) gives the others its turn. */
        cpu->exit_request = true;
    goto exit_unchained;
    CASE(SPIN_HINT)
    /* The hart spins on memory another hart must change (Linux's
     * cpu_relax: PAUSE, or DIV rd, rd, zero, whose all-ones result is
     * written). With other harts to run, its turn passes to them here, as
     * a hypervisor exits on PAUSE loops. */
    cpu->x[op->rd] = UINT64_MAX;
    cpu->pc = PC + op->len;
    if (cpu->yield_on_spin)
        cpu->exit_request = true;
    goto exit_unchained;
    CASE(SFENCE_VMA)
    if (cpu->priv == PRV_U || (cpu->priv == PRV_S && (cpu->mstatus & MSTATUS_TVM)))
        ILLEGAL();
    {
        uint64_t vaddr = VA(RS1), asid = RS2;
        riscv_sfence_vma(cpu, op->rs1 ? &vaddr : NULL, op->rs2 ? &asid : NULL);
    }
    cpu->pc = PC + op->len;
    goto exit_unchained;
    CASE(SFENCE_INVAL)
    /* Svinval's fences around a batch of sinval.vma: each sinval.vma has
     * already flushed what it names, so they only check the mode. */
    if (cpu->priv == PRV_U)
        ILLEGAL();
    NEXT();
    CASE(CBO_MANAGE)
    /* bits 31:20 say which: 0 inval, 1 clean, 2 flush */
    if (!cbo_enabled(cpu, (op->insn >> 20) == 0 ? ENVCFG_CBIE : ENVCFG_CBCFE))
        ILLEGAL();
    if (!exec_cbo_manage(cpu, op, &fault))
        goto raise_fault;
    NEXT();
    CASE(CBO_ZERO)
    if (!cbo_enabled(cpu, ENVCFG_CBZE))
        ILLEGAL();
    if (!exec_cbo_zero(cpu, op, &fault))
        goto raise_fault;
    cpu->pc = PC + op->len;
    goto exit_unchained;
    CASE(FENCE_I)
    /* Stores already invalidate translated code, so leaving the block is
     * all fence.i needs to do. */
    cpu->pc = PC + op->len;
    goto exit_unchained;
    CASE(CSRRW)
    CASE(CSRRS)
    CASE(CSRRC)
    CASE(CSRRWI)
    CASE(CSRRSI)
    CASE(CSRRCI)
    {
        /* Counters read the value before this instruction retires. */
        cpu->instret = insn_limit - (uint64_t)budget - 1;
        bool ok = exec_csr(cpu, op);
        if (!ok)
            ILLEGAL();
        target = PC + op->len;
        /* fflags (gcc brackets FP compares with frflags and fsflags): with
         * fp_plain, reading or writing it changes nothing this loop holds
         * (FS stays Dirty, frm as it was), so the run goes on through the
         * jump cache, as after an indirect jump. */
        if (fp_plain && ((unsigned)op->imm & 0xfff) == CSR_FFLAGS) {
            slot = -1;
            goto dynamic_exit;
        }
        cpu->pc = target;
        goto exit_unchained;
    }

#ifndef EMBER_COMPUTED_GOTO
default:
    ILLEGAL();
}
#endif

/* No chained successor (or the budget is spent): the jump cache may know
 * the target; a static exit then chains to what it finds. */
dynamic_exit : if (!cpu->no_chain && budget > 0)
{
    TranslationBlock *next = jump_cache_find(cpu->jump_cache, target, jump_salt);
    if (next && next->valid) {
        /* Same virtual page is not enough: a remapped page (before its
         * sfence.vma) can leave blocks of two physical pages in the jump
         * cache, and a chain must never outlive its target's page (tb.h). */
        if (slot >= 0 && tb->valid && ((target ^ base_pc) & PAGE_MASK) == 0 &&
            ((next->phys_pc ^ tb->phys_pc) & PAGE_MASK) == 0 && next->phys_page2 == TB_ONE_PAGE)
            tb->chain[slot] = next;
        tb = next;
        vpc = target;
        goto enter;
    }
}
cpu->pc = target;
cpu->instret = insn_limit - (uint64_t)budget;
add_mem_stats(cpu, mem_ops);
cpu->last_tb = (slot >= 0 && tb->valid && ((target ^ base_pc) & PAGE_MASK) == 0) ? tb : NULL;
cpu->last_exit_slot = slot;
return;

stop_after_op :
    /* A store changed translated code: the rest of this block may be stale. */
    cpu->stop_block = false;
cpu->pc = PC + op->len;
cpu->instret = insn_limit - (uint64_t)budget - (tb->n_insns - (uint32_t)(op - tb->ops) - 1);
add_mem_stats(cpu, mem_ops);
cpu->last_tb = NULL;
return;

raise_fault : cause = fault.cause;
tval = fault.tval;
raise : cpu->pc = PC;
budget += tb->n_insns - (uint32_t)(op - tb->ops);
cpu->instret = insn_limit - (uint64_t)budget;
/* A debugger's watchpoint: the hart stops before the access, no trap. */
if (likely(cause != MEM_FAULT_DEBUG_STOP))
    riscv_raise_exception(cpu, cause, tval);
exit_unchained : cpu->instret = insn_limit - (uint64_t)budget;
add_mem_stats(cpu, mem_ops);
cpu->last_tb = NULL;
}

/* Which ops leave their integer result in last. */
static bool op_sets_last(enum op_kind kind)
{
    switch (kind) {
#define PRODUCER(name, ...) case OP_##name:
        RI_OPS(PRODUCER)
        RR_OPS(PRODUCER)
        LOAD_OPS(PRODUCER)
#undef PRODUCER
    case OP_LUI:
    case OP_AUIPC:
        return true;
    default:
        return false;
    }
}

static bool op_is_pc_relative(enum op_kind kind)
{
    switch (kind) {
#define BRANCH_KIND(name, ...) case OP_##name:
        BRANCH_OPS(BRANCH_KIND)
#undef BRANCH_KIND
    case OP_JAL:
    case OP_AUIPC:
        return true;
    default:
        return false;
    }
}

/* Which variant of op's handler takes an operand from last, given the op
 * before it (NULL for a block's first op): VARIANT_F1, VARIANT_F2 or 0. */
static unsigned forwarding_variant(const Op *prev, const Op *op)
{
    /* x0 never forwards: its writes go to REG_SINK, which no op reads. */
    if (!prev || !op_sets_last((enum op_kind)prev->kind) || prev->rd == REG_SINK)
        return VARIANT_PLAIN;
    if (op->rs1 == prev->rd && handler_variants[VARIANT_F1][op->kind])
        return VARIANT_F1;
    if (op->rs2 == prev->rd && handler_variants[VARIANT_F2][op->kind])
        return VARIANT_F2;
    return VARIANT_PLAIN;
}

static size_t handler_index(const void *const *handlers, size_t count, const void *handler)
{
    size_t i = 0;
    while (i < count && handlers[i] != handler)
        i++;
    return i;
}

/* pair[0] runs pair[1] too when a fused handler exists for the two. */
static void fuse_last_pair(Op *pair)
{
    size_t end = handler_index(fused_ends, fused_end_count, pair[1].handler);
    if (end == fused_end_count)
        return;
    size_t producer = handler_index(fused_producers, fused_producer_count, pair[0].handler);
    if (producer < fused_producer_count)
        pair[0].handler = fused_table[end * fused_producer_count + producer];
}

/* pair[0] runs pair[1] too when FUSED_PAIRS has the two. */
static bool fuse_pair(Op *pair)
{
    for (size_t i = 0; i < fused_pair_count; i++)
        if (fused_pairs[i][0] == pair[0].handler && fused_pairs[i][1] == pair[1].handler) {
            pair[0].handler = fused_pairs[i][2];
            return true;
        }
    return false;
}

/* The ops from ops[0] on (n at most) that make a run of one kind
 * (RUN_STEPS) get its handlers, counted back from the run's end; returns
 * the run's length (1: no run). */
static uint32_t fuse_run(Op *ops, uint32_t n)
{
    for (unsigned kind = 0; kind < 2; kind++) {
        const void *plain = run_handlers[kind][0];
        uint32_t len = 0;
        while (len < n && ops[len].handler == plain)
            len++;
        if (len < 2)
            continue;
        for (uint32_t i = 0; i < len; i++)
            ops[i].handler = run_handlers[kind][(len - 1 - i) % RUN_LENGTH];
        return len;
    }
    return 1;
}

void XLEN_SYMBOL(riscv_prepare_block)(Op *ops, uint32_t n, bool cached)
{
    /* PC-relative immediates become offsets from the block's first pc. */
    for (uint32_t i = 0; i < n; i++)
        if (op_is_pc_relative((enum op_kind)ops[i].kind))
            ops[i].imm += ops[i].pc_off;
    if (!handler_variants)
        return;
    for (uint32_t i = 0; i < n; i++) {
        Op *op = &ops[i];
        unsigned variant = forwarding_variant(i ? &ops[i - 1] : NULL, op);
        /* A jump or branch to offset 0 closes a loop of this one block;
         * only a cached block may run itself again without a lookup (the
         * one-instruction blocks find_block builds for page-straddling and
         * PMP-split fetches are looked up each time, as now). */
        if (cached && i == n - 1 && op_is_pc_relative((enum op_kind)op->kind) && op->imm == 0 &&
            handler_variants[VARIANT_LOOP][op->kind])
            variant += VARIANT_LOOP;
        unsigned rm = OP_FP_RM(op->imm);
        if (handler_variants[VARIANT_RNE][op->kind] && (rm == FRM_RNE || rm == FRM_DYN))
            variant = VARIANT_RNE;
        if (variant != VARIANT_PLAIN)
            op->handler = handler_variants[variant][op->kind];
    }
    if (n >= 2)
        fuse_last_pair(&ops[n - 2]);
    /* Then runs, then pairs from the front, each op in one pair at most: an
     * op's fused handler goes on to the next op's own handler. */
    for (uint32_t i = 0; i + 1 < n; i++) {
        uint32_t run = fuse_run(&ops[i], n - i);
        if (run > 1)
            i += run - 1;
        else if (fuse_pair(&ops[i]))
            i++;
    }
}

#if defined(EMBER_OP_PROFILE) && RISCV_XLEN == 64
static const char *plain_handler_name(const void *handler, char *buf, size_t len)
{
    static const char *const suffixes[HANDLER_VARIANTS] = {"",         "_F1",      "_F2", "_LOOP",
                                                           "_LOOP_F1", "_LOOP_F2", "_RNE"};
    for (unsigned v = 0; v < HANDLER_VARIANTS; v++)
        for (unsigned k = 0; k < OP_COUNT; k++)
            if (handler_variants[v][k] == handler) {
                snprintf(buf, len, "%s%s", op_kind_name((enum op_kind)k), suffixes[v]);
                return buf;
            }
    return NULL;
}

const char *riscv_handler_name64(const void *handler, char *buf, size_t len)
{
    if (plain_handler_name(handler, buf, len))
        return buf;
    for (size_t e = 0; e < fused_end_count; e++)
        for (size_t p = 0; p < fused_producer_count; p++)
            if (fused_table[e * fused_producer_count + p] == handler) {
                char producer[32], end[32];
                plain_handler_name(fused_producers[p], producer, sizeof(producer));
                plain_handler_name(fused_ends[e], end, sizeof(end));
                snprintf(buf, len, "%s_THEN_%s", producer, end);
                return buf;
            }
    for (unsigned kind = 0; kind < 2; kind++)
        for (unsigned k = 1; k < RUN_LENGTH; k++)
            if (run_handlers[kind][k] == handler) {
                plain_handler_name(run_handlers[kind][0], buf, len);
                snprintf(buf + strlen(buf), len - strlen(buf), "_THEN_RUN%u", k);
                return buf;
            }
    for (size_t i = 0; i < fused_pair_count; i++)
        if (fused_pairs[i][2] == handler) {
            char first[32], second[32];
            plain_handler_name(fused_pairs[i][0], first, sizeof(first));
            plain_handler_name(fused_pairs[i][1], second, sizeof(second));
            snprintf(buf, len, "%s_THEN_%s", first, second);
            return buf;
        }
    return NULL;
}
#endif

void XLEN_SYMBOL(riscv_ops_init)(void)
{
    if (!XLEN_SYMBOL(riscv_op_handlers))
        execute_blocks(NULL, NULL, 0, 0);
}

void XLEN_SYMBOL(riscv_execute)(RiscvCpu *cpu, TranslationBlock *tb, uint64_t vpc,
                                uint64_t insn_limit)
{
    /* Host FP flags raised by ember itself must not reach the guest; those
     * of guest operations are moved into fflags on the way out (fpu.h). */
    fp_host_take_flags();
    execute_blocks(cpu, tb, vpc, insn_limit);
    riscv_fp_sync_flags(cpu);
}
