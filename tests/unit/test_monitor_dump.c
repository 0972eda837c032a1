/* tests/unit/test_monitor_dump.c: unit tests for monitor/memdump.c and
 * monitor/elfcore.c: the x/xp text expected here was printed by QEMU 7.2
 * (qemu-system-riscv64 -M virt -m 16M, the same bytes in its RAM, through
 * human-monitor-command), and the cores are read back field by field and,
 * when it is installed, by gdb-multiarch. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "monitor/elfcore.h"
#include "monitor/memdump.h"
#include "tests/unit/harness.h"
#include "util/le.h"
#include "util/strbuf.h"

#define CODE_ADDR TEST_RAM_BASE
#define DATA_ADDR (TEST_RAM_BASE + 0x100000)
#define RAM_END (TEST_RAM_BASE + TEST_RAM_SIZE)

static TestHart *hart;

/* The start of tests/cli/idle_wfi.elf: 16- and 32-bit instructions. */
static const uint32_t code_words[] = {0x100002b7, 0x00001317, 0xffc30313, 0x00034383,
                                      0x00038663, 0x00728023, 0xbfcd0305, 0x10500073};
static const uint16_t code_tail = 0xbff5;

/* What QEMU had at DATA_ADDR: every byte value, characters needing escapes,
 * and 64-bit values with the sign bit set. */
static const char data_text[] = "Hello, world!\n\r'\\\"\t\x7f\x80\xff";

static void load(uint64_t addr, const void *bytes, size_t len)
{
    ck_assert(memory_load_image(&hart->as, addr, bytes, len));
}

static void setup(void)
{
    hart = test_hart_new();
    load(CODE_ADDR, code_words, sizeof(code_words));
    load(CODE_ADDR + sizeof(code_words), &code_tail, sizeof(code_tail));

    uint8_t data[256 + sizeof(data_text) - 1 + 24];
    for (int i = 0; i < 256; i++)
        data[i] = (uint8_t)i;
    memcpy(data + 256, data_text, sizeof(data_text) - 1);
    uint8_t *words = data + 256 + sizeof(data_text) - 1;
    st_le64(words, 0xfedcba9876543210ull);
    st_le64(words + 8, UINT64_MAX);
    st_le64(words + 16, 0x8000000000000000ull);
    load(DATA_ADDR, data, sizeof(data));

    /* li a0,0; ret; and the first half of "auipc t0,0" in RAM's last two
     * bytes. */
    static const uint8_t end_code[] = {0x13, 0x05, 0x00, 0x00, 0x82, 0x80};
    static const uint8_t last_half[] = {0x97, 0x02};
    load(RAM_END - 16, end_code, sizeof(end_code));
    load(RAM_END - 2, last_half, sizeof(last_half));
}

static void teardown(void)
{
    test_hart_free(hart);
    hart = NULL;
}

/* xp's memory: RAM, and nothing else readable. */
static bool read_ram(void *opaque, uint64_t addr, uint8_t *buf, size_t len)
{
    TestHart *h = opaque;
    const uint8_t *p = memory_host_ptr(&h->as, addr, len);
    if (!p)
        return false;
    memcpy(buf, p, len);
    return true;
}

static const char *dump_text(StrBuf *out, const MemDumpFormat *fmt, uint64_t addr)
{
    strbuf_reset(out);
    memdump(out, fmt, addr, true, read_ram, hart);
    ck_assert(!out->failed);
    return strbuf_text(out);
}

/* --- format parsing ------------------------------------------------------ */

static void check_parse(const char *text, MemDumpFormat *fmt, unsigned count, char format,
                        unsigned size)
{
    char err[128] = "";
    ck_assert_msg(memdump_parse_format(text, fmt, err, sizeof(err)), "'%s': %s", text, err);
    ck_assert_msg(fmt->count == count && fmt->format == format && fmt->size == size,
                  "'%s' gave /%u%c size %u, expected /%u%c size %u", text, fmt->count, fmt->format,
                  fmt->size, count, format, size);
}

START_TEST(test_parse_defaults_and_memory)
{
    MemDumpFormat fmt = MEMDUMP_FORMAT_INIT;
    check_parse(NULL, &fmt, 1, 'x', 4);
    check_parse("", &fmt, 1, 'x', 4);
    check_parse("/8xw", &fmt, 8, 'x', 4);
    check_parse("/2h", &fmt, 2, 'x', 2);             /* format remembered */
    check_parse("/d", &fmt, 1, 'd', 2);              /* size remembered, count 1 */
    check_parse("/", &fmt, 1, 'd', 2);               /* everything remembered */
    check_parse("/4i", &fmt, 4, 'i', 2);             /* 'i' keeps the size... */
    check_parse("/3ib", &fmt, 3, 'i', 2);            /* ...even one given with it */
    check_parse("/2", &fmt, 2, 'i', 2);              /* 'i' remembered */
    check_parse("/x", &fmt, 1, 'x', 2);              /* and the size from before it */
    check_parse("/xbhw", &fmt, 1, 'x', 4);           /* the last size letter wins */
    check_parse("/bxdu", &fmt, 1, 'u', 1);           /* the last format letter wins */
    check_parse("/L", &fmt, 1, 'u', 8);              /* L is g */
    check_parse("/g", &fmt, 1, 'u', 8);              /* 8 bytes */
    check_parse("/0o", &fmt, 0, 'o', 8);             /* count 0 */
    check_parse("/010c", &fmt, 10, 'c', 8);          /* decimal, leading zero */
    check_parse("  /16cb", &fmt, 16, 'c', 1);        /* leading blanks */
    check_parse("/3dg 0x80000000", &fmt, 3, 'd', 8); /* ends at a blank */
    check_parse("0x80000000", &fmt, 1, 'd', 8);      /* no format given */
}
END_TEST

START_TEST(test_parse_errors)
{
    static const struct {
        const char *text;
        const char *message;
    } cases[] = {
        {"/4z", "invalid char in format: 'z'"},         {"/4xq", "invalid char in format: 'q'"},
        {"/x4", "invalid char in format: '4'"},         {"/4X", "invalid char in format: 'X'"},
        {"/-1x", "invalid char in format: '-'"},        {"//x", "invalid char in format: '/'"},
        {"/4x,", "invalid char in format: ','"},        {"/t", "invalid char in format: 't'"},
        {"/99999999999x", "count too large in format"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        MemDumpFormat fmt = {7, 'u', 2};
        char err[128] = "";
        ck_assert_msg(!memdump_parse_format(cases[i].text, &fmt, err, sizeof(err)), "'%s'",
                      cases[i].text);
        ck_assert_str_eq(err, cases[i].message);
        ck_assert(fmt.count == 7 && fmt.format == 'u' && fmt.size == 2);
    }
}
END_TEST

/* --- data formats, against QEMU ---------------------------------------- */

/* Each command's text from QEMU 7.2, in the order it ran (the format of
 * one is the default of the next). */
static const struct {
    const char *format;
    uint64_t addr;
    const char *text;
} qemu_dumps[] = {
    {"/8xw", 0x80000000ull,
     "0000000080000000: 0x100002b7 0x00001317 0xffc30313 0x00034383\n"
     "0000000080000010: 0x00038663 0x00728023 0xbfcd0305 0x10500073\n"},
    {"/4x", 0x80000000ull, "0000000080000000: 0x100002b7 0x00001317 0xffc30313 0x00034383\n"},
    {"/16cw", 0x80100041ull,
     "0000000080100041: 'A' 'B' 'C' 'D' 'E' 'F' 'G' 'H' 'I' 'J' 'K' 'L' 'M' 'N' 'O' 'P'\n"
     "0000000080100051: 'Q' 'R' 'S' 'T' 'U' 'V' 'W' 'X' 'Y' 'Z' '[' '\\\\' ']' '^' '_' '`'\n"
     "0000000080100061: 'a' 'b' 'c' 'd' 'e' 'f' 'g' 'h' 'i' 'j' 'k' 'l' 'm' 'n' 'o' 'p'\n"
     "0000000080100071: 'q' 'r' 's' 't' 'u' 'v' 'w' 'x' 'y' 'z' '{' '|' '}' '~' '\\x7f' '\\x80'\n"},
    {"/16cw", 0x80100100ull,
     "0000000080100100: 'H' 'e' 'l' 'l' 'o' ',' ' ' 'w' 'o' 'r' 'l' 'd' '!' '\\n' '\\r' '\\''\n"
     "0000000080100110: '\\\\' '\"' '\\x09' '\\x7f' '\\x80' '\\xff' '\\x10' '2' 'T' 'v' '\\x98' "
     "'\\xba' '\\xdc' '\\xfe' '\\xff' '\\xff'\n"
     "0000000080100120: '\\xff' '\\xff' '\\xff' '\\xff' '\\xff' '\\xff' '\\x00' '\\x00' '\\x00' "
     "'\\x00' '\\x00' '\\x00' '\\x00' '\\x80' '\\x00' '\\x00'\n"
     "0000000080100130: '\\x00' '\\x00' '\\x00' '\\x00' '\\x00' '\\x00' '\\x00' '\\x00' '\\x00' "
     "'\\x00' '\\x00' '\\x00' '\\x00' '\\x00' '\\x00' '\\x00'\n"},
    {"/4cb", 0x80100100ull, "0000000080100100: 'H' 'e' 'l' 'l'\n"},
    {"/17cb", 0x80100040ull,
     "0000000080100040: '@' 'A' 'B' 'C' 'D' 'E' 'F' 'G'\n"
     "0000000080100048: 'H' 'I' 'J' 'K' 'L' 'M' 'N' 'O'\n"
     "0000000080100050: 'P'\n"},
    {"/2cg", 0x80100100ull,
     "0000000080100100: 'H' 'e' 'l' 'l' 'o' ',' ' ' 'w' 'o' 'r' 'l' 'd' '!' '\\n' '\\r' '\\''\n"},
    {"/4ch", 0x801000fcull, "00000000801000fc: '\\xfc' '\\xfd' '\\xfe' '\\xff' 'H' 'e' 'l' 'l'\n"},
    {"/3xg", 0x80100118ull,
     "0000000080100118: 0xfffffedcba987654 0x0000ffffffffffff\n"
     "0000000080100128: 0x0000800000000000\n"},
    {"/3dg", 0x80100118ull,
     "0000000080100118:       -1250999896492      281474976710655\n"
     "0000000080100128:      140737488355328\n"},
    {"/3ug", 0x80100118ull,
     "0000000080100118: 18446742822709655124      281474976710655\n"
     "0000000080100128:      140737488355328\n"},
    {"/3og", 0x80100118ull,
     "0000000080100118: 01777777755627246073124      07777777777777777\n"
     "0000000080100128:      04000000000000000\n"},
    {"/5xw", 0x80100118ull,
     "0000000080100118: 0xba987654 0xfffffedc 0xffffffff 0x0000ffff\n"
     "0000000080100128: 0x00000000\n"},
    {"/5dw", 0x80100118ull,
     "0000000080100118: 3130553940 4294967004 4294967295      65535\n"
     "0000000080100128:          0\n"},
    {"/5uw", 0x80100118ull,
     "0000000080100118: 3130553940 4294967004 4294967295      65535\n"
     "0000000080100128:          0\n"},
    {"/5ow", 0x80100118ull,
     "0000000080100118: 027246073124 037777777334 037777777777     0177777\n"
     "0000000080100128:           0\n"},
    {"/9xh", 0x80100118ull,
     "0000000080100118: 0x7654 0xba98 0xfedc 0xffff 0xffff 0xffff 0xffff 0x0000\n"
     "0000000080100128: 0x0000\n"},
    {"/9dh", 0x80100118ull,
     "0000000080100118: 30292 47768 65244 65535 65535 65535 65535     0\n"
     "0000000080100128:     0\n"},
    {"/9uh", 0x80100118ull,
     "0000000080100118: 30292 47768 65244 65535 65535 65535 65535     0\n"
     "0000000080100128:     0\n"},
    {"/9oh", 0x80100118ull,
     "0000000080100118: 073124 0135230 0177334 0177777 0177777 0177777 0177777      0\n"
     "0000000080100128:      0\n"},
    {"/3xb", 0x80100000ull, "0000000080100000: 0x00 0x01 0x02\n"},
    {"/3db", 0x801000feull, "00000000801000fe: 254 255  72\n"},
    {"/3ub", 0x801000feull, "00000000801000fe: 254 255  72\n"},
    {"/3ob", 0x80100000ull, "0000000080100000:   0  01  02\n"},
    {"/2ob", 0x80100041ull, "0000000080100041: 0101 0102\n"},
    {"/9xb", 0x801000f8ull,
     "00000000801000f8: 0xf8 0xf9 0xfa 0xfb 0xfc 0xfd 0xfe 0xff\n"
     "0000000080100100: 0x48\n"},
    {"/5xh", 0x801000f8ull, "00000000801000f8: 0xf9f8 0xfbfa 0xfdfc 0xfffe 0x6548\n"},
    {"/3dw", 0x80100000ull, "0000000080100000:   50462976  117835012  185207048\n"},
    {"/3ow", 0x80100000ull, "0000000080100000:  0300400400  0701402404 01302404410\n"},
    {"/3dh", 0x80100000ull, "0000000080100000:   256   770  1284\n"},
    {"/0x", 0x80000000ull, ""},
    /* Read failures: a line reaching past RAM fails whole. */
    {"/6xw", 0x80fffff0ull,
     "0000000080fffff0: 0x00000513 0x00008082 0x00000000 0x02970000\n"
     "0000000081000000: Cannot access memory\n"},
    {"/4xw", 0x80fffff8ull, "0000000080fffff8: Cannot access memory\n"},
    {"/9xb", 0x80fffff8ull,
     "0000000080fffff8: 0x00 0x00 0x00 0x00 0x00 0x00 0x97 0x02\n"
     "0000000081000000: Cannot access memory\n"},
    {"/2xg", 0x0ull, "0000000000000000: Cannot access memory\n"},
    {"/1xb", 0x0ull, "0000000000000000: Cannot access memory\n"},
};

START_TEST(test_dump_matches_qemu)
{
    MemDumpFormat fmt = MEMDUMP_FORMAT_INIT;
    StrBuf out = STRBUF_INIT;
    for (size_t i = 0; i < sizeof(qemu_dumps) / sizeof(qemu_dumps[0]); i++) {
        char err[128];
        ck_assert(memdump_parse_format(qemu_dumps[i].format, &fmt, err, sizeof(err)));
        const char *text = dump_text(&out, &fmt, qemu_dumps[i].addr);
        ck_assert_msg(strcmp(text, qemu_dumps[i].text) == 0, "xp %s 0x%llx:\n%s\nQEMU:\n%s",
                      qemu_dumps[i].format, (unsigned long long)qemu_dumps[i].addr, text,
                      qemu_dumps[i].text);
    }
    strbuf_free(&out);
}
END_TEST

START_TEST(test_virtual_text_is_the_same)
{
    /* x goes through the caller's translation; on RV64 its text is xp's. */
    MemDumpFormat fmt = {4, 'x', 4};
    StrBuf out = STRBUF_INIT;
    memdump(&out, &fmt, 0x80000000ull, false, read_ram, hart);
    ck_assert_str_eq(strbuf_text(&out),
                     "0000000080000000: 0x100002b7 0x00001317 0xffc30313 0x00034383\n");
    strbuf_free(&out);
}
END_TEST

/* A read callback that fails the first time it is called, then reads. */
static int calls_until_ok;

static bool read_flaky(void *opaque, uint64_t addr, uint8_t *buf, size_t len)
{
    if (calls_until_ok > 0) {
        calls_until_ok--;
        return false;
    }
    return read_ram(opaque, addr, buf, len);
}

START_TEST(test_failure_stops_the_dump)
{
    /* QEMU stops at the first line it cannot read, even if later ones
     * would read. */
    MemDumpFormat fmt = {8, 'x', 4};
    StrBuf out = STRBUF_INIT;
    calls_until_ok = 1;
    memdump(&out, &fmt, 0x80000000ull, true, read_flaky, hart);
    ck_assert_str_eq(strbuf_text(&out), "0000000080000000: Cannot access memory\n");
    strbuf_free(&out);
}
END_TEST

/* --- instructions ------------------------------------------------------- */

START_TEST(test_instructions)
{
    /* QEMU 7.2's columns ("0x%016" address, two blanks, %08x or %04x
     * padded to 18, the mnemonic padded to 24); the text is ember's
     * disassembler's (QEMU's says "lui t0,268435456", "addi t1,t1,1"). */
    MemDumpFormat fmt = {10, 'i', 4};
    StrBuf out = STRBUF_INIT;
    ck_assert_str_eq(
        dump_text(&out, &fmt, CODE_ADDR),
        "0x0000000080000000:  100002b7          lui                     t0,0x10000\n"
        "0x0000000080000004:  00001317          auipc                   t1,0x1\n"
        "0x0000000080000008:  ffc30313          add                     t1,t1,-4\n"
        "0x000000008000000c:  00034383          lbu                     t2,0(t1)\n"
        "0x0000000080000010:  00038663          beqz                    t2,0x8000001c\n"
        "0x0000000080000014:  00728023          sb                      t2,0(t0)\n"
        "0x0000000080000018:  0305              add                     t1,t1,1\n"
        "0x000000008000001a:  bfcd              j                       0x8000000c\n"
        "0x000000008000001c:  10500073          wfi                     \n"
        "0x0000000080000020:  bff5              j                       0x8000001c\n");
    strbuf_free(&out);
}
END_TEST

START_TEST(test_instruction_note_column)
{
    /* lw a0,0(zero): ember's address note goes where QEMU puts its own,
     * column 48 of the text. */
    static const uint32_t lw = 0x00002503;
    load(DATA_ADDR + 0x1000, &lw, sizeof(lw));
    MemDumpFormat fmt = {1, 'i', 4};
    StrBuf out = STRBUF_INIT;
    ck_assert_str_eq(
        dump_text(&out, &fmt, DATA_ADDR + 0x1000),
        "0x0000000080101000:  00002503          lw                      a0,0(zero)     "
        "         # 0x0\n");
    strbuf_free(&out);
}
END_TEST

START_TEST(test_instructions_at_the_end_of_ram)
{
    /* As QEMU printed them (bar the text): a 32-bit instruction whose
     * second half is past RAM shows that half as zero, and an unreadable
     * one prints QEMU's message, a blank line, and moves on 5 bytes. */
    MemDumpFormat fmt = {3, 'i', 4};
    StrBuf out = STRBUF_INIT;
    ck_assert_str_eq(dump_text(&out, &fmt, RAM_END - 16),
                     "0x0000000080fffff0:  00000513          li                      a0,0\n"
                     "0x0000000080fffff4:  8082              ret                     \n"
                     "0x0000000080fffff6:  0000              unimp                   \n");
    ck_assert_str_eq(dump_text(&out, &fmt, RAM_END - 2),
                     "0x0000000080fffffe:  00000297          auipc                   t0,0x0\n"
                     "0x0000000081000002:  Address 0x81000002 is out of bounds.\n"
                     "\n"
                     "0x0000000081000007:  Address 0x81000007 is out of bounds.\n"
                     "\n");
    ck_assert_str_eq(dump_text(&out, &fmt, 0),
                     "0x0000000000000000:  Address 0x0 is out of bounds.\n\n"
                     "0x0000000000000005:  Address 0x5 is out of bounds.\n\n"
                     "0x000000000000000a:  Address 0xa is out of bounds.\n\n");
    fmt.count = 0;
    ck_assert_str_eq(dump_text(&out, &fmt, CODE_ADDR), "");
    strbuf_free(&out);
}
END_TEST

/* --- ELF core ----------------------------------------------------------- */

static char core_dir[64];
static char core_path[96];

static void core_setup(void)
{
    setup();
    snprintf(core_dir, sizeof(core_dir), "/tmp/ember-core-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(core_dir));
    snprintf(core_path, sizeof(core_path), "%s/guest.core", core_dir);
}

static void core_teardown(void)
{
    DIR *dir = opendir(core_dir);
    if (dir) {
        struct dirent *entry;
        char path[400];
        while ((entry = readdir(dir)) != NULL) {
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", core_dir, entry->d_name);
            if (unlink(path) != 0)
                rmdir(path);
        }
        closedir(dir);
    }
    rmdir(core_dir);
    teardown();
}

/* Names in core_dir, other than . and .. */
static int core_dir_entries(void)
{
    DIR *dir = opendir(core_dir);
    ck_assert_ptr_nonnull(dir);
    int n = 0;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL)
        n += strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0;
    closedir(dir);
    return n;
}

static uint8_t *read_whole(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
    long len = ftell(f);
    ck_assert_int_gt(len, 0);
    rewind(f);
    uint8_t *buf = malloc((size_t)len);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *size = (size_t)len;
    return buf;
}

static void set_registers(RiscvCpu *cpu, uint64_t pc, uint64_t seed)
{
    cpu->pc = pc;
    for (int i = 1; i < 32; i++)
        cpu->x[i] = seed + (uint64_t)i * 0x0101010101ull;
}

#define NOTE_SIZE (12 + 8 + 376)
#define ROM_BASE 0x1000ull
#define ROM_SIZE 0xf000ull

START_TEST(test_core_layout)
{
    /* A ROM added after RAM (the core lists regions by address) and an
     * MMIO region (not dumped), and two harts. */
    static const MemoryOps no_ops = {NULL, NULL, 1, 8};
    MemoryRegion *rom = memory_add_rom(&hart->as, "mrom", ROM_BASE, ROM_SIZE);
    ck_assert_ptr_nonnull(rom);
    rom->host[0] = 0x97;
    rom->host[ROM_SIZE - 1] = 0x5a;
    ck_assert_ptr_nonnull(memory_add_mmio(&hart->as, "uart", 0x10000000, 0x100, &no_ops, NULL));
    hart->ram->host[TEST_RAM_SIZE - 1] = 0xa5;

    RiscvCpu *second = calloc(1, sizeof(*second));
    ck_assert_ptr_nonnull(second);
    riscv_cpu_init(second, &hart->as, 1);
    set_registers(hart->cpu, 0x80000020, 0x1000);
    set_registers(second, 0x80000400, 0x2000);
    RiscvCpu *const harts[] = {hart->cpu, second};

    char err[256] = "";
    ck_assert_msg(elfcore_write(core_path, &hart->as, harts, 2, err, sizeof(err)), "%s", err);
    ck_assert_int_eq(core_dir_entries(), 1);
    struct stat st;
    ck_assert_int_eq(stat(core_path, &st), 0);
    ck_assert_uint_eq(st.st_mode & 0777, 0400);

    size_t size;
    uint8_t *core = read_whole(core_path, &size);
    Elf64_Ehdr ehdr;
    memcpy(&ehdr, core, sizeof(ehdr));
    ck_assert_mem_eq(ehdr.e_ident, ELFMAG, SELFMAG);
    ck_assert_uint_eq(ehdr.e_ident[EI_CLASS], ELFCLASS64);
    ck_assert_uint_eq(ehdr.e_ident[EI_DATA], ELFDATA2LSB);
    ck_assert_uint_eq(ehdr.e_ident[EI_VERSION], EV_CURRENT);
    ck_assert_uint_eq(ehdr.e_type, ET_CORE);
    ck_assert_uint_eq(ehdr.e_machine, EM_RISCV);
    ck_assert_uint_eq(ehdr.e_version, EV_CURRENT);
    ck_assert_uint_eq(ehdr.e_entry, 0);
    ck_assert_uint_eq(ehdr.e_ehsize, sizeof(Elf64_Ehdr));
    /* QEMU's order: section headers right after the ELF header, then the
     * program headers, the notes and memory. */
    ck_assert_uint_eq(ehdr.e_shoff, 64);
    ck_assert_uint_eq(ehdr.e_shentsize, sizeof(Elf64_Shdr));
    ck_assert_uint_eq(ehdr.e_shnum, 2);
    ck_assert_uint_eq(ehdr.e_shstrndx, 1);
    ck_assert_uint_eq(ehdr.e_phoff, 64 + 2 * 64);
    ck_assert_uint_eq(ehdr.e_phentsize, sizeof(Elf64_Phdr));
    ck_assert_uint_eq(ehdr.e_phnum, 3);

    Elf64_Phdr ph[3];
    memcpy(ph, core + ehdr.e_phoff, sizeof(ph));
    uint64_t note_offset = ehdr.e_phoff + 3 * sizeof(Elf64_Phdr);
    ck_assert_uint_eq(ph[0].p_type, PT_NOTE);
    ck_assert_uint_eq(ph[0].p_offset, note_offset);
    ck_assert_uint_eq(ph[0].p_filesz, 2 * NOTE_SIZE);
    ck_assert_uint_eq(ph[0].p_memsz, 2 * NOTE_SIZE);
    ck_assert_uint_eq(ph[0].p_vaddr, 0);
    ck_assert_uint_eq(ph[0].p_paddr, 0);

    uint64_t memory_offset = note_offset + 2 * NOTE_SIZE;
    ck_assert_uint_eq(ph[1].p_type, PT_LOAD);
    ck_assert_uint_eq(ph[1].p_offset, memory_offset);
    ck_assert_uint_eq(ph[1].p_paddr, ROM_BASE);
    ck_assert_uint_eq(ph[1].p_vaddr, ROM_BASE);
    ck_assert_uint_eq(ph[1].p_filesz, ROM_SIZE);
    ck_assert_uint_eq(ph[1].p_memsz, ROM_SIZE);
    ck_assert_uint_eq(ph[2].p_type, PT_LOAD);
    ck_assert_uint_eq(ph[2].p_offset, memory_offset + ROM_SIZE);
    ck_assert_uint_eq(ph[2].p_paddr, TEST_RAM_BASE);
    ck_assert_uint_eq(ph[2].p_vaddr, TEST_RAM_BASE);
    ck_assert_uint_eq(ph[2].p_filesz, TEST_RAM_SIZE);
    ck_assert_uint_eq(ph[2].p_memsz, TEST_RAM_SIZE);
    for (int i = 0; i < 3; i++)
        ck_assert_uint_eq(ph[i].p_flags, 0);

    /* Memory at the offsets the segments give. */
    uint64_t strtab_offset = memory_offset + ROM_SIZE + TEST_RAM_SIZE;
    ck_assert_uint_eq(size, strtab_offset + 11);
    ck_assert_uint_eq(core[ph[1].p_offset], 0x97);
    ck_assert_uint_eq(core[ph[1].p_offset + ROM_SIZE - 1], 0x5a);
    ck_assert_mem_eq(core + ph[2].p_offset, code_words, sizeof(code_words));
    ck_assert_mem_eq(core + ph[2].p_offset + (DATA_ADDR - TEST_RAM_BASE), "\x00\x01\x02\x03", 4);
    ck_assert_uint_eq(core[ph[2].p_offset + TEST_RAM_SIZE - 2], 0x97);
    ck_assert_uint_eq(core[ph[2].p_offset + TEST_RAM_SIZE - 1], 0xa5);
    ck_assert_uint_eq(core[ph[2].p_offset + 0x200000], 0);

    /* The section headers: the null one and .shstrtab at the end. */
    Elf64_Shdr sh[2];
    memcpy(sh, core + ehdr.e_shoff, sizeof(sh));
    static const Elf64_Shdr null_shdr;
    ck_assert_mem_eq(&sh[0], &null_shdr, sizeof(null_shdr));
    ck_assert_uint_eq(sh[1].sh_type, SHT_STRTAB);
    ck_assert_uint_eq(sh[1].sh_offset, strtab_offset);
    ck_assert_uint_eq(sh[1].sh_size, 11);
    ck_assert_str_eq((const char *)core + strtab_offset + sh[1].sh_name, ".shstrtab");

    /* One NT_PRSTATUS note per hart: pr_pid at 32, pr_reg at 112. */
    for (unsigned h = 0; h < 2; h++) {
        const uint8_t *note = core + note_offset + h * NOTE_SIZE;
        const RiscvCpu *cpu = harts[h];
        Elf64_Nhdr nhdr;
        memcpy(&nhdr, note, sizeof(nhdr));
        ck_assert_uint_eq(nhdr.n_namesz, 5);
        ck_assert_uint_eq(nhdr.n_descsz, 376);
        ck_assert_uint_eq(nhdr.n_type, NT_PRSTATUS);
        ck_assert_mem_eq(note + 12, "CORE\0\0\0\0", 8);
        const uint8_t *prstatus = note + 20;
        ck_assert_uint_eq(ld_le32(prstatus + 32), h + 1);
        ck_assert_uint_eq(ld_le64(prstatus + 112), cpu->pc);
        for (int i = 1; i < 32; i++)
            ck_assert_uint_eq(ld_le64(prstatus + 112 + 8 * i), cpu->x[i]);
        /* Nothing else is set: signals, times, pr_fpvalid. */
        for (int i = 0; i < 112; i++) {
            if (i < 32 || i >= 36)
                ck_assert_uint_eq(prstatus[i], 0);
        }
        for (int i = 368; i < 376; i++)
            ck_assert_uint_eq(prstatus[i], 0);
    }
    free(core);
    free(second);
}
END_TEST

START_TEST(test_core_replaces_an_old_file)
{
    FILE *f = fopen(core_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("old", f);
    fclose(f);
    ck_assert_int_eq(chmod(core_path, 0400), 0);
    RiscvCpu *const harts[] = {hart->cpu};
    char err[256] = "";
    ck_assert_msg(elfcore_write(core_path, &hart->as, harts, 1, err, sizeof(err)), "%s", err);
    size_t size;
    uint8_t *core = read_whole(core_path, &size);
    ck_assert_mem_eq(core, ELFMAG, SELFMAG);
    free(core);
    ck_assert_int_eq(core_dir_entries(), 1);
}
END_TEST

START_TEST(test_core_unwritable_path)
{
    RiscvCpu *const harts[] = {hart->cpu};
    char err[256] = "";
    char path[160];
    snprintf(path, sizeof(path), "%s/missing/guest.core", core_dir);
    ck_assert(!elfcore_write(path, &hart->as, harts, 1, err, sizeof(err)));
    ck_assert_msg(strstr(err, path) && strstr(err, strerror(ENOENT)), "%s", err);
    ck_assert_ptr_null(strchr(err, '\n'));
    ck_assert_int_eq(core_dir_entries(), 0);

    /* A directory in the way fails at the last step: nothing is left
     * behind and the directory stays. */
    ck_assert_int_eq(mkdir(core_path, 0700), 0);
    ck_assert(!elfcore_write(core_path, &hart->as, harts, 1, err, sizeof(err)));
    ck_assert_msg(strstr(err, core_path) != NULL, "%s", err);
    ck_assert_int_eq(core_dir_entries(), 1);
    struct stat st;
    ck_assert_int_eq(stat(core_path, &st), 0);
    ck_assert(S_ISDIR(st.st_mode));
}
END_TEST

START_TEST(test_core_disk_full)
{
    /* A file size limit stands in for a full disk: the write fails with
     * EFBIG half way, and the file that was there is untouched. */
    FILE *f = fopen(core_path, "w");
    ck_assert_ptr_nonnull(f);
    fputs("old", f);
    fclose(f);
    signal(SIGXFSZ, SIG_IGN);
    struct rlimit old_limit, limit;
    ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old_limit), 0);
    limit = old_limit;
    limit.rlim_cur = 1 << 20;
    ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &limit), 0);
    memset(hart->ram->host + (2 << 20), 0x11, 4096); /* data past the limit */

    RiscvCpu *const harts[] = {hart->cpu};
    char err[256] = "";
    bool ok = elfcore_write(core_path, &hart->as, harts, 1, err, sizeof(err));
    setrlimit(RLIMIT_FSIZE, &old_limit);
    signal(SIGXFSZ, SIG_DFL);
    ck_assert(!ok);
    ck_assert_msg(strstr(err, core_path) && strstr(err, strerror(EFBIG)), "%s", err);
    ck_assert_int_eq(core_dir_entries(), 1);
    size_t size;
    uint8_t *old = read_whole(core_path, &size);
    ck_assert_uint_eq(size, 3);
    ck_assert_mem_eq(old, "old", 3);
    free(old);
}
END_TEST

START_TEST(test_core_in_gdb)
{
    if (system("command -v gdb-multiarch >/dev/null 2>&1") != 0)
        return; /* gdb-multiarch is not installed: nothing more to check */
    set_registers(hart->cpu, 0x8000001c, 0x4000);
    hart->cpu->x[10] = 0x1234abcd;
    RiscvCpu *const harts[] = {hart->cpu};
    char err[256] = "";
    ck_assert_msg(elfcore_write(core_path, &hart->as, harts, 1, err, sizeof(err)), "%s", err);

    char command[512];
    snprintf(command, sizeof(command),
             "gdb-multiarch -batch -nx -ex 'set architecture riscv:rv64' -ex 'core-file %s' "
             "-ex 'info registers pc' -ex 'info registers a0' -ex 'x/4xw 0x80000000' 2>&1",
             core_path);
    FILE *gdb = popen(command, "r");
    ck_assert_ptr_nonnull(gdb);
    char output[8192];
    size_t len = fread(output, 1, sizeof(output) - 1, gdb);
    output[len] = '\0';
    pclose(gdb);
    ck_assert_msg(strstr(output, "pc             0x8000001c") != NULL, "%s", output);
    ck_assert_msg(strstr(output, "a0             0x1234abcd") != NULL, "%s", output);
    ck_assert_msg(strstr(output, "0x80000000:\t0x100002b7\t0x00001317\t0xffc30313\t0x00034383") !=
                      NULL,
                  "%s", output);
}
END_TEST

static Suite *monitor_dump_suite(void)
{
    Suite *s = suite_create("monitor_dump");
    TCase *parse = tcase_create("parse");
    tcase_add_test(parse, test_parse_defaults_and_memory);
    tcase_add_test(parse, test_parse_errors);
    suite_add_tcase(s, parse);

    TCase *dump = tcase_create("dump");
    tcase_add_checked_fixture(dump, setup, teardown);
    tcase_add_test(dump, test_dump_matches_qemu);
    tcase_add_test(dump, test_virtual_text_is_the_same);
    tcase_add_test(dump, test_failure_stops_the_dump);
    tcase_add_test(dump, test_instructions);
    tcase_add_test(dump, test_instruction_note_column);
    tcase_add_test(dump, test_instructions_at_the_end_of_ram);
    suite_add_tcase(s, dump);

    TCase *core = tcase_create("elfcore");
    tcase_add_checked_fixture(core, core_setup, core_teardown);
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_core_layout);
    tcase_add_test(core, test_core_replaces_an_old_file);
    tcase_add_test(core, test_core_unwritable_path);
    tcase_add_test(core, test_core_disk_full);
    tcase_add_test(core, test_core_in_gdb);
    suite_add_tcase(s, core);
    return s;
}

int main(void)
{
    return run_suite(monitor_dump_suite());
}
