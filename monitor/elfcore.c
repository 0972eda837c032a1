/* monitor/elfcore.c: the ELF core of dump-guest-memory in QEMU 7.2's layout
 * (dump/dump.c, target/riscv/arch_dump.c): ELF header, section headers (the
 * null one and .shstrtab), PT_NOTE, the PT_LOADs, the notes, memory, and
 * the section names last; a core from either emulator reads the same in
 * readelf and gdb. Written to a temporary file and renamed into place so a
 * failed dump never leaves half a file under the name asked for. */
#include "monitor/elfcore.h"

#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Linux's struct elf_prstatus on riscv64 (include/uapi/linux/elfcore.h):
 * what gdb reads is pr_pid at 32 and pr_reg, the 32 words of riscv's
 * user_regs_struct (pc, then x1..x31), at 112; 376 bytes in all. */
#define PRSTATUS_SIZE 376
#define PRSTATUS_PID_OFFSET 32
#define PRSTATUS_REG_OFFSET 112

/* The note's name, "CORE" and its NUL, padded to 4 bytes. */
#define NOTE_NAME "CORE"
#define NOTE_NAME_SIZE 8
#define NOTE_SIZE (sizeof(Elf64_Nhdr) + NOTE_NAME_SIZE + PRSTATUS_SIZE)

/* The section header string table QEMU writes: an empty name, then
 * ".shstrtab" (name offset 1). */
static const char shstrtab[] = "\0.shstrtab";
#define SHSTRTAB_SIZE sizeof(shstrtab)
#define SECTION_COUNT 2

/* Memory is written in chunks; all-zero chunks (untouched RAM) become
 * holes in the file. */
#define CHUNK_SIZE (64u << 10)

typedef struct CoreFile {
    int fd;
    const char *path; /* for messages: the name the user gave */
    char *err;
    size_t errlen;
} CoreFile;

static bool write_all(CoreFile *core, const void *data, size_t len)
{
    const uint8_t *p = data;
    while (len > 0) {
        ssize_t n = write(core->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            snprintf(core->err, core->errlen, "cannot write '%s': %s", core->path,
                     n < 0 ? strerror(errno) : "short write");
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

static bool all_zero(const uint8_t *p, size_t len)
{
    return len == 0 || (p[0] == 0 && memcmp(p, p + 1, len - 1) == 0);
}

static bool write_memory(CoreFile *core, const uint8_t *host, uint64_t size)
{
    for (uint64_t done = 0; done < size;) {
        size_t len = size - done < CHUNK_SIZE ? (size_t)(size - done) : CHUNK_SIZE;
        if (all_zero(host + done, len)) {
            if (lseek(core->fd, (off_t)len, SEEK_CUR) < 0) {
                snprintf(core->err, core->errlen, "cannot write '%s': %s", core->path,
                         strerror(errno));
                return false;
            }
        } else if (!write_all(core, host + done, len)) {
            return false;
        }
        done += len;
    }
    return true;
}

static int region_by_base(const void *a, const void *b)
{
    const MemoryRegion *ra = *(const MemoryRegion *const *)a;
    const MemoryRegion *rb = *(const MemoryRegion *const *)b;
    return ra->base < rb->base ? -1 : ra->base > rb->base;
}

static void fill_note(uint8_t *note, const RiscvCpu *hart, unsigned index)
{
    Elf64_Nhdr header = {
        .n_namesz = sizeof(NOTE_NAME),
        .n_descsz = PRSTATUS_SIZE,
        .n_type = NT_PRSTATUS,
    };
    memset(note, 0, NOTE_SIZE);
    memcpy(note, &header, sizeof(header));
    memcpy(note + sizeof(header), NOTE_NAME, sizeof(NOTE_NAME));

    uint8_t *prstatus = note + sizeof(header) + NOTE_NAME_SIZE;
    /* QEMU's pr_pid is the CPU index plus one, as gdb numbers threads. */
    uint32_t pid = index + 1;
    memcpy(prstatus + PRSTATUS_PID_OFFSET, &pid, sizeof(pid));
    uint64_t regs[32];
    regs[0] = hart->pc;
    for (int i = 1; i < 32; i++)
        regs[i] = hart->x[i];
    memcpy(prstatus + PRSTATUS_REG_OFFSET, regs, sizeof(regs));
}

/* Everything before the memory: headers and notes. */
static uint8_t *build_headers(const MemoryRegion *const *regions, unsigned n_regions,
                              RiscvCpu *const *harts, unsigned n_harts, size_t *header_size,
                              uint64_t *strtab_offset)
{
    unsigned n_phdrs = 1 + n_regions;
    uint64_t shoff = sizeof(Elf64_Ehdr);
    uint64_t phoff = shoff + SECTION_COUNT * sizeof(Elf64_Shdr);
    uint64_t note_offset = phoff + n_phdrs * sizeof(Elf64_Phdr);
    uint64_t note_size = (uint64_t)n_harts * NOTE_SIZE;
    uint64_t memory_offset = note_offset + note_size;
    uint64_t memory_size = 0;
    for (unsigned i = 0; i < n_regions; i++)
        memory_size += regions[i]->size;

    *header_size = (size_t)memory_offset;
    *strtab_offset = memory_offset + memory_size;
    uint8_t *buf = calloc(1, *header_size);
    if (!buf)
        return NULL;

    Elf64_Ehdr ehdr = {
        .e_ident = {ELFMAG0, ELFMAG1, ELFMAG2, ELFMAG3, ELFCLASS64, ELFDATA2LSB, EV_CURRENT},
        .e_type = ET_CORE,
        .e_machine = EM_RISCV,
        .e_version = EV_CURRENT,
        .e_phoff = phoff,
        .e_shoff = shoff,
        .e_ehsize = sizeof(Elf64_Ehdr),
        .e_phentsize = sizeof(Elf64_Phdr),
        .e_phnum = (Elf64_Half)n_phdrs,
        .e_shentsize = sizeof(Elf64_Shdr),
        .e_shnum = SECTION_COUNT,
        .e_shstrndx = SECTION_COUNT - 1,
    };
    memcpy(buf, &ehdr, sizeof(ehdr));

    Elf64_Shdr strtab_shdr = {
        .sh_name = 1,
        .sh_type = SHT_STRTAB,
        .sh_offset = *strtab_offset,
        .sh_size = SHSTRTAB_SIZE,
    };
    memcpy(buf + shoff + sizeof(Elf64_Shdr), &strtab_shdr, sizeof(strtab_shdr));

    /* QEMU leaves p_flags and p_align zero on every segment. */
    Elf64_Phdr note_phdr = {
        .p_type = PT_NOTE,
        .p_offset = note_offset,
        .p_filesz = note_size,
        .p_memsz = note_size,
    };
    memcpy(buf + phoff, &note_phdr, sizeof(note_phdr));
    uint64_t offset = memory_offset;
    for (unsigned i = 0; i < n_regions; i++) {
        Elf64_Phdr load = {
            .p_type = PT_LOAD,
            .p_offset = offset,
            .p_vaddr = regions[i]->base,
            .p_paddr = regions[i]->base,
            .p_filesz = regions[i]->size,
            .p_memsz = regions[i]->size,
        };
        memcpy(buf + phoff + (1 + i) * sizeof(Elf64_Phdr), &load, sizeof(load));
        offset += regions[i]->size;
    }

    for (unsigned i = 0; i < n_harts; i++)
        fill_note(buf + note_offset + i * NOTE_SIZE, harts[i], i);
    return buf;
}

static bool write_core(CoreFile *core, AddressSpace *as, RiscvCpu *const *harts, unsigned n_harts)
{
    /* QEMU dumps its RAM blocks: RAM and ROM (the virt board's mrom), not
     * MMIO. */
    const MemoryRegion *regions[MEMORY_MAX_REGIONS];
    unsigned n_regions = 0;
    for (int i = 0; i < as->count; i++) {
        if (as->regions[i].host)
            regions[n_regions++] = &as->regions[i];
    }
    qsort(regions, n_regions, sizeof(regions[0]), region_by_base);

    size_t header_size;
    uint64_t strtab_offset;
    uint8_t *headers =
        build_headers(regions, n_regions, harts, n_harts, &header_size, &strtab_offset);
    if (!headers) {
        snprintf(core->err, core->errlen, "cannot write '%s': out of memory", core->path);
        return false;
    }
    bool ok = write_all(core, headers, header_size);
    free(headers);
    for (unsigned i = 0; ok && i < n_regions; i++)
        ok = write_memory(core, regions[i]->host, regions[i]->size);
    /* The string table ends the file, so holes left by zero memory are
     * inside it. */
    return ok && write_all(core, shstrtab, SHSTRTAB_SIZE);
}

bool elfcore_write(const char *path, AddressSpace *as, RiscvCpu *const *harts, unsigned n_harts,
                   char *err, size_t errlen)
{
    size_t path_len = strlen(path);
    char *temp = malloc(path_len + sizeof(".XXXXXX"));
    if (!temp) {
        snprintf(err, errlen, "cannot write '%s': out of memory", path);
        return false;
    }
    memcpy(temp, path, path_len);
    memcpy(temp + path_len, ".XXXXXX", sizeof(".XXXXXX"));

    CoreFile core = {.fd = mkstemp(temp), .path = path, .err = err, .errlen = errlen};
    if (core.fd < 0) {
        snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
        free(temp);
        return false;
    }

    bool ok = write_core(&core, as, harts, n_harts);
    /* Owner read-only, the mode QEMU creates its dumps with. */
    if (ok && fchmod(core.fd, S_IRUSR) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        ok = false;
    }
    if (close(core.fd) != 0 && ok) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        ok = false;
    }
    if (ok && rename(temp, path) != 0) {
        snprintf(err, errlen, "cannot create '%s': %s", path, strerror(errno));
        ok = false;
    }
    if (!ok)
        unlink(temp);
    free(temp);
    return ok;
}
