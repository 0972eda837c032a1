/* tests/unit/test_plic.c: unit tests for hw/intc/plic.c: priorities, ties,
 * thresholds, claim/complete, per-context enables, MEIP/SEIP, bad accesses. */
#include <libfdt.h>
#include <stdlib.h>

#include "hw/intc/hart_irq.h"
#include "hw/intc/plic.h"
#include "tests/unit/harness.h"
#include "util/log.h"

#define PLIC_BASE 0x0c000000ull
#define CSR_MIP 0x344

enum { CTX_M0 = 0, CTX_S0 = 1, CTX_M1 = 2, CTX_S1 = 3 };

static TestHart *h0, *h1;
static Plic *plic;

static void setup(void)
{
    h0 = test_hart_new();
    h1 = test_hart_new();
    plic = malloc(sizeof(*plic));
    ck_assert_ptr_nonnull(plic);
    IrqLine contexts[4] = {hart_irq_line(h0->cpu, MIP_MEIP), hart_irq_line(h0->cpu, MIP_SEIP),
                           hart_irq_line(h1->cpu, MIP_MEIP), hart_irq_line(h1->cpu, MIP_SEIP)};
    plic_init(plic, contexts, 4);
    ck_assert_ptr_nonnull(memory_add_mmio(&h0->as, "plic", PLIC_BASE, PLIC_SIZE, &plic_ops, plic));
    log_capture_start();
}

static void teardown(void)
{
    log_capture_stop();
    free(plic);
    test_hart_free(h1);
    test_hart_free(h0);
}

static uint32_t rd(uint64_t offset)
{
    uint64_t value = 0;
    ck_assert_msg(memory_read(&h0->as, PLIC_BASE + offset, 4, &value), "read of 0x%llx failed",
                  (unsigned long long)offset);
    return (uint32_t)value;
}

static void wr(uint64_t offset, uint32_t value)
{
    ck_assert_msg(memory_write(&h0->as, PLIC_BASE + offset, 4, value), "write of 0x%llx failed",
                  (unsigned long long)offset);
}

static void set_line(unsigned source, bool level)
{
    IrqLine line = plic_irq_line(plic, source);
    irq_set(&line, level);
}

static void set_priority(unsigned source, uint32_t priority)
{
    wr(4 * source, priority);
}

static uint64_t enable_offset(unsigned context, unsigned source)
{
    return PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * context + 4 * (source / 32);
}

static void enable(unsigned context, unsigned source, bool on)
{
    uint64_t offset = enable_offset(context, source);
    uint32_t bit = 1u << (source % 32);
    wr(offset, on ? rd(offset) | bit : rd(offset) & ~bit);
}

static uint64_t threshold_offset(unsigned context)
{
    return PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * context;
}

static uint32_t claim(unsigned context)
{
    return rd(threshold_offset(context) + 4);
}

static void complete(unsigned context, uint32_t id)
{
    wr(threshold_offset(context) + 4, id);
}

static bool pending(unsigned source)
{
    return (rd(PLIC_PENDING_BASE + 4 * (source / 32)) >> (source % 32)) & 1;
}

static uint64_t mip(TestHart *h)
{
    uint64_t value = 0;
    ck_assert(riscv_csr_read(h->cpu, CSR_MIP, &value));
    return value;
}

/* A source with a priority, enabled for one context, its line high. */
static void arm(unsigned context, unsigned source, uint32_t priority)
{
    set_priority(source, priority);
    enable(context, source, true);
    set_line(source, true);
}

START_TEST(test_highest_priority_first)
{
    arm(CTX_M0, 3, 2);
    arm(CTX_M0, 40, 6);
    arm(CTX_M0, 77, 4);
    ck_assert_uint_eq(claim(CTX_M0), 40);
    ck_assert_uint_eq(claim(CTX_M0), 77);
    ck_assert_uint_eq(claim(CTX_M0), 3);
    ck_assert_uint_eq(claim(CTX_M0), 0);
}
END_TEST

START_TEST(test_ties_go_to_lowest_id)
{
    arm(CTX_M0, 9, 3);
    arm(CTX_M0, 64, 3);
    arm(CTX_M0, 4, 3);
    ck_assert_uint_eq(claim(CTX_M0), 4);
    ck_assert_uint_eq(claim(CTX_M0), 9);
    ck_assert_uint_eq(claim(CTX_M0), 64);
}
END_TEST

START_TEST(test_claim_with_nothing_pending_is_zero)
{
    ck_assert_uint_eq(claim(CTX_M0), 0);
    ck_assert_uint_eq(claim(CTX_S1), 0);
    enable(CTX_M0, 5, true);
    set_priority(5, 1);
    ck_assert_uint_eq(claim(CTX_M0), 0); /* enabled, but its line is low */
}
END_TEST

START_TEST(test_threshold_masks_lower_priorities)
{
    arm(CTX_M0, 2, 3);
    wr(threshold_offset(CTX_M0), 3);
    ck_assert(!(mip(h0) & MIP_MEIP));
    ck_assert_uint_eq(claim(CTX_M0), 0);
    wr(threshold_offset(CTX_M0), 2);
    ck_assert(mip(h0) & MIP_MEIP);
    ck_assert_uint_eq(claim(CTX_M0), 2);
}
END_TEST

START_TEST(test_priority_zero_never_interrupts)
{
    arm(CTX_M0, 6, 0);
    ck_assert(pending(6));
    ck_assert(!(mip(h0) & MIP_MEIP));
    ck_assert_uint_eq(claim(CTX_M0), 0);
}
END_TEST

START_TEST(test_claimed_source_waits_for_completion)
{
    arm(CTX_M0, 10, 1);
    ck_assert_uint_eq(claim(CTX_M0), 10);
    ck_assert(!pending(10));
    ck_assert(!(mip(h0) & MIP_MEIP));
    /* The line is still high, but the gateway holds it until completion. */
    set_line(10, true);
    ck_assert_uint_eq(claim(CTX_M0), 0);
    complete(CTX_M0, 10);
    ck_assert(pending(10));
    ck_assert(mip(h0) & MIP_MEIP);
    ck_assert_uint_eq(claim(CTX_M0), 10);
}
END_TEST

START_TEST(test_completion_with_line_low_ends_the_interrupt)
{
    arm(CTX_M0, 10, 1);
    ck_assert_uint_eq(claim(CTX_M0), 10);
    set_line(10, false);
    complete(CTX_M0, 10);
    ck_assert(!pending(10));
    ck_assert(!(mip(h0) & MIP_MEIP));
    ck_assert_uint_eq(claim(CTX_M0), 0);
}
END_TEST

START_TEST(test_claim_order_across_completions)
{
    arm(CTX_M0, 1, 5);
    arm(CTX_M0, 2, 1);
    ck_assert_uint_eq(claim(CTX_M0), 1);
    /* Completing the higher source while its line is high re-pends it, so
     * it wins again over the lower one. */
    complete(CTX_M0, 1);
    ck_assert_uint_eq(claim(CTX_M0), 1);
    set_line(1, false);
    complete(CTX_M0, 1);
    ck_assert_uint_eq(claim(CTX_M0), 2);
}
END_TEST

START_TEST(test_line_drop_withdraws_unclaimed_request)
{
    arm(CTX_M0, 12, 1);
    ck_assert(mip(h0) & MIP_MEIP);
    set_line(12, false);
    ck_assert(!pending(12));
    ck_assert(!(mip(h0) & MIP_MEIP));
    ck_assert_uint_eq(claim(CTX_M0), 0);
}
END_TEST

START_TEST(test_completion_needs_enable)
{
    arm(CTX_M0, 20, 1);
    ck_assert_uint_eq(claim(CTX_M0), 20);
    enable(CTX_M0, 20, false);
    long before = log_captured_bytes();
    complete(CTX_M0, 20); /* ignored: not enabled for this context */
    ck_assert_int_gt(log_captured_bytes(), before);
    enable(CTX_M0, 20, true);
    ck_assert_uint_eq(claim(CTX_M0), 0); /* still in flight */
    complete(CTX_M0, 20);
    ck_assert_uint_eq(claim(CTX_M0), 20);
}
END_TEST

START_TEST(test_enables_are_per_context)
{
    arm(CTX_S0, 30, 1);
    ck_assert(!(mip(h0) & MIP_MEIP));
    ck_assert(mip(h0) & MIP_SEIP);
    ck_assert_uint_eq(mip(h1) & (MIP_MEIP | MIP_SEIP), 0);
    ck_assert_uint_eq(claim(CTX_M0), 0);
    ck_assert_uint_eq(claim(CTX_M1), 0);
    ck_assert_uint_eq(claim(CTX_S1), 0);
    enable(CTX_M1, 30, true);
    ck_assert(mip(h1) & MIP_MEIP);
    ck_assert_uint_eq(claim(CTX_M1), 30);
    /* One gateway per source: the claim ends the request for all contexts. */
    ck_assert(!(mip(h0) & MIP_SEIP));
    ck_assert_uint_eq(claim(CTX_S0), 0);
}
END_TEST

START_TEST(test_m_context_drives_meip_s_context_seip)
{
    arm(CTX_M0, 7, 1);
    ck_assert(h0->cpu->mip & MIP_MEIP);
    ck_assert(!h0->cpu->mip_seip);
    enable(CTX_M0, 7, false);
    enable(CTX_S0, 7, true);
    ck_assert(!(h0->cpu->mip & MIP_MEIP));
    ck_assert(h0->cpu->mip_seip);
    ck_assert(mip(h0) & MIP_SEIP);
    enable(CTX_S1, 7, true);
    ck_assert(h1->cpu->mip_seip);
    ck_assert(!(h1->cpu->mip & MIP_MEIP));
    wr(threshold_offset(CTX_S0), 7);
    ck_assert(!h0->cpu->mip_seip);
    ck_assert(h1->cpu->mip_seip);
}
END_TEST

START_TEST(test_registers_are_warl)
{
    set_priority(95, 0xffffffff);
    ck_assert_uint_eq(rd(4 * 95), 7);
    wr(threshold_offset(CTX_S1), 0x1f);
    ck_assert_uint_eq(rd(threshold_offset(CTX_S1)), 7);
    /* ID 0 is not a source: its enable bit stays clear. */
    wr(enable_offset(CTX_M0, 0), 0xffffffff);
    ck_assert_uint_eq(rd(enable_offset(CTX_M0, 0)), 0xfffffffe);
    wr(enable_offset(CTX_M0, 64), 0xffffffff);
    ck_assert_uint_eq(rd(enable_offset(CTX_M0, 64)), 0xffffffff);
}
END_TEST

START_TEST(test_pending_is_read_only)
{
    long before = log_captured_bytes();
    wr(PLIC_PENDING_BASE, 0xffffffff);
    ck_assert_uint_eq(rd(PLIC_PENDING_BASE), 0);
    ck_assert_int_gt(log_captured_bytes(), before);
}
END_TEST

static const uint64_t bad_offsets[] = {
    0x0,                                             /* priority of ID 0 */
    4 * PLIC_NUM_IDS,                                /* priority past the last source */
    0xffc,                                           /* end of the priority block */
    PLIC_PENDING_BASE + 4 * PLIC_ID_WORDS,           /* past the pending words */
    PLIC_ENABLE_BASE + 4 * PLIC_ID_WORDS,            /* past context 0's enable words */
    PLIC_ENABLE_BASE + PLIC_ENABLE_STRIDE * 4,       /* context 4 of 2 harts */
    PLIC_CONTEXT_BASE - 4,                           /* end of the enable block */
    PLIC_CONTEXT_BASE + 8,                           /* past claim/complete */
    PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * 4,     /* threshold of context 4 */
    PLIC_CONTEXT_BASE + PLIC_CONTEXT_STRIDE * 4 + 4, /* claim of context 4 */
    PLIC_SIZE - 4,
};

START_TEST(test_bad_offsets_are_logged_and_ignored)
{
    arm(CTX_M0, 1, 1);
    for (size_t i = 0; i < sizeof(bad_offsets) / sizeof(bad_offsets[0]); i++) {
        long before = log_captured_bytes();
        ck_assert_uint_eq(rd(bad_offsets[i]), 0);
        wr(bad_offsets[i], 0xffffffff);
        ck_assert_msg(log_captured_bytes() > before, "offset 0x%llx not logged",
                      (unsigned long long)bad_offsets[i]);
    }
    /* Nothing the bad writes could have reached has changed. */
    ck_assert_uint_eq(rd(4), 1);
    ck_assert_uint_eq(rd(enable_offset(CTX_M0, 0)), 1u << 1);
    ck_assert_uint_eq(rd(enable_offset(CTX_S0, 0)), 0);
    ck_assert_uint_eq(rd(threshold_offset(CTX_M0)), 0);
    ck_assert_uint_eq(claim(CTX_M0), 1);
}
END_TEST

START_TEST(test_bad_completions_are_ignored)
{
    arm(CTX_M0, 1, 1);
    ck_assert_uint_eq(claim(CTX_M0), 1);
    const uint32_t ids[] = {0, PLIC_NUM_IDS, 0x80000001u, 0xffffffffu};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        long before = log_captured_bytes();
        complete(CTX_M0, ids[i]);
        ck_assert_int_gt(log_captured_bytes(), before);
    }
    ck_assert_uint_eq(claim(CTX_M0), 0);
}
END_TEST

START_TEST(test_only_32_bit_accesses)
{
    uint64_t value;
    ck_assert(!memory_read(&h0->as, PLIC_BASE + 4, 8, &value));
    ck_assert(!memory_read(&h0->as, PLIC_BASE + 4, 1, &value));
    ck_assert(!memory_write(&h0->as, PLIC_BASE + 4, 2, 3));
    ck_assert_uint_eq(rd(4), 0);
}
END_TEST

START_TEST(test_bad_source_numbers_are_unconnected)
{
    ck_assert_ptr_null(plic_irq_line(plic, 0).set);
    ck_assert_ptr_null(plic_irq_line(plic, PLIC_NUM_IDS).set);
    ck_assert_ptr_nonnull(plic_irq_line(plic, PLIC_NUM_IDS - 1).set);
    /* A hand-made line with a bad number is ignored too. */
    IrqLine line = plic_irq_line(plic, 1);
    line.n = 1000;
    irq_set(&line, true);
    ck_assert_uint_eq(rd(PLIC_PENDING_BASE), 0);
}
END_TEST

START_TEST(test_reset_clears_configuration_keeps_lines)
{
    arm(CTX_M0, 3, 4);
    arm(CTX_S1, 4, 4);
    wr(threshold_offset(CTX_M0), 1);
    ck_assert_uint_eq(claim(CTX_M0), 3);
    plic_reset(plic);
    ck_assert(!(mip(h0) & MIP_MEIP));
    ck_assert(!(mip(h1) & MIP_SEIP));
    ck_assert_uint_eq(rd(4 * 3), 0);
    ck_assert_uint_eq(rd(enable_offset(CTX_M0, 3)), 0);
    ck_assert_uint_eq(rd(threshold_offset(CTX_M0)), 0);
    /* The lines are still high, and the claim was forgotten. */
    ck_assert(pending(3));
    ck_assert(pending(4));
    arm(CTX_M0, 3, 1);
    ck_assert_uint_eq(claim(CTX_M0), 3);
}
END_TEST

static void *fdt_with_plic(uint64_t size, const uint32_t *intc, unsigned n_harts, int *rc)
{
    void *fdt = malloc(4096);
    ck_assert_ptr_nonnull(fdt);
    ck_assert_int_eq(fdt_create(fdt, 4096), 0);
    ck_assert_int_eq(fdt_finish_reservemap(fdt), 0);
    ck_assert_int_eq(fdt_begin_node(fdt, ""), 0);
    *rc = plic_fdt_node(fdt, PLIC_BASE, size, intc, n_harts, 3);
    if (*rc == 0) {
        ck_assert_int_eq(fdt_end_node(fdt), 0);
        ck_assert_int_eq(fdt_finish(fdt), 0);
    }
    return fdt;
}

static uint32_t prop_u32(const void *fdt, int node, const char *name)
{
    int len;
    const fdt32_t *value = fdt_getprop(fdt, node, name, &len);
    ck_assert_msg(value != NULL && len == 4, "property %s", name);
    return fdt32_to_cpu(*value);
}

START_TEST(test_fdt_node_matches_qemu)
{
    const uint32_t intc[2] = {2, 5};
    int rc;
    void *fdt = fdt_with_plic(PLIC_SIZE, intc, 2, &rc);
    ck_assert_int_eq(rc, 0);
    int node = fdt_path_offset(fdt, "/plic@c000000");
    ck_assert_int_ge(node, 0);
    ck_assert_uint_eq(prop_u32(fdt, node, "phandle"), 3);
    ck_assert_uint_eq(prop_u32(fdt, node, "riscv,ndev"), 0x60);
    ck_assert_uint_eq(prop_u32(fdt, node, "#address-cells"), 0);
    ck_assert_uint_eq(prop_u32(fdt, node, "#interrupt-cells"), 1);
    int len;
    ck_assert_ptr_nonnull(fdt_getprop(fdt, node, "interrupt-controller", &len));
    ck_assert_int_eq(len, 0);
    const char *compat = fdt_getprop(fdt, node, "compatible", &len);
    static const char want_compat[] = "sifive,plic-1.0.0\0riscv,plic0";
    ck_assert_int_eq(len, sizeof(want_compat));
    ck_assert_mem_eq(compat, want_compat, sizeof(want_compat));
    const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
    ck_assert_int_eq(len, 16);
    ck_assert_uint_eq(fdt32_to_cpu(reg[0]), 0);
    ck_assert_uint_eq(fdt32_to_cpu(reg[1]), 0x0c000000);
    ck_assert_uint_eq(fdt32_to_cpu(reg[2]), 0);
    ck_assert_uint_eq(fdt32_to_cpu(reg[3]), 0x600000);
    const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts-extended", &len);
    const uint32_t want_irqs[] = {2, 11, 2, 9, 5, 11, 5, 9};
    ck_assert_int_eq(len, sizeof(want_irqs));
    for (size_t i = 0; i < sizeof(want_irqs) / sizeof(want_irqs[0]); i++)
        ck_assert_uint_eq(fdt32_to_cpu(irqs[i]), want_irqs[i]);
    free(fdt);
}
END_TEST

START_TEST(test_fdt_node_errors)
{
    const uint32_t intc[PLIC_MAX_HARTS + 1] = {0};
    int rc;
    free(fdt_with_plic(PLIC_SIZE, intc, 0, &rc));
    ck_assert_int_lt(rc, 0);
    free(fdt_with_plic(PLIC_SIZE, intc, PLIC_MAX_HARTS + 1, &rc));
    ck_assert_int_lt(rc, 0);
    /* A tree too small for the node reports libfdt's error. */
    char small[128];
    ck_assert_int_eq(fdt_create(small, sizeof(small)), 0);
    ck_assert_int_eq(fdt_finish_reservemap(small), 0);
    ck_assert_int_eq(fdt_begin_node(small, ""), 0);
    ck_assert_int_eq(plic_fdt_node(small, PLIC_BASE, PLIC_SIZE, intc, 1, 3), -FDT_ERR_NOSPACE);
}
END_TEST

static Suite *plic_suite(void)
{
    Suite *s = suite_create("plic");

    TCase *order = tcase_create("priority");
    tcase_add_checked_fixture(order, setup, teardown);
    tcase_add_test(order, test_highest_priority_first);
    tcase_add_test(order, test_ties_go_to_lowest_id);
    tcase_add_test(order, test_claim_with_nothing_pending_is_zero);
    tcase_add_test(order, test_threshold_masks_lower_priorities);
    tcase_add_test(order, test_priority_zero_never_interrupts);
    suite_add_tcase(s, order);

    TCase *gateway = tcase_create("claim-complete");
    tcase_add_checked_fixture(gateway, setup, teardown);
    tcase_add_test(gateway, test_claimed_source_waits_for_completion);
    tcase_add_test(gateway, test_completion_with_line_low_ends_the_interrupt);
    tcase_add_test(gateway, test_claim_order_across_completions);
    tcase_add_test(gateway, test_line_drop_withdraws_unclaimed_request);
    tcase_add_test(gateway, test_completion_needs_enable);
    suite_add_tcase(s, gateway);

    TCase *contexts = tcase_create("contexts");
    tcase_add_checked_fixture(contexts, setup, teardown);
    tcase_add_test(contexts, test_enables_are_per_context);
    tcase_add_test(contexts, test_m_context_drives_meip_s_context_seip);
    tcase_add_test(contexts, test_reset_clears_configuration_keeps_lines);
    suite_add_tcase(s, contexts);

    TCase *guest = tcase_create("guest-input");
    tcase_add_checked_fixture(guest, setup, teardown);
    tcase_add_test(guest, test_registers_are_warl);
    tcase_add_test(guest, test_pending_is_read_only);
    tcase_add_test(guest, test_bad_offsets_are_logged_and_ignored);
    tcase_add_test(guest, test_bad_completions_are_ignored);
    tcase_add_test(guest, test_only_32_bit_accesses);
    tcase_add_test(guest, test_bad_source_numbers_are_unconnected);
    suite_add_tcase(s, guest);

    TCase *fdt = tcase_create("fdt");
    tcase_add_test(fdt, test_fdt_node_matches_qemu);
    tcase_add_test(fdt, test_fdt_node_errors);
    suite_add_tcase(s, fdt);
    return s;
}

int main(void)
{
    return run_suite(plic_suite());
}
