/* tests/disasm/disasm_compare.c: ember's disassembler against GNU objdump, line by line.
 * Also feeds pseudo-random words to riscv_disasm to check it never misbehaves on any input. */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "disasm/riscv_disasm.h"

/* Where ember deliberately prints something else than objdump. Both texts
 * are whitespace-normalised, and every entry must be met at least once so
 * the list cannot go stale. The instructions are the last section of
 * all_opcodes.S. */
#define RV64 1u
#define RV32 2u
#define BOTH (RV64 | RV32)
static const struct {
    const char *objdump;
    const char *ember;
    const char *reason;
    unsigned runs; /* which comparisons meet it: RV64's (all_opcodes.S), RV32's, or both */
} intended[] = {
    {"add a1,a0,1656 # 0x12345678", "add a1,a0,1656",
     "objdump notes the address from an earlier lui; ember decodes without state", RV64},
    {"addw a1,a0,-1 # 0x7ffff", "addw a1,a0,-1",
     "objdump notes the address from an earlier lui; ember decodes without state", RV64},
    {"ld a2,16(a0) # 0x12345010", "ld a2,16(a0)",
     "objdump notes the address from an earlier lui; ember decodes without state", RV64},
    {"sw a2,-4(a0) # 0x12344ffc", "sw a2,-4(a0)",
     "objdump notes the address from an earlier lui; ember decodes without state", RV64},
    {"jalr 8(t1) # 0x40000008", "jalr 8(t1)",
     "objdump notes the address from an earlier lui; ember decodes without state", RV64},
    {"add s0,s0,5 # 0x1005", "add s0,s0,5",
     "objdump notes the address from an earlier c.lui; ember decodes without state", RV64},
#define NEWER "binutils 2.40 predates Zihintntl and Zicond (2.41 has them)"
    {"add zero,zero,sp", "ntl.p1", NEWER, RV64},
    {"add zero,zero,gp", "ntl.pall", NEWER, RV64},
    {"add zero,zero,tp", "ntl.s1", NEWER, RV64},
    {"add zero,zero,t0", "ntl.all", NEWER, RV64},
    {"c.add zero,sp", "c.ntl.p1", NEWER, BOTH},
    {"c.add zero,gp", "c.ntl.pall", NEWER, BOTH},
    {"c.add zero,tp", "c.ntl.s1", NEWER, BOTH},
    {"c.add zero,t0", "c.ntl.all", NEWER, BOTH},
    /* from the sweeps over funct7 */
    {".4byte 0xec5d533", "czero.eqz a0,a1,a2", NEWER, BOTH},
    {".4byte 0xec5f533", "czero.nez a0,a1,a2", NEWER, BOTH},
    {".4byte 0xe005033", "czero.eqz zero,zero,zero", NEWER, BOTH},
    {".4byte 0xe007033", "czero.nez zero,zero,zero", NEWER, BOTH},
    {".4byte 0xe0250b3", "czero.eqz ra,tp,zero", NEWER, BOTH},
    {".4byte 0xe0270b3", "czero.nez ra,tp,zero", NEWER, BOTH},
#undef NEWER
    {"add a0,a0,0 # 0x80000000", "add a0,a0,0",
     "objdump notes the address from an earlier instruction; ember decodes without state", RV32},
};

#define RANDOM_WORDS 300000u

static bool intended_seen[sizeof intended / sizeof intended[0]];

static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t cap = 0, len = 0;

    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        return NULL;
    }
    for (;;) {
        if (len == cap) {
            cap = cap ? cap * 2 : 65536;
            unsigned char *bigger = realloc(data, cap);
            if (!bigger) {
                fprintf(stderr, "%s: out of memory\n", path);
                free(data);
                fclose(f);
                return NULL;
            }
            data = bigger;
        }
        size_t n = fread(data + len, 1, cap - len, f);
        len += n;
        if (n == 0)
            break;
    }
    if (ferror(f)) {
        fprintf(stderr, "%s: read error\n", path);
        free(data);
        fclose(f);
        return NULL;
    }
    fclose(f);
    *size = len;
    return data;
}

/* Collapses every run of blanks to one space and trims both ends, in place. */
static void normalise(char *s)
{
    char *w = s;
    bool pending_space = false;

    for (const char *r = s; *r; r++) {
        if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
            pending_space = w != s;
            continue;
        }
        if (pending_space)
            *w++ = ' ';
        pending_space = false;
        *w++ = *r;
    }
    *w = '\0';
}

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* An instruction line is "  addr:\tHEX BYTES\tTEXT". Returns false for the
 * headers around them; sets *bad for a line that starts like one but is not. */
static bool parse_line(char *line, uint64_t *addr, char **bytes, char **text, bool *bad)
{
    char *p = line;

    *bad = false;
    while (*p == ' ')
        p++;
    char *digits = p;
    while (is_hex(*p))
        p++;
    if (p == digits || p[0] != ':' || p[1] != '\t')
        return false;
    *addr = strtoull(digits, NULL, 16);
    p += 2;
    *bytes = p;
    while (is_hex(*p) || *p == ' ')
        p++;
    if (*p != '\t') {
        *bad = true;
        return false;
    }
    *p++ = '\0';
    *text = p;
    normalise(*bytes);
    normalise(*text);
    return true;
}

/* Reassembles the instruction objdump shows at addr from the raw section
 * bytes; returns its length, or 0 when it is not a 2- or 4-byte one. */
static unsigned fetch(const unsigned char *code, size_t size, uint64_t offset, const char *bytes,
                      uint32_t *insn)
{
    unsigned len = (unsigned)strlen(bytes) / 2;

    if ((len != 2 && len != 4) || strchr(bytes, ' ') || offset > size || size - offset < len)
        return 0;
    *insn = 0;
    for (unsigned i = 0; i < len; i++)
        *insn |= (uint32_t)code[offset + i] << (8 * i);
    return len;
}

static bool intended_difference(uint64_t addr, const char *objdump, const char *ours, unsigned xlen)
{
    for (size_t i = 0; i < sizeof intended / sizeof intended[0]; i++) {
        if ((intended[i].runs & (xlen == 32 ? RV32 : RV64)) &&
            !strcmp(intended[i].objdump, objdump) && !strcmp(intended[i].ember, ours)) {
            printf("0x%" PRIx64 ": intended difference: \"%s\": %s\n", addr, objdump,
                   intended[i].reason);
            intended_seen[i] = true;
            return true;
        }
    }
    return false;
}

/* vma is the address objdump was told the section starts at; xlen the
 * width of the object's class, as objdump decodes by it. */
static int compare_with_objdump(const char *bin_path, const char *dump_path, uint64_t vma,
                                unsigned xlen)
{
    size_t size = 0;
    unsigned char *code = read_file(bin_path, &size);
    FILE *dump = fopen(dump_path, "r");
    char line[1024];
    unsigned long compared = 0, mismatches = 0, failures = 0, lineno = 0;

    if (!code || !dump) {
        if (!dump)
            fprintf(stderr, "%s: %s\n", dump_path, strerror(errno));
        free(code);
        if (dump)
            fclose(dump);
        return 1;
    }
    while (fgets(line, sizeof line, dump)) {
        uint64_t addr;
        char *bytes, *text;
        bool bad;
        uint32_t insn = 0;
        char ours[256];

        lineno++;
        if (!strchr(line, '\n') && !feof(dump)) {
            fprintf(stderr, "%s:%lu: line too long\n", dump_path, lineno);
            failures++;
            break;
        }
        if (!parse_line(line, &addr, &bytes, &text, &bad)) {
            if (bad || !strncmp(line, "\t...", 4)) {
                fprintf(stderr, "%s:%lu: unexpected line: %s", dump_path, lineno, line);
                failures++;
            }
            continue;
        }
        unsigned len = addr >= vma ? fetch(code, size, addr - vma, bytes, &insn) : 0;
        if (!len) {
            fprintf(stderr,
                    "%s:%lu: 0x%" PRIx64 ": %s is not a 2- or 4-byte instruction "
                    "inside the %zu-byte binary at 0x%" PRIx64 "\n",
                    dump_path, lineno, addr, bytes, size, vma);
            failures++;
            continue;
        }
        int our_len = riscv_disasm_xlen(addr, insn, xlen, ours, sizeof ours);
        normalise(ours);
        compared++;
        if ((unsigned)our_len == len && !strcmp(ours, text))
            continue;
        if ((unsigned)our_len == len && intended_difference(addr, text, ours, xlen))
            continue;
        printf("0x%" PRIx64 ": %s: ember \"%s\" (%d bytes), objdump \"%s\" (%u bytes)\n", addr,
               bytes, ours, our_len, text, len);
        mismatches++;
    }
    fclose(dump);
    free(code);

    for (size_t i = 0; i < sizeof intended / sizeof intended[0]; i++) {
        if ((intended[i].runs & (xlen == 32 ? RV32 : RV64)) && !intended_seen[i]) {
            printf("intended difference never met (stale list?): objdump \"%s\"\n",
                   intended[i].objdump);
            failures++;
        }
    }
    printf("objdump comparison: %lu instructions, %lu mismatches\n", compared, mismatches);
    if (compared == 0) {
        fprintf(stderr, "%s: no instructions found\n", dump_path);
        failures++;
    }
    return mismatches || failures ? 1 : 0;
}

static uint64_t next_random(uint64_t *state)
{
    /* xorshift64*: deterministic, so a failure reproduces exactly. */
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545f4914f6cdd1dull;
}

static bool printable(const char *s)
{
    for (; *s; s++) {
        if (*s != '\t' && (*s < 0x20 || *s > 0x7e))
            return false;
    }
    return true;
}

/* Every word must give length 2 or 4 as its low bits say, sane text, and
 * with a short buffer a NUL-terminated prefix of that text and no write past
 * the end of the buffer. */
static int random_words(void)
{
    enum { CANARY = 0xa5, ROOM = 192 };
    uint64_t state = 0x9e3779b97f4a7c15ull;
    unsigned long failures = 0;
    unsigned tried = 0;

    /* Stop early on a broken build rather than print thousands of lines. */
    for (; tried < RANDOM_WORDS && failures < 20; tried++) {
        uint64_t r = next_random(&state);
        uint32_t insn = (uint32_t)r;
        uint64_t pc = next_random(&state) & ~(uint64_t)1;
        char full[ROOM], part[ROOM + 8];

        int len = riscv_disasm(pc, insn, full, sizeof full);
        size_t n = strlen(full);
        if (len != ((insn & 3) == 3 ? 4 : 2) || n == 0 || n + 1 >= sizeof full ||
            !printable(full)) {
            printf("random word 0x%08" PRIx32 " at 0x%" PRIx64 ": length %d, text \"%s\"\n", insn,
                   pc, len, full);
            failures++;
            continue;
        }

        size_t cap = (size_t)(r >> 32) % (n + 2);
        memset(part, CANARY, sizeof part);
        bool ok = riscv_disasm(pc, insn, part, cap) == len;
        /* An empty buffer may also be NULL; either way nothing is written. */
        if (cap == 0)
            ok = ok && riscv_disasm(pc, insn, NULL, 0) == len;
        if (cap > 0) {
            size_t kept = n < cap - 1 ? n : cap - 1;
            ok = ok && strlen(part) == kept && !memcmp(part, full, kept);
        }
        for (size_t j = cap; j < sizeof part; j++)
            ok = ok && (unsigned char)part[j] == CANARY;
        if (!ok) {
            printf("random word 0x%08" PRIx32 ": wrong result with a %zu-byte buffer\n", insn, cap);
            failures++;
        }
    }
    printf("random words: %u tried, %lu failures\n", tried, failures);
    return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
    char *end;

    if (argc != 4 && !(argc == 5 && !strcmp(argv[4], "32"))) {
        fprintf(stderr, "usage: %s TEXT.bin OBJDUMP.txt VMA [32]\n", argv[0]);
        return 2;
    }
    uint64_t vma = strtoull(argv[3], &end, 0);
    if (*argv[3] == '\0' || *end != '\0') {
        fprintf(stderr, "%s: VMA \"%s\" is not a number\n", argv[0], argv[3]);
        return 2;
    }
    int status = compare_with_objdump(argv[1], argv[2], vma, argc == 5 ? 32 : 64);
    status |= random_words();
    return status;
}
