/* virtio_gpu_hostile.c: a bare-metal guest that abuses virtio-gpu (2D). It
 * checks the display info and the EDID, runs a correct create, attach,
 * transfer, scanout and flush sequence, then sends malformed commands:
 * bad resource ids, formats and sizes, rectangles that overflow 32 bits,
 * backing outside RAM, wrapping or empty, commands shorter than their
 * struct, unknown types, responses too small to hold the answer, and bad
 * cursor updates. Each must get the error the spec allows, nothing may be
 * written past a response buffer, and a correct command must work after
 * all of it. Prints one line per case and exits 0 through HTIF when every
 * case matched.
 *
 * The guest also runs on QEMU 7.2 (its virt board, through the UART and the
 * test device), which deviates from the spec in a few cases; there, and
 * only there, those known answers are accepted and marked as such. */
#define GUEST_NAME "gpu-hostile"
#define CTRL_QSIZE 64
#define CURSOR_QSIZE 16
#define VIRTQ_MAX CTRL_QSIZE /* the cursor queue uses the first 16 slots */
#include "virtio_guest.h"

#include "hw/virtio/gpu_spec.h"

#define SLOT_BASE 0x10001000ul
#define SLOT_SIZE 0x1000ul
#define SLOTS 8
#define VIRTIO_ID_GPU 16
/* 0.5 s: far longer than any device needs, short enough that a command
 * the device never answers does not stall the run. */
#define ANSWER_TIMEOUT (MTIME_HZ / 2)

/* Both emulators run it with -m 128M. */
#define RAM_END (0x80000000ull + (128ull << 20))

#define DESCS_PER_CMD 4
#define GUARD 64

#define DEFAULT_WIDTH 1280
#define DEFAULT_HEIGHT 800

/* Backing for the 64x64 B8G8R8X8 resource, in two separate areas. */
#define RES_W 64
#define RES_H 64
#define RES_BYTES (RES_W * RES_H * 4)
#define HALF (RES_BYTES / 2)

enum { CTRLQ = 0, CURSORQ = 1 };

/* Pseudo answers for what is not a response type. */
#define NO_ANSWER 0xffffffffu
#define SHORT_ANSWER 0xfffffffeu /* used length below a header */
#define CONSUMED 0xfffffffdu     /* cursor queue: taken, nothing written */

enum { OK = VIRTIO_GPU_RESP_OK_NODATA };
enum {
    E_UNSPEC = VIRTIO_GPU_RESP_ERR_UNSPEC,
    E_OOM = VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY,
    E_SCANOUT = VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID,
    E_RESOURCE = VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID,
    E_PARAM = VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER,
};

struct seg {
    uint64_t addr;
    uint32_t len;
    int writable;
};

static uintptr_t gpu;
static struct virtq queues[2];
/* Each chain takes fresh descriptors, so one the device keeps forever is
 * never rewritten. */
static unsigned next_desc[2];
static int on_qemu;
static unsigned num_scanouts;
static int edid_offered;
static unsigned mismatches, cases;

static uint8_t req[4096] __attribute__((aligned(16)));
static uint8_t req_tail[256] __attribute__((aligned(16)));
/* The largest response (EDID), then a guard that must stay untouched. */
static uint8_t resp[sizeof(struct virtio_gpu_resp_edid) + GUARD] __attribute__((aligned(16)));
/* Given to the command QEMU never answers, so a late answer cannot land
 * in a later command's response. */
static uint8_t lost_req[8], lost_resp[64];
/* The two backing areas: the first and last third, a gap between them. */
static uint8_t backing[3 * HALF] __attribute__((aligned(4096)));
#define backing_a backing
#define backing_b (backing + 2 * HALF)
static uint8_t cursor_backing[64 * 64 * 4] __attribute__((aligned(4096)));

static void fill(void *p, unsigned long len, uint8_t value)
{
    for (unsigned long i = 0; i < len; i++)
        ((volatile uint8_t *)p)[i] = value;
}

static uint32_t config32(unsigned offset)
{
    return *virtio_reg(gpu, VIRTIO_MMIO_CONFIG + offset);
}

/* QEMU sets marchid and mimpid; ember leaves both 0 (as htif.S relies on). */
static int running_on_qemu(void)
{
    uint64_t arch, impl;
    __asm__ volatile("csrr %0, marchid" : "=r"(arch));
    __asm__ volatile("csrr %0, mimpid" : "=r"(impl));
    return (arch | impl) != 0;
}

static void find_gpu(void)
{
    for (unsigned slot = 0; slot < SLOTS; slot++) {
        uintptr_t base = SLOT_BASE + slot * SLOT_SIZE;
        if (virtio_present(base, VIRTIO_ID_GPU)) {
            virtio_expect(base, VIRTIO_ID_GPU, "virtio-gpu is not a virtio-mmio version 2 device");
            gpu = base;
            return;
        }
    }
    fail("no virtio-gpu on any virtio-mmio slot");
}

static void setup(void)
{
    uint32_t offered = virtio_negotiate(gpu, 1u << VIRTIO_GPU_F_EDID);
    if (offered & (1u << VIRTIO_GPU_F_VIRGL))
        say("the device offers VIRGL (not taken)");
    edid_offered = (offered >> VIRTIO_GPU_F_EDID) & 1;
    static const unsigned sizes[2] = {CTRL_QSIZE, CURSOR_QSIZE};
    for (unsigned q = 0; q < 2; q++) {
        next_desc[q] = 0;
        if (!virtq_setup(gpu, q, &queues[q], sizes[q]))
            fail("a queue did not become ready");
    }
    virtio_driver_ok(gpu);
    num_scanouts = config32(VIRTIO_GPU_CFG_NUM_SCANOUTS);
    if (num_scanouts < 1 || num_scanouts > VIRTIO_GPU_MAX_SCANOUTS)
        fail("num_scanouts is not within 1..16");
}

/* Posts segs as one chain on queue q and waits for the device to use it.
 * Returns whether it did, with the used length. */
static int exchange(unsigned q, const struct seg *segs, unsigned n, uint32_t *used_len)
{
    struct virtq *v = &queues[q];
    uint16_t head = (uint16_t)next_desc[q];
    for (unsigned i = 0; i < n; i++) {
        uint16_t slot = (uint16_t)((head + i) % v->size);
        uint16_t flags = (uint16_t)(segs[i].writable ? VIRTQ_DESC_F_WRITE : 0);
        if (i + 1 < n)
            flags |= VIRTQ_DESC_F_NEXT;
        v->desc[slot] = (struct virtq_desc){segs[i].addr, segs[i].len, flags,
                                            (uint16_t)((head + i + 1) % v->size)};
    }
    next_desc[q] = (head + DESCS_PER_CMD) % v->size;
    uint16_t before = virtq_used_idx(v);
    virtq_offer(v, head, 1);
    virtio_notify(gpu, q);
    if (!virtq_wait_used(v, before, ANSWER_TIMEOUT))
        return 0;
    *virtio_reg(gpu, VIRTIO_MMIO_INTERRUPT_ACK) = *virtio_reg(gpu, VIRTIO_MMIO_INTERRUPT_STATUS);
    if (v->used.ring[before % v->size].id != head)
        fail("the device used another chain than the one just posted");
    *used_len = v->used.ring[before % v->size].len;
    return 1;
}

static unsigned resp_overrun(unsigned from)
{
    for (unsigned i = from; i < sizeof(resp); i++)
        if (resp[i] != 0xee)
            return 1;
    return 0;
}

/* Control command: req_len bytes of req, a response of resp_len bytes.
 * Returns the response type or a pseudo answer. Anything written past
 * resp_len, or a used length beyond it, is a mismatch of its own. */
static uint32_t command_into(uint32_t req_len, uint32_t resp_len)
{
    fill(resp, sizeof(resp), 0xee);
    struct seg segs[2] = {{(uintptr_t)req, req_len, 0}, {(uintptr_t)resp, resp_len, 1}};
    uint32_t len;
    if (!exchange(CTRLQ, segs, 2, &len))
        return NO_ANSWER;
    if (len > resp_len || resp_overrun(resp_len)) {
        print("gpu-hostile: MISMATCH: the device wrote past the response buffer\n");
        mismatches++;
    }
    if (len < sizeof(struct virtio_gpu_ctrl_hdr))
        return SHORT_ANSWER;
    return ((struct virtio_gpu_ctrl_hdr *)resp)->type;
}

static uint32_t command(uint32_t req_len)
{
    return command_into(req_len, sizeof(struct virtio_gpu_ctrl_hdr));
}

static void *request(uint32_t type, unsigned size)
{
    zero(req, size);
    ((struct virtio_gpu_ctrl_hdr *)req)->type = type;
    return req;
}

static uint32_t create_2d(uint32_t id, uint32_t format, uint32_t width, uint32_t height)
{
    struct virtio_gpu_resource_create_2d *c =
        request(VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, sizeof(*c));
    c->resource_id = id;
    c->format = format;
    c->width = width;
    c->height = height;
    return command(sizeof(*c));
}

/* entries go into the request; nr_entries is what it claims. */
static uint32_t attach(uint32_t id, const struct virtio_gpu_mem_entry *entries, unsigned count,
                       uint32_t nr_entries)
{
    struct virtio_gpu_resource_attach_backing *a =
        request(VIRTIO_GPU_CMD_RESOURCE_ATTACH_BACKING, sizeof(*a));
    a->resource_id = id;
    a->nr_entries = nr_entries;
    struct virtio_gpu_mem_entry *e = (struct virtio_gpu_mem_entry *)(a + 1);
    for (unsigned i = 0; i < count; i++)
        e[i] = entries[i];
    return command(sizeof(*a) + count * sizeof(*e));
}

static uint32_t attach_one(uint32_t id, uint64_t addr, uint32_t length)
{
    struct virtio_gpu_mem_entry e = {addr, length, 0};
    return attach(id, &e, 1, 1);
}

static uint32_t detach(uint32_t id)
{
    struct virtio_gpu_resource_detach_backing *d =
        request(VIRTIO_GPU_CMD_RESOURCE_DETACH_BACKING, sizeof(*d));
    d->resource_id = id;
    return command(sizeof(*d));
}

static uint32_t unref(uint32_t id)
{
    struct virtio_gpu_resource_unref *u = request(VIRTIO_GPU_CMD_RESOURCE_UNREF, sizeof(*u));
    u->resource_id = id;
    return command(sizeof(*u));
}

static struct virtio_gpu_rect rect(uint32_t x, uint32_t y, uint32_t width, uint32_t height)
{
    return (struct virtio_gpu_rect){x, y, width, height};
}

static uint32_t transfer(uint32_t id, struct virtio_gpu_rect r, uint64_t offset)
{
    struct virtio_gpu_transfer_to_host_2d *t =
        request(VIRTIO_GPU_CMD_TRANSFER_TO_HOST_2D, sizeof(*t));
    t->r = r;
    t->offset = offset;
    t->resource_id = id;
    return command(sizeof(*t));
}

static uint32_t flush(uint32_t id, struct virtio_gpu_rect r)
{
    struct virtio_gpu_resource_flush *f = request(VIRTIO_GPU_CMD_RESOURCE_FLUSH, sizeof(*f));
    f->r = r;
    f->resource_id = id;
    return command(sizeof(*f));
}

static uint32_t set_scanout(uint32_t scanout, uint32_t id, struct virtio_gpu_rect r)
{
    struct virtio_gpu_set_scanout *s = request(VIRTIO_GPU_CMD_SET_SCANOUT, sizeof(*s));
    s->r = r;
    s->scanout_id = scanout;
    s->resource_id = id;
    return command(sizeof(*s));
}

static uint32_t get_edid(uint32_t scanout)
{
    struct virtio_gpu_get_edid *g = request(VIRTIO_GPU_CMD_GET_EDID, sizeof(*g));
    g->scanout = scanout;
    return command_into(sizeof(*g), sizeof(struct virtio_gpu_resp_edid));
}

/* Cursor commands have no response (the Linux driver gives none): the
 * device must take the buffer and write nothing. */
static uint32_t cursor(uint32_t type, uint32_t scanout, uint32_t id, uint32_t size)
{
    struct virtio_gpu_update_cursor *c = request(type, sizeof(*c));
    c->pos = (struct virtio_gpu_cursor_pos){scanout, 10, 20, 0};
    c->resource_id = id;
    c->hot_x = 1;
    c->hot_y = 2;
    struct seg seg = {(uintptr_t)req, size, 0};
    uint32_t len;
    if (!exchange(CURSORQ, &seg, 1, &len))
        return NO_ANSWER;
    return len == 0 ? CONSUMED : SHORT_ANSWER;
}

static const char *answer_name(uint32_t a)
{
    switch (a) {
    case VIRTIO_GPU_RESP_OK_NODATA:
        return "OK_NODATA";
    case VIRTIO_GPU_RESP_OK_DISPLAY_INFO:
        return "OK_DISPLAY_INFO";
    case VIRTIO_GPU_RESP_OK_CAPSET_INFO:
        return "OK_CAPSET_INFO";
    case VIRTIO_GPU_RESP_OK_CAPSET:
        return "OK_CAPSET";
    case VIRTIO_GPU_RESP_OK_EDID:
        return "OK_EDID";
    case VIRTIO_GPU_RESP_ERR_UNSPEC:
        return "ERR_UNSPEC";
    case VIRTIO_GPU_RESP_ERR_OUT_OF_MEMORY:
        return "ERR_OUT_OF_MEMORY";
    case VIRTIO_GPU_RESP_ERR_INVALID_SCANOUT_ID:
        return "ERR_INVALID_SCANOUT_ID";
    case VIRTIO_GPU_RESP_ERR_INVALID_RESOURCE_ID:
        return "ERR_INVALID_RESOURCE_ID";
    case VIRTIO_GPU_RESP_ERR_INVALID_CONTEXT_ID:
        return "ERR_INVALID_CONTEXT_ID";
    case VIRTIO_GPU_RESP_ERR_INVALID_PARAMETER:
        return "ERR_INVALID_PARAMETER";
    case NO_ANSWER:
        return "no answer";
    case SHORT_ANSWER:
        return "an answer shorter than a header";
    case CONSUMED:
        return "consumed";
    default:
        return 0;
    }
}

static void print_answer(uint32_t a)
{
    const char *name = answer_name(a);
    if (name)
        print(name);
    else
        print_hex(a);
}

/* The case passes when got is one of accepted (ended by 0); on QEMU also
 * when it is qemu_answer, QEMU 7.2's known deviation (0: none). */
static void expect(const char *name, uint32_t got, const uint32_t *accepted, uint32_t qemu_answer)
{
    int in_spec = 0;
    cases++;
    print("gpu-hostile: ");
    print(name);
    print(": expected ");
    for (unsigned i = 0; accepted[i]; i++) {
        if (i)
            print(" or ");
        print_answer(accepted[i]);
        in_spec |= accepted[i] == got;
    }
    print(", got ");
    print_answer(got);
    if (in_spec) {
        print(": ok\n");
    } else if (on_qemu && qemu_answer && got == qemu_answer) {
        print(": QEMU 7.2's known deviation\n");
    } else {
        print(": MISMATCH\n");
        mismatches++;
    }
}

#define ANY(...) ((const uint32_t[]){__VA_ARGS__, 0})

static void expect_ok(const char *name, uint32_t got)
{
    expect(name, got, ANY(OK), 0);
}

/* Undoes what a command that should have failed may have done; only
 * reported, since the device had already answered wrongly. */
static void clean_up(const char *what, uint32_t got)
{
    print("gpu-hostile:   clean-up: ");
    print(what);
    print(": ");
    print_answer(got);
    print("\n");
}

/* A create that should have failed but made a resource: remove it, so its
 * id does not change what later cases see. */
static void create_failed(const char *name, uint32_t id, uint32_t got, const uint32_t *accepted,
                          uint32_t qemu_answer)
{
    expect(name, got, accepted, qemu_answer);
    if (got == OK)
        clean_up("unref the resource", unref(id));
}

static void attach_failed(const char *name, uint32_t id, uint32_t got, const uint32_t *accepted,
                          uint32_t qemu_answer)
{
    expect(name, got, accepted, qemu_answer);
    if (got == OK)
        clean_up("detach the backing", detach(id));
}

static void check(int good, const char *what)
{
    cases++;
    print("gpu-hostile: ");
    print(what);
    print(good ? ": ok\n" : ": MISMATCH\n");
    if (!good)
        mismatches++;
}

static void display_info(void)
{
    request(VIRTIO_GPU_CMD_GET_DISPLAY_INFO, sizeof(struct virtio_gpu_ctrl_hdr));
    uint32_t got = command_into(sizeof(struct virtio_gpu_ctrl_hdr),
                                sizeof(struct virtio_gpu_resp_display_info));
    expect("GET_DISPLAY_INFO", got, ANY(VIRTIO_GPU_RESP_OK_DISPLAY_INFO), 0);
    const struct virtio_gpu_resp_display_info *info = (const void *)resp;
    const struct virtio_gpu_display_one *m = &info->pmodes[0];
    print("gpu-hostile: scanout 0: ");
    print_dec(m->r.width);
    print("x");
    print_dec(m->r.height);
    print(m->enabled ? " enabled" : " disabled");
    print(", num_scanouts ");
    print_dec(num_scanouts);
    print("\n");
    check(m->enabled && m->r.width == DEFAULT_WIDTH && m->r.height == DEFAULT_HEIGHT,
          "scanout 0 is enabled at 1280x800");
    int others_off = 1;
    for (unsigned i = num_scanouts; i < VIRTIO_GPU_MAX_SCANOUTS; i++)
        others_off &= !info->pmodes[i].enabled;
    check(others_off, "no scanout beyond num_scanouts is enabled");
}

static int edid_block_ok(const uint8_t *block)
{
    uint8_t sum = 0;
    for (unsigned i = 0; i < 128; i++)
        sum = (uint8_t)(sum + block[i]);
    return sum == 0;
}

static void edid(void)
{
    if (!edid_offered) {
        print("gpu-hostile: VIRTIO_GPU_F_EDID not offered: no EDID cases\n");
        return;
    }
    expect("GET_EDID scanout 0", get_edid(0), ANY(VIRTIO_GPU_RESP_OK_EDID), 0);
    const struct virtio_gpu_resp_edid *e = (const void *)resp;
    print("gpu-hostile: EDID size ");
    print_dec(e->size);
    print("\n");
    int good = e->size >= 128 && e->size <= sizeof(e->edid);
    static const uint8_t header[8] = {0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0};
    for (unsigned i = 0; good && i < 8; i++)
        good = e->edid[i] == header[i];
    check(good, "EDID of 128 bytes or more with the fixed header");
    if (!good)
        return;
    unsigned blocks = 1 + e->edid[126]; /* the base block counts its extensions */
    good = blocks * 128 <= e->size;
    for (unsigned b = 0; good && b < blocks; b++)
        good = edid_block_ok(e->edid + b * 128);
    check(good, "EDID base block and each extension sum to 0");
    /* The first detailed timing is the preferred mode (EDID 1.4, 3.10.2). */
    const uint8_t *t = e->edid + 54;
    unsigned width = t[2] | (t[4] >> 4) << 8, height = t[5] | (t[7] >> 4) << 8;
    check(width == DEFAULT_WIDTH && height == DEFAULT_HEIGHT,
          "EDID's preferred mode is the scanout's 1280x800");
    expect("GET_EDID scanout 99", get_edid(99), ANY(E_PARAM, E_SCANOUT), 0);
}

static void correct_sequence(void)
{
    for (unsigned i = 0; i < HALF; i++) {
        backing_a[i] = (uint8_t)i;
        backing_b[i] = (uint8_t)~i;
    }
    expect_ok("RESOURCE_CREATE_2D id 1 B8G8R8X8 64x64",
              create_2d(1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, RES_W, RES_H));
    struct virtio_gpu_mem_entry two[2] = {{(uintptr_t)backing_a, HALF, 0},
                                          {(uintptr_t)backing_b, HALF, 0}};
    expect_ok("RESOURCE_ATTACH_BACKING id 1, two separate areas", attach(1, two, 2, 2));
    expect_ok("TRANSFER_TO_HOST_2D id 1, all of it", transfer(1, rect(0, 0, RES_W, RES_H), 0));
    expect_ok("TRANSFER_TO_HOST_2D id 1, a rectangle at an offset",
              transfer(1, rect(8, 8, 16, 16), 8 * RES_W * 4 + 8 * 4));
    expect_ok("SET_SCANOUT 0 to id 1", set_scanout(0, 1, rect(0, 0, RES_W, RES_H)));
    expect_ok("RESOURCE_FLUSH id 1", flush(1, rect(0, 0, RES_W, RES_H)));

    /* Fenced: the response echoes the flag and the fence id (5.7.6.7). */
    struct virtio_gpu_resource_flush *f = request(VIRTIO_GPU_CMD_RESOURCE_FLUSH, sizeof(*f));
    f->hdr.flags = VIRTIO_GPU_FLAG_FENCE;
    f->hdr.fence_id = 0x123456789abcull;
    f->r = rect(0, 0, RES_W, RES_H);
    f->resource_id = 1;
    expect_ok("RESOURCE_FLUSH id 1, fenced", command(sizeof(*f)));
    const struct virtio_gpu_ctrl_hdr *h = (const void *)resp;
    check((h->flags & VIRTIO_GPU_FLAG_FENCE) && h->fence_id == 0x123456789abcull,
          "the fenced response echoes the fence flag and id");
}

static void bad_creates(void)
{
    const uint32_t fmt = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
    expect("RESOURCE_CREATE_2D id 0", create_2d(0, fmt, 64, 64), ANY(E_RESOURCE), 0);
    expect("RESOURCE_CREATE_2D id 1 again", create_2d(1, fmt, 64, 64), ANY(E_RESOURCE), 0);
    create_failed("RESOURCE_CREATE_2D format 0x7777", 2, create_2d(2, 0x7777, 64, 64), ANY(E_PARAM),
                  0);
    create_failed("RESOURCE_CREATE_2D format 0", 2, create_2d(2, 0, 64, 64), ANY(E_PARAM), 0);
    create_failed("RESOURCE_CREATE_2D 0xffffffff x 0xffffffff", 3,
                  create_2d(3, fmt, 0xffffffffu, 0xffffffffu), ANY(E_OOM, E_PARAM), 0);
    /* 65536 * 4 * 65536 is 2^34: 0 in 32 bits. */
    create_failed("RESOURCE_CREATE_2D 65536x65536", 4, create_2d(4, fmt, 65536, 65536),
                  ANY(E_OOM, E_PARAM), OK);
    create_failed("RESOURCE_CREATE_2D 0x40000000 x 1 (stride overflows)", 4,
                  create_2d(4, fmt, 0x40000000u, 1), ANY(E_OOM, E_PARAM), 0);
    create_failed("RESOURCE_CREATE_2D width 0", 5, create_2d(5, fmt, 0, 64), ANY(E_PARAM), OK);
    create_failed("RESOURCE_CREATE_2D height 0", 6, create_2d(6, fmt, 64, 0), ANY(E_PARAM), OK);
}

/* QEMU 7.2 aborts on a transfer whose offset lies beyond the backing
 * (iov_to_buf_full asserts): such a case cannot run there. */
static int skipped_on_qemu(const char *name)
{
    if (!on_qemu)
        return 0;
    print("gpu-hostile: ");
    print(name);
    print(": skipped, QEMU 7.2 aborts on it\n");
    return 1;
}

static void bad_rectangles(void)
{
    static const struct {
        const char *what;
        struct virtio_gpu_rect r;
    } bad[] = {
        {"x 0xffffff00 width 0x200 (x + width wraps)", {0xffffff00u, 0, 0x200, 16}},
        {"y 0xffffff00 height 0x200 (y + height wraps)", {0, 0xffffff00u, 16, 0x200}},
        {"width 65, one column too many", {0, 0, 65, 64}},
        {"x 64 y 0 width 1", {64, 0, 1, 1}},
        {"width 0xffffffff", {0, 0, 0xffffffffu, 64}},
    };
    static char name[128];
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        static const char *const kinds[3] = {"TRANSFER_TO_HOST_2D ", "RESOURCE_FLUSH ",
                                             "SET_SCANOUT "};
        for (unsigned k = 0; k < 3; k++) {
            unsigned n = 0;
            for (const char *s = kinds[k]; *s; s++)
                name[n++] = *s;
            for (const char *s = bad[i].what; *s && n + 1 < sizeof(name); s++)
                name[n++] = *s;
            name[n] = '\0';
            uint32_t got = k == 0   ? transfer(1, bad[i].r, 0)
                           : k == 1 ? flush(1, bad[i].r)
                                    : set_scanout(0, 1, bad[i].r);
            expect(name, got, ANY(E_PARAM), 0);
        }
    }
    /* The spec is silent on offsets: refusing them or copying only what the
     * backing holds are both fine, reading outside it is not. */
    static const char beyond[] = "TRANSFER_TO_HOST_2D offset 0x10000000, beyond the backing";
    static const char wraps[] = "TRANSFER_TO_HOST_2D offset 2^64 - 256 (offset + stride wraps)";
    if (!skipped_on_qemu(beyond))
        expect(beyond, transfer(1, rect(0, 0, 16, 16), 0x10000000u), ANY(OK, E_PARAM), 0);
    if (!skipped_on_qemu(wraps))
        expect(wraps, transfer(1, rect(0, 0, 16, 16), 0xffffffffffffff00ull), ANY(OK, E_PARAM), 0);
    expect("TRANSFER_TO_HOST_2D last row at offset 16380 (ends past the backing)",
           transfer(1, rect(0, 63, 64, 1), RES_BYTES - 4), ANY(OK, E_PARAM), 0);
    expect("TRANSFER_TO_HOST_2D of unknown id 77", transfer(77, rect(0, 0, 16, 16), 0),
           ANY(E_RESOURCE), 0);
    expect("RESOURCE_FLUSH of unknown id 77", flush(77, rect(0, 0, 16, 16)), ANY(E_RESOURCE), 0);
}

static void bad_scanouts(void)
{
    expect("SET_SCANOUT scanout 16", set_scanout(16, 1, rect(0, 0, 64, 64)), ANY(E_SCANOUT), 0);
    expect("SET_SCANOUT scanout 99", set_scanout(99, 1, rect(0, 0, 64, 64)), ANY(E_SCANOUT), 0);
    expect("SET_SCANOUT scanout 0xffffffff", set_scanout(0xffffffffu, 1, rect(0, 0, 64, 64)),
           ANY(E_SCANOUT), 0);
    if (num_scanouts < VIRTIO_GPU_MAX_SCANOUTS)
        expect("SET_SCANOUT scanout num_scanouts (one past the last)",
               set_scanout(num_scanouts, 1, rect(0, 0, 64, 64)), ANY(E_SCANOUT), 0);
    expect("SET_SCANOUT 0 to unknown id 77", set_scanout(0, 77, rect(0, 0, 64, 64)),
           ANY(E_RESOURCE), 0);
}

static void bad_backing(void)
{
    const uint32_t fmt = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
    expect_ok("RESOURCE_CREATE_2D id 2 64x64 (left without backing)", create_2d(2, fmt, 64, 64));
    struct virtio_gpu_mem_entry one = {(uintptr_t)backing_a, HALF, 0};
    attach_failed("RESOURCE_ATTACH_BACKING id 1 a second time", 1, attach(1, &one, 1, 1),
                  ANY(E_UNSPEC, E_PARAM), 0);
    expect("RESOURCE_ATTACH_BACKING unknown id 77", attach(77, &one, 1, 1), ANY(E_RESOURCE), 0);
    attach_failed("RESOURCE_ATTACH_BACKING nr_entries 0x10000000, one given", 2,
                  attach(2, &one, 1, 0x10000000u), ANY(E_UNSPEC, E_PARAM, E_OOM), 0);
    attach_failed("RESOURCE_ATTACH_BACKING nr_entries 0xffffffff, one given", 2,
                  attach(2, &one, 1, 0xffffffffu), ANY(E_UNSPEC, E_PARAM, E_OOM), 0);
    attach_failed("RESOURCE_ATTACH_BACKING nr_entries 2, one given", 2, attach(2, &one, 1, 2),
                  ANY(E_UNSPEC, E_PARAM), 0);
    attach_failed("RESOURCE_ATTACH_BACKING nr_entries 0", 2, attach(2, &one, 0, 0),
                  ANY(E_UNSPEC, E_PARAM), OK);
    /* QEMU maps what is not RAM through its bounce buffer, reading it. */
    attach_failed("RESOURCE_ATTACH_BACKING entry at 0xffffffff0000, outside RAM", 2,
                  attach_one(2, 0xffffffff0000ull, 4096), ANY(E_UNSPEC, E_PARAM), OK);
    attach_failed("RESOURCE_ATTACH_BACKING entry at 0xfffffffffffff000 + 0x2000 (wraps)", 2,
                  attach_one(2, 0xfffffffffffff000ull, 0x2000), ANY(E_UNSPEC, E_PARAM), 0);
    attach_failed("RESOURCE_ATTACH_BACKING entry from RAM's last page on past its end", 2,
                  attach_one(2, RAM_END - 4096, 0x10000), ANY(E_UNSPEC, E_PARAM), 0);
    attach_failed("RESOURCE_ATTACH_BACKING entry in MMIO (the UART)", 2,
                  attach_one(2, 0x10000000u, 4096), ANY(E_UNSPEC, E_PARAM), OK);
    attach_failed("RESOURCE_ATTACH_BACKING entry of length 0", 2,
                  attach_one(2, (uintptr_t)backing_a, 0), ANY(E_UNSPEC, E_PARAM), 0);
    /* None of those may have left backing behind. */
    expect("RESOURCE_DETACH_BACKING id 2, which has none", detach(2), ANY(E_UNSPEC, E_PARAM), 0);
    expect("TRANSFER_TO_HOST_2D id 2, which has no backing", transfer(2, rect(0, 0, 16, 16), 0),
           ANY(E_UNSPEC, E_PARAM), 0);
    expect("SET_SCANOUT 0 to id 2, which has no backing", set_scanout(0, 2, rect(0, 0, 64, 64)),
           ANY(E_UNSPEC, E_PARAM), 0);
    expect("RESOURCE_DETACH_BACKING unknown id 77", detach(77), ANY(E_RESOURCE), 0);
    expect("RESOURCE_UNREF unknown id 77", unref(77), ANY(E_RESOURCE), 0);
    expect("RESOURCE_UNREF id 0", unref(0), ANY(E_RESOURCE), 0);
}

static void bad_commands(void)
{
    request(0x0999, sizeof(struct virtio_gpu_ctrl_hdr));
    expect("unknown command 0x0999", command(sizeof(struct virtio_gpu_ctrl_hdr)), ANY(E_UNSPEC), 0);
    request(0, sizeof(struct virtio_gpu_ctrl_hdr));
    expect("command type 0", command(sizeof(struct virtio_gpu_ctrl_hdr)), ANY(E_UNSPEC), 0);
    request(VIRTIO_GPU_RESP_OK_NODATA, sizeof(struct virtio_gpu_ctrl_hdr));
    expect("a response type as a command", command(sizeof(struct virtio_gpu_ctrl_hdr)),
           ANY(E_UNSPEC), 0);

    /* QEMU never answers a request shorter than a header: the chain stays
     * with it until a reset. It gets buffers of its own. */
    zero(lost_req, sizeof(lost_req));
    *(uint32_t *)lost_req = VIRTIO_GPU_CMD_GET_DISPLAY_INFO;
    fill(lost_resp, sizeof(lost_resp), 0xee);
    struct seg segs[2] = {{(uintptr_t)lost_req, sizeof(lost_req), 0},
                          {(uintptr_t)lost_resp, sizeof(struct virtio_gpu_ctrl_hdr), 1}};
    uint32_t len, got = NO_ANSWER;
    if (exchange(CTRLQ, segs, 2, &len))
        got = len < sizeof(struct virtio_gpu_ctrl_hdr)
                  ? SHORT_ANSWER
                  : ((struct virtio_gpu_ctrl_hdr *)lost_resp)->type;
    expect("a request of 8 bytes", got, ANY(E_UNSPEC, E_PARAM), NO_ANSWER);

    request(VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, sizeof(struct virtio_gpu_ctrl_hdr));
    got = command(sizeof(struct virtio_gpu_ctrl_hdr));
    expect("RESOURCE_CREATE_2D of a header alone", got, ANY(E_UNSPEC, E_PARAM), OK);
    struct virtio_gpu_resource_create_2d *c =
        request(VIRTIO_GPU_CMD_RESOURCE_CREATE_2D, sizeof(*c));
    c->resource_id = 8;
    c->format = VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM;
    c->width = 64;
    c->height = 64;
    create_failed("RESOURCE_CREATE_2D missing its last 4 bytes", 8, command(sizeof(*c) - 4),
                  ANY(E_UNSPEC, E_PARAM), OK);
    struct virtio_gpu_set_scanout *s = request(VIRTIO_GPU_CMD_SET_SCANOUT, sizeof(*s));
    s->r = rect(0, 0, 64, 64);
    s->scanout_id = 0;
    s->resource_id = 1;
    expect("SET_SCANOUT missing its resource id", command(sizeof(*s) - 4), ANY(E_UNSPEC, E_PARAM),
           OK);

    /* A response buffer of 4 bytes: nothing may land past it. */
    request(VIRTIO_GPU_CMD_GET_DISPLAY_INFO, sizeof(struct virtio_gpu_ctrl_hdr));
    got = command_into(sizeof(struct virtio_gpu_ctrl_hdr), 4);
    cases++;
    print("gpu-hostile: GET_DISPLAY_INFO into a 4-byte response: ");
    print(got == NO_ANSWER ? "no answer" : "consumed");
    if (got == NO_ANSWER || resp_overrun(4)) {
        print(": MISMATCH\n");
        mismatches++;
    } else {
        print(", nothing written past it: ok\n");
    }

    /* Descriptors may be laid out any way (2.6.4): a flush cut after 10
     * bytes, its response in two pieces apart from each other. */
    struct virtio_gpu_resource_flush *f = request(VIRTIO_GPU_CMD_RESOURCE_FLUSH, sizeof(*f));
    f->r = rect(0, 0, 64, 64);
    f->resource_id = 1;
    for (unsigned i = 10; i < sizeof(*f); i++)
        req_tail[i - 10] = req[i];
    fill(resp, sizeof(resp), 0xee);
    struct seg split[4] = {{(uintptr_t)req, 10, 0},
                           {(uintptr_t)req_tail, sizeof(*f) - 10, 0},
                           {(uintptr_t)resp, 8, 1},
                           {(uintptr_t)resp + 64, sizeof(struct virtio_gpu_ctrl_hdr) - 8, 1}};
    got = NO_ANSWER;
    if (exchange(CTRLQ, split, 4, &len)) {
        got = resp[0] | resp[1] << 8 | (uint32_t)resp[2] << 16 | (uint32_t)resp[3] << 24;
        if (len != sizeof(struct virtio_gpu_ctrl_hdr) || resp[8] != 0xee || resp[63] != 0xee)
            got = SHORT_ANSWER;
    }
    expect_ok("RESOURCE_FLUSH split over two request and two response descriptors", got);
}

static void bad_cursors(void)
{
    const uint32_t fmt = VIRTIO_GPU_FORMAT_B8G8R8A8_UNORM;
    expect_ok("RESOURCE_CREATE_2D id 3 64x64 B8G8R8A8 (cursor)", create_2d(3, fmt, 64, 64));
    expect_ok("RESOURCE_ATTACH_BACKING id 3",
              attach_one(3, (uintptr_t)cursor_backing, sizeof(cursor_backing)));
    expect_ok("TRANSFER_TO_HOST_2D id 3", transfer(3, rect(0, 0, 64, 64), 0));
    expect_ok("RESOURCE_CREATE_2D id 4 1x1 B8G8R8A8", create_2d(4, fmt, 1, 1));
    expect_ok("RESOURCE_ATTACH_BACKING id 4", attach_one(4, (uintptr_t)cursor_backing, 4));
    expect_ok("TRANSFER_TO_HOST_2D id 4", transfer(4, rect(0, 0, 1, 1), 0));

    const uint32_t update = VIRTIO_GPU_CMD_UPDATE_CURSOR, move = VIRTIO_GPU_CMD_MOVE_CURSOR;
    const uint32_t size = sizeof(struct virtio_gpu_update_cursor);
    expect("UPDATE_CURSOR id 3 (64x64)", cursor(update, 0, 3, size), ANY(CONSUMED), 0);
    expect("MOVE_CURSOR", cursor(move, 0, 0, size), ANY(CONSUMED), 0);
    expect("UPDATE_CURSOR unknown id 77", cursor(update, 0, 77, size), ANY(CONSUMED), 0);
    expect("UPDATE_CURSOR id 4 (1x1)", cursor(update, 0, 4, size), ANY(CONSUMED), 0);
    expect("UPDATE_CURSOR id 2 (no backing)", cursor(update, 0, 2, size), ANY(CONSUMED), 0);
    expect("UPDATE_CURSOR scanout 99", cursor(update, 99, 3, size), ANY(CONSUMED), 0);
    expect("MOVE_CURSOR to scanout 99", cursor(move, 99, 0, size), ANY(CONSUMED), 0);
    expect("MOVE_CURSOR to scanout 0xffffffff", cursor(move, 0xffffffffu, 0, size), ANY(CONSUMED),
           0);
    expect("UPDATE_CURSOR of 8 bytes", cursor(update, 0, 3, 8), ANY(CONSUMED), 0);
    expect("unknown cursor command 0x0399", cursor(0x0399, 0, 3, size), ANY(CONSUMED), 0);
    expect("cursor command on the control queue", command(size), ANY(E_UNSPEC), 0);
    expect("UPDATE_CURSOR to hide it (id 0)", cursor(update, 0, 0, size), ANY(CONSUMED), 0);
}

/* Forty small resources, some backed and on the scanout, dropped out of
 * order: the device's bookkeeping must keep each id with its own image. */
static void many_resources(void)
{
    enum { FIRST = 100, COUNT = 40, SIDE = 16 };
    int good = 1;
    for (uint32_t i = 0; i < COUNT; i++)
        good &= create_2d(FIRST + i, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, SIDE, SIDE) == OK;
    for (uint32_t i = 0; i < COUNT; i += 3)
        good &= attach_one(FIRST + i, (uintptr_t)cursor_backing, SIDE * SIDE * 4) == OK;
    good &= set_scanout(0, FIRST + 3, rect(0, 0, SIDE, SIDE)) == OK;
    /* Even ids first, from the front, then a transfer to each survivor. */
    for (uint32_t i = 0; i < COUNT; i += 2)
        good &= unref(FIRST + i) == OK;
    for (uint32_t i = 1; i < COUNT; i += 2) {
        uint32_t want = i % 3 == 0 ? OK : E_UNSPEC;
        uint32_t got = transfer(FIRST + i, rect(0, 0, SIDE, SIDE), 0);
        good &= got == want || (want == E_UNSPEC && got == E_PARAM);
        good &= flush(FIRST + i, rect(0, 0, SIDE, SIDE)) == OK;
    }
    for (uint32_t i = 0; i < COUNT; i += 2)
        good &= flush(FIRST + i, rect(0, 0, SIDE, SIDE)) == E_RESOURCE;
    for (uint32_t i = COUNT - 1; i < COUNT; i -= 2)
        good &= unref(FIRST + i) == OK;
    good &= flush(FIRST + 3, rect(0, 0, SIDE, SIDE)) == E_RESOURCE;
    check(good, "40 resources created, backed, shown, dropped out of order");
}

/* 16 MiB resources until the device runs out (QEMU's and ember's budget
 * is 256 MiB); once they are gone the memory must be there again. */
static void memory_budget(void)
{
    enum { FIRST = 200, MAX = 64, SIDE = 2048 };
    uint32_t made = 0, got = OK;
    while (made < MAX) {
        got = create_2d(FIRST + made, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, SIDE, SIDE);
        if (got != OK)
            break;
        made++;
    }
    print("gpu-hostile: ");
    print_dec(made);
    print(" resources of 2048x2048 fit\n");
    expect("RESOURCE_CREATE_2D 2048x2048 once the budget is spent", got, ANY(E_OOM), 0);
    int good = made > 0;
    for (uint32_t i = 0; i < made; i++)
        good &= unref(FIRST + i) == OK;
    check(good, "those resources unreferenced");
    expect_ok("RESOURCE_CREATE_2D 2048x2048 after that",
              create_2d(FIRST, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, SIDE, SIDE));
    expect_ok("RESOURCE_UNREF of it", unref(FIRST));
}

static void still_works(void)
{
    expect_ok("RESOURCE_UNREF id 3", unref(3));
    expect_ok("RESOURCE_UNREF id 4", unref(4));
    expect_ok("RESOURCE_UNREF id 2", unref(2));
    expect_ok("TRANSFER_TO_HOST_2D id 1 after all that", transfer(1, rect(0, 0, 64, 64), 0));
    expect_ok("RESOURCE_FLUSH id 1 after all that", flush(1, rect(0, 0, 64, 64)));
    expect_ok("RESOURCE_DETACH_BACKING id 1 (on the scanout)", detach(1));
    expect("TRANSFER_TO_HOST_2D id 1 after its detach", transfer(1, rect(0, 0, 64, 64), 0),
           ANY(E_UNSPEC, E_PARAM), 0);
    expect_ok("SET_SCANOUT 0 to id 0 (off)", set_scanout(0, 0, rect(0, 0, 0, 0)));
    expect_ok("RESOURCE_UNREF id 1", unref(1));
    expect("RESOURCE_FLUSH of the unreferenced id 1", flush(1, rect(0, 0, 64, 64)), ANY(E_RESOURCE),
           0);
    expect_ok("RESOURCE_CREATE_2D id 1 again, after its unref",
              create_2d(1, VIRTIO_GPU_FORMAT_X8R8G8B8_UNORM, 32, 32));
    struct virtio_gpu_mem_entry one = {(uintptr_t)backing_a, 32 * 32 * 4, 0};
    expect_ok("RESOURCE_ATTACH_BACKING id 1", attach(1, &one, 1, 1));
    expect_ok("SET_SCANOUT 0 to id 1", set_scanout(0, 1, rect(0, 0, 32, 32)));
    expect_ok("TRANSFER_TO_HOST_2D id 1", transfer(1, rect(0, 0, 32, 32), 0));
    expect_ok("RESOURCE_FLUSH id 1", flush(1, rect(0, 0, 32, 32)));
    request(VIRTIO_GPU_CMD_GET_DISPLAY_INFO, sizeof(struct virtio_gpu_ctrl_hdr));
    expect("GET_DISPLAY_INFO at the end",
           command_into(sizeof(struct virtio_gpu_ctrl_hdr),
                        sizeof(struct virtio_gpu_resp_display_info)),
           ANY(VIRTIO_GPU_RESP_OK_DISPLAY_INFO), 0);
    check(!virtio_broken(gpu), "the device never asked for a reset");
}

/* A zero-length response buffer breaks a virtqueue rule rather than a
 * virtio-gpu one: QEMU gives up on the device (NEEDS_RESET), ember skips
 * the empty buffer. Either way a reset must bring back a device without
 * resources, that works. */
static void empty_buffer_then_reset(void)
{
    request(VIRTIO_GPU_CMD_RESOURCE_FLUSH, sizeof(struct virtio_gpu_ctrl_hdr));
    uint32_t got = command_into(sizeof(struct virtio_gpu_ctrl_hdr), 0);
    int broken = virtio_broken(gpu);
    cases++;
    print("gpu-hostile: a command with a 0-byte response buffer: ");
    print(broken             ? "the device asks for a reset: ok\n"
          : got == NO_ANSWER ? "no answer: MISMATCH\n"
                             : "consumed: ok\n");
    mismatches += !broken && got == NO_ANSWER;

    setup();
    expect("RESOURCE_FLUSH id 1 after a reset", flush(1, rect(0, 0, 32, 32)), ANY(E_RESOURCE), 0);
    expect_ok("RESOURCE_CREATE_2D id 1 after a reset",
              create_2d(1, VIRTIO_GPU_FORMAT_B8G8R8X8_UNORM, 64, 64));
    request(VIRTIO_GPU_CMD_GET_DISPLAY_INFO, sizeof(struct virtio_gpu_ctrl_hdr));
    expect("GET_DISPLAY_INFO after a reset",
           command_into(sizeof(struct virtio_gpu_ctrl_hdr),
                        sizeof(struct virtio_gpu_resp_display_info)),
           ANY(VIRTIO_GPU_RESP_OK_DISPLAY_INFO), 0);
}

int main(void)
{
    on_qemu = running_on_qemu();
    find_gpu();
    print("gpu-hostile: virtio-gpu at ");
    print_hex(gpu);
    print(on_qemu ? " (QEMU)\n" : "\n");
    setup();

    display_info();
    edid();
    correct_sequence();
    bad_creates();
    bad_rectangles();
    bad_scanouts();
    bad_backing();
    bad_commands();
    bad_cursors();
    many_resources();
    memory_budget();
    still_works();
    empty_buffer_then_reset();

    if (mismatches) {
        print("gpu-hostile: ");
        print_dec(mismatches);
        print(" of ");
        print_dec(cases);
        print(" cases did not match\n");
        return 1;
    }
    print("gpu-hostile: all cases survived\n");
    return 0;
}
