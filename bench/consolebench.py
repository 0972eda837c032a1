"""consolebench: times moments on an emulator's serial console (text
appearing, the process ending), for bench/run.

A scenario is a list of steps (label, text, reply): wait until text appears
on the console (or, when text is None, until the emulator exits), note the
time since process start under label, then type reply if there is one.
"""
import contextlib
import os
import selectors
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


@contextlib.contextmanager
def console(cmd):
    """Starts cmd with its console on pipes; yields (process, selector) and
    kills the process if it is still running afterwards."""
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    try:
        yield proc, sel
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def type_text(proc, text):
    proc.stdin.write(text.encode())
    proc.stdin.flush()


def run_once(cmd, steps, limit):
    """Runs cmd through the steps; returns the seconds at each."""
    start = time.monotonic()
    deadline = start + limit
    times, buf = [], b""
    with console(cmd) as (proc, sel):
        for _label, text, reply in steps:
            if text is None:
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
                if proc.returncode != 0:
                    raise RuntimeError(f"exit status {proc.returncode}")
            else:
                buf = wait_for(proc, sel, buf, text, deadline)
            times.append(time.monotonic() - start)
            if reply is not None:
                type_text(proc, reply)
        if proc.poll() is None:
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    return times


def cpu_seconds(pid):
    """User + system CPU time of a process (all its threads) so far."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def idle_cpu(cmd, prompt, quit_text, seconds, limit):
    """Boots cmd to prompt, lets it sit there for seconds and returns the
    CPU seconds it used meanwhile (clock-tick resolution), then types
    quit_text. The first second after the prompt is not counted: the
    guest may still be settling."""
    deadline = time.monotonic() + limit
    with console(cmd) as (proc, sel):
        wait_for(proc, sel, b"", prompt, deadline)
        time.sleep(1.0)
        before = cpu_seconds(proc.pid)
        time.sleep(seconds)
        used = cpu_seconds(proc.pid) - before
        if proc.poll() is not None:
            raise RuntimeError(f"exit status {proc.returncode} while idle")
        type_text(proc, quit_text)
        proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    return used


def build_ember(folder="build-release", options=()):
    """ember in Release in ROOT/folder, with extra CMake options."""
    build = os.path.join(ROOT, folder)
    log = os.path.join(ROOT, "bench", "out", "build.log")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    with open(log, "w") as out:
        for step in (["cmake", "-S", ROOT, "-B", build, "-DCMAKE_BUILD_TYPE=Release", *options],
                     ["cmake", "--build", build, "-j2", "--target", "ember"]):
            if subprocess.call(step, stdout=out, stderr=subprocess.STDOUT) != 0:
                sys.exit(f"bench: building ember failed, see {log}")
    return os.path.join(build, "ember")
