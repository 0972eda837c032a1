"""guestbench: the guest side of bench/run and bench/disk-bench: the Linux
guest (roms/linux/build-guest) with the bench/guest programs (static riscv64
Linux programs built with -O2) added to its initramfs under /bench, and the
real programs (bench/programs/build: lua, sqlite3, xz from Debian's source
packages) under /bench/bin with our scripts for them (/bench/lua,
/bench/sqlite).
"""
import gzip
import os
import subprocess
import sys

from consolebench import BIOS, ROOT

OUT = os.path.join(ROOT, "bench", "out")
MEMORY = "512M"
# The workloads in the initramfs with the real programs (programs=True).
PROGRAM_WORKLOADS = {"lua", "sqlite", "xz", "procs", "lua-cold", "sqlite-cold"}
GUEST_PROGRAMS = ["timeit", "cpu_int", "cpu_mem", "cpu_fp", "kernel_heavy", "disk_io", "fb_flush",
                  "ipi_pingpong", "maptouch", "rngseed"]
# Files of bench/guest copied as they are: (path there, mode).
GUEST_FILES = [("run-all", 0o755), ("procs.sh", 0o755), ("lua/run.lua", 0o644),
               ("lua/fib.lua", 0o644), ("lua/binarytrees.lua", 0o644),
               ("lua/strings.lua", 0o644), ("lua/tables.lua", 0o644),
               ("sqlite/bench.sql", 0o644)]
REAL_PROGRAMS = ["lua", "sqlite3", "xz"]


def sh(cmd, log):
    with open(log, "a") as out:
        if subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT) != 0:
            sys.exit(f"bench: {' '.join(cmd)} failed, see {log}")


def cpio_newc(entries):
    """A newc cpio archive of (path, mode, data or None for a folder)."""
    out = bytearray()
    for ino, (path, mode, data) in enumerate(entries + [("TRAILER!!!", 0, b"")], start=1):
        name = path.encode() + b"\0"
        body = data or b""
        fields = [ino, mode, 0, 0, 1, 0, len(body), 0, 0, 0, 0, len(name), 0]
        out += b"070701" + b"".join(b"%08x" % f for f in fields) + name
        out += b"\0" * (-len(out) % 4) + body
        out += b"\0" * (-len(out) % 4)
    return bytes(out)


def linux_argv(image, initrd, append):
    """Both emulators' arguments to boot the bench guest with this command line."""
    return ["-M", "virt", "-m", MEMORY, "-nographic", "-bios", BIOS, "-kernel", image,
            "-initrd", initrd, "-append", append]


def build_guest_side(log, march=None, programs=False):
    """Builds the guest images and the workloads (for march, e.g.
    rv64gc_zba_zbb, instead of the compiler's rv64gc), with programs the
    real programs too; returns (Image, initramfs with the workloads
    appended)."""
    guest = os.path.join(ROOT, "build", "guest")
    sh([os.path.join(ROOT, "roms", "linux", "build-guest"), "--out", guest], log)
    src = os.path.join(ROOT, "bench", "guest")
    bins = os.path.join(OUT, "guest-" + march if march else "guest")
    os.makedirs(bins, exist_ok=True)
    entries = [("bench", 0o040755, None)]
    for prog in GUEST_PROGRAMS:
        exe = os.path.join(bins, prog)
        sh(["riscv64-linux-gnu-gcc", "-O2", "-static", "-Wall", "-Wextra", "-Werror", "-I", ROOT]
           + (["-march=" + march] if march else [])
           + ["-o", exe, os.path.join(src, prog + ".c"), "-lm"], log)
        with open(exe, "rb") as f:
            entries.append((f"bench/{prog}", 0o100755, f.read()))
    for path, mode in GUEST_FILES:
        folder = os.path.dirname(path)
        if folder and ("bench/" + folder, 0o040755, None) not in entries:
            entries.append(("bench/" + folder, 0o040755, None))
        with open(os.path.join(src, path), "rb") as f:
            entries.append(("bench/" + path, 0o100000 | mode, f.read()))
    if programs:
        # Cached under ~/.cache/ember/programs, built once per source version.
        folder = os.path.join(bins, "programs")
        sh([os.path.join(ROOT, "bench", "programs", "build"), "--out", folder]
           + (["--march", march] if march else []), log)
        entries.append(("bench/bin", 0o040755, None))
        for prog in REAL_PROGRAMS:
            with open(os.path.join(folder, prog), "rb") as f:
                entries.append((f"bench/bin/{prog}", 0o100755, f.read()))
    # The kernel unpacks concatenated archives in order: ours adds /bench.
    initrd = os.path.join(OUT, "bench-initramfs%s%s.cpio.gz" % ("-programs" if programs else "",
                                                                "-" + march if march else ""))
    with open(os.path.join(guest, "initramfs.cpio.gz"), "rb") as f:
        base = f.read()
    with open(initrd, "wb") as f:
        f.write(base + gzip.compress(cpio_newc(entries), mtime=0))
    return os.path.join(guest, "Image"), initrd
