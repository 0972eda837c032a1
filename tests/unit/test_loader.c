/* tests/unit/test_loader.c: unit tests for machine/loader.c: a valid RV64 ELF,
 * every header corruption a hostile image can carry, raw images, and a mutation loop. */
#include <elf.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "machine/loader.h"
#include "tests/unit/harness.h"
#include "tests/xorshift.h"

#define RAM_BASE 0x80000000ull
#define RAM_SIZE (1ull << 20)
#define RAW_ADDR (RAM_BASE + 0x20000)

/* The valid image: one PT_LOAD of 0x40 file bytes and 0x1000 memory bytes
 * (the rest is bss), a symtab naming tohost and fromhost, and the string
 * table last so that reading past its end would leave the file. */
#define SEG_PADDR (RAM_BASE + 0x1000)
#define SEG_FILESZ 0x40u
#define SEG_MEMSZ 0x2100u /* the bss spans more than one 4 KiB zero chunk */
#define ENTRY (SEG_PADDR + 0x10)
#define TOHOST (SEG_PADDR + 0x800)
#define FROMHOST (SEG_PADDR + 0x840)

#define OFF_PHDR 0x40u
#define OFF_SEG 0x100u
#define OFF_SYMTAB (OFF_SEG + SEG_FILESZ)
#define N_SYMS 3u
#define OFF_SHDR (OFF_SYMTAB + N_SYMS * (unsigned)sizeof(Elf64_Sym))
#define N_SECTIONS 3u
#define OFF_STRTAB (OFF_SHDR + N_SECTIONS * (unsigned)sizeof(Elf64_Shdr))
static const char strtab_bytes[] = "\0tohost\0fromhost"; /* plus the implicit NUL */
#define STRTAB_SIZE ((unsigned)sizeof(strtab_bytes))
#define NAME_TOHOST 1u
#define NAME_FROMHOST 8u
#define ELF_SIZE (OFF_STRTAB + STRTAB_SIZE)

typedef struct ElfImage {
    uint8_t bytes[ELF_SIZE + 64];
    size_t size;
} ElfImage;

static AddressSpace as;
static char path[64];
static LoadedImage image;
static char err[512];

static void setup(void)
{
    memset(&as, 0, sizeof(as));
    ck_assert_ptr_nonnull(memory_add_ram(&as, "ram", RAM_BASE, RAM_SIZE));
    /* A pattern the loader must overwrite, so a bss left unzeroed shows. */
    memset(memory_host_ptr(&as, RAM_BASE, RAM_SIZE), 0xaa, RAM_SIZE);
    snprintf(path, sizeof(path), "/tmp/ember-loader-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
}

static void teardown(void)
{
    unlink(path);
    memory_destroy(&as);
}

static Elf64_Ehdr *ehdr(ElfImage *f)
{
    return (Elf64_Ehdr *)f->bytes;
}

static Elf64_Phdr *phdr(ElfImage *f)
{
    return (Elf64_Phdr *)(f->bytes + OFF_PHDR);
}

static Elf64_Shdr *shdr(ElfImage *f, unsigned i)
{
    return (Elf64_Shdr *)(f->bytes + OFF_SHDR) + i;
}

static Elf64_Sym *sym(ElfImage *f, unsigned i)
{
    return (Elf64_Sym *)(f->bytes + OFF_SYMTAB) + i;
}

static void build_elf(ElfImage *f)
{
    memset(f, 0, sizeof(*f));
    f->size = ELF_SIZE;
    Elf64_Ehdr *eh = ehdr(f);
    memcpy(eh->e_ident, ELFMAG, SELFMAG);
    eh->e_ident[EI_CLASS] = ELFCLASS64;
    eh->e_ident[EI_DATA] = ELFDATA2LSB;
    eh->e_ident[EI_VERSION] = EV_CURRENT;
    eh->e_type = ET_EXEC;
    eh->e_machine = EM_RISCV;
    eh->e_version = EV_CURRENT;
    eh->e_entry = ENTRY;
    eh->e_phoff = OFF_PHDR;
    eh->e_shoff = OFF_SHDR;
    eh->e_ehsize = sizeof(Elf64_Ehdr);
    eh->e_phentsize = sizeof(Elf64_Phdr);
    eh->e_phnum = 1;
    eh->e_shentsize = sizeof(Elf64_Shdr);
    eh->e_shnum = N_SECTIONS;

    Elf64_Phdr *ph = phdr(f);
    ph->p_type = PT_LOAD;
    ph->p_flags = PF_R | PF_W | PF_X;
    ph->p_offset = OFF_SEG;
    ph->p_vaddr = ph->p_paddr = SEG_PADDR;
    ph->p_filesz = SEG_FILESZ;
    ph->p_memsz = SEG_MEMSZ;
    ph->p_align = 0x1000;
    for (unsigned i = 0; i < SEG_FILESZ; i++)
        f->bytes[OFF_SEG + i] = (uint8_t)(0x11 + i);

    *sym(f, 1) = (Elf64_Sym){.st_name = NAME_TOHOST,
                             .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
                             .st_shndx = SHN_ABS,
                             .st_value = TOHOST,
                             .st_size = 8};
    *sym(f, 2) = (Elf64_Sym){.st_name = NAME_FROMHOST,
                             .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_OBJECT),
                             .st_shndx = SHN_ABS,
                             .st_value = FROMHOST,
                             .st_size = 8};
    *shdr(f, 1) = (Elf64_Shdr){.sh_type = SHT_SYMTAB,
                               .sh_offset = OFF_SYMTAB,
                               .sh_size = N_SYMS * sizeof(Elf64_Sym),
                               .sh_link = 2,
                               .sh_info = 1,
                               .sh_addralign = 8,
                               .sh_entsize = sizeof(Elf64_Sym)};
    *shdr(f, 2) = (Elf64_Shdr){
        .sh_type = SHT_STRTAB, .sh_offset = OFF_STRTAB, .sh_size = STRTAB_SIZE, .sh_addralign = 1};
    memcpy(f->bytes + OFF_STRTAB, strtab_bytes, STRTAB_SIZE);
}

/* Overwrites then cuts the file: ext4 flushes a file truncated to zero and
 * rewritten (replace-via-truncate), which would make the mutation loop crawl. */
static void write_file(const void *data, size_t size)
{
    int fd = open(path, O_WRONLY);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size || ftruncate(fd, (off_t)size) != 0)
        ck_abort_msg("cannot write %s", path);
    close(fd);
}

static bool load(const void *data, size_t size)
{
    write_file(data, size);
    memset(&image, 0x5c, sizeof(image));
    err[0] = '\0';
    return load_image(&as, path, RAW_ADDR, &image, err, sizeof(err));
}

static bool load_elf_image(ElfImage *f)
{
    return load(f->bytes, f->size);
}

static uint8_t ram_byte(uint64_t paddr)
{
    return *memory_host_ptr(&as, paddr, 1);
}

/* A failed load must say so once, naming the file. */
static void assert_rejected(bool ok, const char *what)
{
    ck_assert_msg(!ok, "%s was accepted", what);
    ck_assert_msg(err[0] != '\0', "%s: no message", what);
    ck_assert_msg(strstr(err, path) != NULL, "%s: message '%s' does not name %s", what, err, path);
}

static void assert_elf_rejected(ElfImage *f, const char *what)
{
    assert_rejected(load_elf_image(f), what);
}

/* A symtab corruption costs the HTIF symbols, never the image. */
static void assert_loads_without_symbols(ElfImage *f, const char *what)
{
    ck_assert_msg(load_elf_image(f), "%s: %s", what, err);
    ck_assert(image.is_elf);
    ck_assert_uint_eq(image.entry, ENTRY);
    ck_assert_uint_eq(image.tohost, 0);
    ck_assert_uint_eq(image.fromhost, 0);
}

START_TEST(test_valid_elf)
{
    ElfImage f;
    build_elf(&f);
    ck_assert_msg(load_elf_image(&f), "%s", err);
    ck_assert(image.is_elf);
    ck_assert_uint_eq(image.entry, ENTRY);
    ck_assert_uint_eq(image.low, SEG_PADDR);
    ck_assert_uint_eq(image.high, SEG_PADDR + SEG_MEMSZ);
    ck_assert_uint_eq(image.tohost, TOHOST);
    ck_assert_uint_eq(image.fromhost, FROMHOST);
    for (unsigned i = 0; i < SEG_FILESZ; i++)
        ck_assert_uint_eq(ram_byte(SEG_PADDR + i), 0x11 + i);
    for (unsigned i = SEG_FILESZ; i < SEG_MEMSZ; i++)
        ck_assert_msg(ram_byte(SEG_PADDR + i) == 0, "bss byte 0x%x not zeroed", i);
    /* Nothing outside the segment is touched. */
    ck_assert_uint_eq(ram_byte(SEG_PADDR - 1), 0xaa);
    ck_assert_uint_eq(ram_byte(SEG_PADDR + SEG_MEMSZ), 0xaa);
}
END_TEST

START_TEST(test_elf_without_symtab)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_shoff = 0;
    ehdr(&f)->e_shnum = 0;
    assert_loads_without_symbols(&f, "no section headers");
}
END_TEST

START_TEST(test_truncated_header)
{
    ElfImage f;
    build_elf(&f);
    for (size_t len = SELFMAG; len < sizeof(Elf64_Ehdr); len += 7)
        assert_rejected(load(f.bytes, len), "a truncated header");
}
END_TEST

START_TEST(test_wrong_class)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_ident[EI_CLASS] = ELFCLASS32;
    assert_elf_rejected(&f, "ELFCLASS32");
}
END_TEST

START_TEST(test_wrong_endianness)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_ident[EI_DATA] = ELFDATA2MSB;
    assert_elf_rejected(&f, "a big-endian ELF");
}
END_TEST

START_TEST(test_wrong_machine)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_machine = EM_X86_64;
    assert_elf_rejected(&f, "an x86-64 ELF");
}
END_TEST

START_TEST(test_wrong_type)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_type = ET_REL;
    assert_elf_rejected(&f, "a relocatable object");
}
END_TEST

START_TEST(test_phoff_past_eof)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_phoff = (ELF_SIZE + 8) & ~7u;
    assert_elf_rejected(&f, "e_phoff past EOF");
    ehdr(&f)->e_phoff = (ELF_SIZE - 8) & ~7u; /* starts inside, ends outside */
    assert_elf_rejected(&f, "a program header table crossing EOF");
    ehdr(&f)->e_phoff = UINT64_MAX & ~7ull; /* offset + length wraps */
    assert_elf_rejected(&f, "e_phoff near 2^64");
}
END_TEST

START_TEST(test_phnum_huge)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_phnum = 0xffff;
    assert_elf_rejected(&f, "e_phnum 0xffff");
    ehdr(&f)->e_phnum = 1;
    ehdr(&f)->e_phentsize = 0xffff;
    assert_elf_rejected(&f, "e_phentsize 0xffff");
}
END_TEST

START_TEST(test_phoff_misaligned)
{
    ElfImage f;
    build_elf(&f);
    /* A complete header at an odd offset: only the alignment is wrong. */
    memmove(f.bytes + OFF_PHDR + 4, f.bytes + OFF_PHDR, sizeof(Elf64_Phdr));
    ehdr(&f)->e_phoff = OFF_PHDR + 4;
    assert_elf_rejected(&f, "a misaligned program header table");
}
END_TEST

START_TEST(test_segment_past_eof)
{
    ElfImage f;
    build_elf(&f);
    phdr(&f)->p_offset = ELF_SIZE - 8;
    assert_elf_rejected(&f, "p_offset + p_filesz past EOF");
    phdr(&f)->p_offset = ELF_SIZE + 1;
    phdr(&f)->p_filesz = 0;
    assert_elf_rejected(&f, "p_offset past EOF");
    phdr(&f)->p_offset = UINT64_MAX - 7;
    phdr(&f)->p_filesz = 16; /* wraps to a small end */
    assert_elf_rejected(&f, "p_offset + p_filesz wrapping");
}
END_TEST

START_TEST(test_filesz_above_memsz)
{
    ElfImage f;
    build_elf(&f);
    phdr(&f)->p_memsz = SEG_FILESZ - 1;
    assert_elf_rejected(&f, "p_filesz > p_memsz");
}
END_TEST

START_TEST(test_paddr_wraps)
{
    ElfImage f;
    build_elf(&f);
    phdr(&f)->p_paddr = UINT64_MAX - 0xfff;
    phdr(&f)->p_memsz = 0x2000;
    assert_elf_rejected(&f, "p_paddr + p_memsz wrapping 2^64");
    phdr(&f)->p_memsz = 0x1000; /* ends exactly at 2^64 */
    assert_elf_rejected(&f, "a segment ending at 2^64");
}
END_TEST

START_TEST(test_segment_outside_ram)
{
    ElfImage f;
    build_elf(&f);
    phdr(&f)->p_paddr = 0x1000;
    assert_elf_rejected(&f, "a segment below RAM");
    phdr(&f)->p_paddr = RAM_BASE + RAM_SIZE - SEG_FILESZ;
    assert_elf_rejected(&f, "a segment whose bss runs past RAM");
    phdr(&f)->p_paddr = RAM_BASE + RAM_SIZE - 8;
    assert_elf_rejected(&f, "a segment whose data runs past RAM");
    phdr(&f)->p_paddr = SEG_PADDR;
    phdr(&f)->p_memsz = UINT64_MAX - SEG_PADDR;
    assert_elf_rejected(&f, "a segment as large as the address space");
}
END_TEST

START_TEST(test_no_pt_load)
{
    ElfImage f;
    build_elf(&f);
    phdr(&f)->p_type = PT_NOTE;
    assert_elf_rejected(&f, "an ELF without PT_LOAD");
    phdr(&f)->p_type = PT_LOAD;
    phdr(&f)->p_memsz = phdr(&f)->p_filesz = 0;
    assert_elf_rejected(&f, "an ELF with only an empty PT_LOAD");
    ehdr(&f)->e_phnum = 0;
    assert_elf_rejected(&f, "an ELF without program headers");
}
END_TEST

START_TEST(test_symtab_offset_past_eof)
{
    ElfImage f;
    build_elf(&f);
    shdr(&f, 1)->sh_offset = (ELF_SIZE + 64) & ~7u;
    assert_loads_without_symbols(&f, "sh_offset past EOF");
    shdr(&f, 1)->sh_offset = OFF_SYMTAB;
    shdr(&f, 1)->sh_size = UINT64_MAX - 7;
    assert_loads_without_symbols(&f, "a huge sh_size");
}
END_TEST

START_TEST(test_section_table_corrupt)
{
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_shoff = UINT64_MAX & ~7ull;
    assert_loads_without_symbols(&f, "e_shoff near 2^64");
    ehdr(&f)->e_shoff = OFF_SHDR;
    ehdr(&f)->e_shnum = 0xffff;
    assert_loads_without_symbols(&f, "e_shnum 0xffff");
    ehdr(&f)->e_shnum = N_SECTIONS;
    ehdr(&f)->e_shentsize = 32;
    assert_loads_without_symbols(&f, "e_shentsize 32");
}
END_TEST

START_TEST(test_symtab_link_out_of_range)
{
    ElfImage f;
    build_elf(&f);
    shdr(&f, 1)->sh_link = N_SECTIONS;
    assert_loads_without_symbols(&f, "sh_link == e_shnum");
    shdr(&f, 1)->sh_link = UINT32_MAX;
    assert_loads_without_symbols(&f, "sh_link 0xffffffff");
}
END_TEST

START_TEST(test_strtab_past_eof)
{
    ElfImage f;
    build_elf(&f);
    shdr(&f, 2)->sh_size = STRTAB_SIZE + 1;
    assert_loads_without_symbols(&f, "a string table one byte past EOF");
    shdr(&f, 2)->sh_offset = UINT64_MAX;
    shdr(&f, 2)->sh_size = 2;
    assert_loads_without_symbols(&f, "a string table offset wrapping");
}
END_TEST

START_TEST(test_st_name_past_strtab)
{
    ElfImage f;
    build_elf(&f);
    sym(&f, 1)->st_name = STRTAB_SIZE;
    sym(&f, 2)->st_name = UINT32_MAX;
    assert_loads_without_symbols(&f, "st_name past the string table");
}
END_TEST

START_TEST(test_strtab_unterminated)
{
    ElfImage f;
    build_elf(&f);
    /* The string table ends at EOF without its final NUL: "fromhost" runs
     * off the end, "tohost" is still whole. */
    shdr(&f, 2)->sh_size = STRTAB_SIZE - 1;
    f.size = ELF_SIZE - 1;
    ck_assert_msg(load_elf_image(&f), "%s", err);
    ck_assert_uint_eq(image.tohost, TOHOST);
    ck_assert_uint_eq(image.fromhost, 0);
    /* A table cut right after "tohost": its NUL is in the file but outside
     * the table, so the name is not terminated within it. */
    f.size = ELF_SIZE;
    shdr(&f, 2)->sh_size = NAME_TOHOST + 6;
    assert_loads_without_symbols(&f, "a string table cut before tohost's NUL");
}
END_TEST

START_TEST(test_symtab_bad_entsize)
{
    ElfImage f;
    build_elf(&f);
    shdr(&f, 1)->sh_entsize = 16;
    assert_loads_without_symbols(&f, "sh_entsize 16");
    shdr(&f, 1)->sh_entsize = sizeof(Elf64_Sym);
    shdr(&f, 1)->sh_offset = OFF_SYMTAB + 4;
    assert_loads_without_symbols(&f, "a misaligned symtab");
}
END_TEST

START_TEST(test_raw_image)
{
    uint8_t data[300];
    for (unsigned i = 0; i < sizeof(data); i++)
        data[i] = (uint8_t)(i * 7 + 3);
    ck_assert_msg(load(data, sizeof(data)), "%s", err);
    ck_assert(!image.is_elf);
    ck_assert_uint_eq(image.entry, RAW_ADDR);
    ck_assert_uint_eq(image.low, RAW_ADDR);
    ck_assert_uint_eq(image.high, RAW_ADDR + sizeof(data));
    ck_assert_uint_eq(image.tohost, 0);
    for (unsigned i = 0; i < sizeof(data); i++)
        ck_assert_uint_eq(ram_byte(RAW_ADDR + i), data[i]);
    ck_assert_uint_eq(ram_byte(RAW_ADDR + sizeof(data)), 0xaa);
}
END_TEST

START_TEST(test_raw_short_magic_is_raw)
{
    /* Too short to be an ELF: three bytes of the magic load as raw data. */
    ck_assert_msg(load(ELFMAG, 3), "%s", err);
    ck_assert(!image.is_elf);
    ck_assert_uint_eq(ram_byte(RAW_ADDR), 0x7f);
}
END_TEST

/* An empty program would run a machine of zeros without a word. */
START_TEST(test_empty_program_rejected)
{
    ck_assert(!load("", 0));
    ck_assert_ptr_nonnull(strstr(err, "is empty"));
    ck_assert_ptr_nonnull(strstr(err, path));
}
END_TEST

/* An initrd is data: empty is the user's business, as in QEMU. */
START_TEST(test_raw_empty)
{
    write_file("", 0);
    ck_assert_msg(load_raw_image(&as, path, RAW_ADDR, &image, err, sizeof(err)), "%s", err);
    ck_assert_uint_eq(image.low, RAW_ADDR);
    ck_assert_uint_eq(image.high, RAW_ADDR);
}
END_TEST

START_TEST(test_raw_larger_than_ram)
{
    size_t size = RAM_SIZE + 1;
    uint8_t *data = calloc(1, size);
    ck_assert_ptr_nonnull(data);
    assert_rejected(load(data, size), "a raw image larger than RAM");
    /* Fits in RAM, but not from raw_addr on. */
    assert_rejected(load(data, RAM_SIZE - (RAW_ADDR - RAM_BASE) + 1),
                    "a raw image running past RAM");
    free(data);
}
END_TEST

START_TEST(test_raw_outside_ram)
{
    uint8_t data[16] = {1, 2, 3};
    write_file(data, sizeof(data));
    err[0] = '\0';
    assert_rejected(load_image(&as, path, 0x1000, &image, err, sizeof(err)),
                    "a raw image outside RAM");
    err[0] = '\0';
    assert_rejected(load_image(&as, path, UINT64_MAX - 7, &image, err, sizeof(err)),
                    "a raw image wrapping 2^64");
}
END_TEST

START_TEST(test_directory_rejected)
{
    char dir[] = "/tmp/ember-loader-dir-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    err[0] = '\0';
    bool ok = load_image(&as, dir, RAW_ADDR, &image, err, sizeof(err));
    rmdir(dir);
    ck_assert_msg(!ok, "a directory was accepted");
    ck_assert_msg(strstr(err, dir) != NULL, "message '%s' does not name %s", err, dir);
}
END_TEST

START_TEST(test_missing_file_rejected)
{
    char missing[80];
    snprintf(missing, sizeof(missing), "%s-does-not-exist", path);
    err[0] = '\0';
    ck_assert(!load_image(&as, missing, RAW_ADDR, &image, err, sizeof(err)));
    ck_assert_msg(strstr(err, missing) != NULL, "message '%s' does not name %s", err, missing);
}
END_TEST

START_TEST(test_small_error_buffer)
{
    /* A message longer than the caller's buffer is cut, not overrun. */
    ElfImage f;
    build_elf(&f);
    ehdr(&f)->e_machine = EM_X86_64;
    write_file(f.bytes, f.size);
    char small[8];
    memset(small, 0x7e, sizeof(small));
    ck_assert(!load_image(&as, path, RAW_ADDR, &image, small, 5));
    ck_assert_uint_eq(strlen(small), 4);
    ck_assert_uint_eq((uint8_t)small[5], 0x7e);
}
END_TEST

/* xorshift64*: a fixed seed makes every failure reproducible. */
static uint64_t rng_state;

static uint64_t rng(void)
{
    return xorshift64star(&rng_state);
}

/* Header fields worth aiming at: a random flip rarely hits an offset or
 * count in a way that reaches the bounds checks. */
typedef struct Field {
    unsigned offset, size;
} Field;

#define EH_FIELD(name)                                                                             \
    {                                                                                              \
        offsetof(Elf64_Ehdr, name), sizeof(((Elf64_Ehdr *)0)->name)                                \
    }
#define PH_FIELD(name)                                                                             \
    {                                                                                              \
        OFF_PHDR + offsetof(Elf64_Phdr, name), sizeof(((Elf64_Phdr *)0)->name)                     \
    }
#define SH_FIELD(i, name)                                                                          \
    {                                                                                              \
        OFF_SHDR + (i) * sizeof(Elf64_Shdr) + offsetof(Elf64_Shdr, name),                          \
            sizeof(((Elf64_Shdr *)0)->name)                                                        \
    }
#define SYM_FIELD(i, name)                                                                         \
    {                                                                                              \
        OFF_SYMTAB + (i) * sizeof(Elf64_Sym) + offsetof(Elf64_Sym, name),                          \
            sizeof(((Elf64_Sym *)0)->name)                                                         \
    }

static const Field fields[] = {
    EH_FIELD(e_type),     EH_FIELD(e_machine),   EH_FIELD(e_entry),       EH_FIELD(e_phoff),
    EH_FIELD(e_shoff),    EH_FIELD(e_phentsize), EH_FIELD(e_phnum),       EH_FIELD(e_shentsize),
    EH_FIELD(e_shnum),    PH_FIELD(p_type),      PH_FIELD(p_offset),      PH_FIELD(p_paddr),
    PH_FIELD(p_filesz),   PH_FIELD(p_memsz),     SH_FIELD(1, sh_type),    SH_FIELD(1, sh_offset),
    SH_FIELD(1, sh_size), SH_FIELD(1, sh_link),  SH_FIELD(1, sh_entsize), SH_FIELD(2, sh_offset),
    SH_FIELD(2, sh_size), SYM_FIELD(1, st_name), SYM_FIELD(2, st_name),   SYM_FIELD(1, st_value),
};

static uint64_t interesting_value(size_t file_size)
{
    switch (rng() % 10) {
    case 0:
        return 0;
    case 1:
        return UINT64_MAX;
    case 2:
        return file_size;
    case 3:
        return file_size - 1 - rng() % 16;
    case 4:
        return 1ull << (rng() % 64);
    case 5:
        return RAM_BASE + rng() % (2 * RAM_SIZE);
    case 6:
        return UINT64_MAX - rng() % 0x10000;
    case 7:
        return rng() % 0x400;
    default:
        return rng();
    }
}

static void mutate(ElfImage *f)
{
    unsigned n = 1 + (unsigned)(rng() % 4);
    for (unsigned m = 0; m < n; m++) {
        switch (rng() % 4) {
        case 0: /* flip a random byte */
            if (f->size)
                f->bytes[rng() % f->size] ^= (uint8_t)(1 + rng() % 255);
            break;
        case 1: { /* an aimed header field */
            const Field *fld = &fields[rng() % (sizeof(fields) / sizeof(fields[0]))];
            uint64_t v = interesting_value(f->size);
            memcpy(f->bytes + fld->offset, &v, fld->size); /* little-endian host */
            break;
        }
        case 2: /* a small nudge, the classic off-by-one */
        {
            const Field *fld = &fields[rng() % (sizeof(fields) / sizeof(fields[0]))];
            uint64_t v = 0;
            memcpy(&v, f->bytes + fld->offset, fld->size);
            v += (rng() & 1) ? 1 : (uint64_t)-1;
            memcpy(f->bytes + fld->offset, &v, fld->size);
            break;
        }
        default: /* truncate */
            if (rng() % 4 == 0)
                f->size = (size_t)(rng() % (f->size + 1));
            break;
        }
    }
}

START_TEST(test_mutation_loop)
{
    rng_state = 0x9e3779b97f4a7c15ull;
    int rejected = 0, accepted_elf = 0;
    for (int iter = 0; iter < 5000; iter++) {
        ElfImage f;
        build_elf(&f);
        mutate(&f);
        bool ok = load_elf_image(&f);
        if (!ok) {
            if (!strstr(err, path))
                ck_abort_msg("iteration %d: message '%s' does not name the file", iter, err);
            rejected++;
            continue;
        }
        /* Whatever was loaded lies in RAM. */
        if (image.low > image.high || image.low < RAM_BASE || image.high > RAM_BASE + RAM_SIZE)
            ck_abort_msg("iteration %d: loaded [0x%llx, 0x%llx), outside RAM", iter,
                         (unsigned long long)image.low, (unsigned long long)image.high);
        if (image.is_elf)
            accepted_elf++;
    }
    /* The loop must reach both the rejections and the success paths. */
    ck_assert_int_gt(rejected, 500);
    ck_assert_int_gt(accepted_elf, 500);
}
END_TEST

static Suite *loader_suite(void)
{
    Suite *s = suite_create("loader");

    TCase *elf = tcase_create("elf");
    tcase_add_checked_fixture(elf, setup, teardown);
    tcase_add_test(elf, test_valid_elf);
    tcase_add_test(elf, test_elf_without_symtab);
    suite_add_tcase(s, elf);

    TCase *header = tcase_create("corrupt_header");
    tcase_add_checked_fixture(header, setup, teardown);
    tcase_add_test(header, test_truncated_header);
    tcase_add_test(header, test_wrong_class);
    tcase_add_test(header, test_wrong_endianness);
    tcase_add_test(header, test_wrong_machine);
    tcase_add_test(header, test_wrong_type);
    tcase_add_test(header, test_phoff_past_eof);
    tcase_add_test(header, test_phnum_huge);
    tcase_add_test(header, test_phoff_misaligned);
    tcase_add_test(header, test_segment_past_eof);
    tcase_add_test(header, test_filesz_above_memsz);
    tcase_add_test(header, test_paddr_wraps);
    tcase_add_test(header, test_segment_outside_ram);
    tcase_add_test(header, test_no_pt_load);
    tcase_add_test(header, test_small_error_buffer);
    suite_add_tcase(s, header);

    TCase *symtab = tcase_create("corrupt_symtab");
    tcase_add_checked_fixture(symtab, setup, teardown);
    tcase_add_test(symtab, test_symtab_offset_past_eof);
    tcase_add_test(symtab, test_section_table_corrupt);
    tcase_add_test(symtab, test_symtab_link_out_of_range);
    tcase_add_test(symtab, test_strtab_past_eof);
    tcase_add_test(symtab, test_st_name_past_strtab);
    tcase_add_test(symtab, test_strtab_unterminated);
    tcase_add_test(symtab, test_symtab_bad_entsize);
    suite_add_tcase(s, symtab);

    TCase *raw = tcase_create("raw");
    tcase_add_checked_fixture(raw, setup, teardown);
    tcase_add_test(raw, test_raw_image);
    tcase_add_test(raw, test_raw_short_magic_is_raw);
    tcase_add_test(raw, test_raw_empty);
    tcase_add_test(raw, test_empty_program_rejected);
    tcase_add_test(raw, test_raw_larger_than_ram);
    tcase_add_test(raw, test_raw_outside_ram);
    tcase_add_test(raw, test_directory_rejected);
    tcase_add_test(raw, test_missing_file_rejected);
    suite_add_tcase(s, raw);

    TCase *fuzz = tcase_create("mutation");
    tcase_add_checked_fixture(fuzz, setup, teardown);
    tcase_add_test(fuzz, test_mutation_loop);
    suite_add_tcase(s, fuzz);
    return s;
}

int main(void)
{
    return run_suite(loader_suite());
}
