"""consolebench: times moments on an emulator's serial console (text
appearing, the process ending), for ember and qemu-system-riscv64 side by
side; shared by bench/run-uboot and bench/run-linux. A benchmark, not a test.

A scenario is a list of steps (label, text, reply): wait until text appears
on the console (or, when text is None, until the emulator exits), note the
time since process start under label, then type reply if there is one.
"""
import argparse
import os
import selectors
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIOS = "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin"


def wait_for(proc, sel, buf, text, deadline):
    """Reads the console until text appears; returns the grown buffer."""
    while text.encode() not in buf:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or proc.poll() is not None:
            tail = buf[-400:].decode(errors="replace")
            raise RuntimeError(f"never saw {text!r}; console ended with:\n{tail}")
        for _key, _ in sel.select(timeout=min(remaining, 0.5)):
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                break
            buf += chunk
    return buf


def run_once(cmd, steps, limit):
    """Runs cmd through the steps; returns the seconds at each."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    deadline = start + limit
    times, buf = [], b""
    try:
        for _label, text, reply in steps:
            if text is None:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
                if proc.returncode != 0:
                    raise RuntimeError(f"exit status {proc.returncode}")
            else:
                buf = wait_for(proc, sel, buf, text, deadline)
            times.append(time.monotonic() - start)
            if reply is not None:
                proc.stdin.write(reply.encode())
                proc.stdin.flush()
        if proc.poll() is None:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    return times


def build_ember():
    build = os.path.join(ROOT, "build-release")
    log = os.path.join(ROOT, "bench", "out", "build.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w") as out:
        for step in (["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release"],
                     ["cmake", "--build", build, "-j2", "--target", "ember"]):
            if subprocess.call(step, stdout=out, stderr=subprocess.STDOUT) != 0:
                sys.exit(f"bench: building ember failed, see {log}")
    return os.path.join(build, "ember")


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("-n", "--runs", type=int, default=3, help="runs per emulator (default 3)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per run (default 120)")
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs wants a positive number")
    return args


def compare(name, args, common, scenarios):
    """Runs every scenario (title, extra args, steps) on ember and QEMU with
    the common arguments and prints one table of medians."""
    ember = os.environ.get("EMBER") or build_ember()
    qemu = os.environ.get("QEMU", "qemu-system-riscv64")
    version = subprocess.run([qemu, "--version"], capture_output=True, text=True)
    print(f"{name}: {args.runs} runs each; ember: {ember}; "
          f"qemu: {version.stdout.splitlines()[0] if version.stdout else qemu}")
    rows, ok = [], True
    for title, extra, steps in scenarios:
        medians = {}
        for emu, cmd in (("ember", [ember]), ("QEMU", [qemu, "-accel", "tcg,thread=single"])):
            samples = []
            for _ in range(args.runs):
                try:
                    samples.append(run_once(cmd + common + extra, steps, args.timeout))
                except (RuntimeError, subprocess.TimeoutExpired, OSError) as err:
                    print(f"{name}: {emu}, {title}: failed: {err}", file=sys.stderr)
                    samples, ok = None, False
                    break
            medians[emu] = ([statistics.median(s[i] for s in samples) for i in range(len(steps))]
                            if samples else [None] * len(steps))
        for i, (label, _text, _reply) in enumerate(steps):
            rows.append((f"{title}: {label}", medians["ember"][i], medians["QEMU"][i]))

    width = max(len(r[0]) for r in rows)
    print(f"{'moment':<{width}} {'ember s':>9} {'QEMU s':>9} {'QEMU/ember':>11}")
    fmt = lambda v: f"{v:.3f}" if v is not None else "fail"
    for label, e, q in rows:
        ratio = f"{q / e:.3f}" if e and q else "-"
        print(f"{label:<{width}} {fmt(e):>9} {fmt(q):>9} {ratio:>11}")
    print("(wall-clock medians from process start; QEMU/ember < 1 means ember is slower)")
    return 0 if ok else 1
