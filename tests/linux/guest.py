"""guest.py: what the Linux tests share (linux-test, net-test): ember (or
QEMU) running the guest from roms/linux/build-guest with its console on a
pipe, driven as a user would: wait for the prompt, type commands, check what
they print and how the emulator ends; and the scenario runner.
"""
import hashlib
import json
import os
import re
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback

PROMPT = r"ember:[^\r\n]*# "
BOOT_TIMEOUT = 120
COMMAND_TIMEOUT = 60


class Failure(Exception):
    pass


class Guest:
    """One run of ember with the guest's console on its stdin/stdout."""

    def __init__(self, ember, args):
        self.cmd = [ember, "-M", "virt", "-nographic"] + args
        self.proc = subprocess.Popen(self.cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT)
        self.out = ""   # everything printed so far
        self.seen = 0   # where the next expect starts looking
        self.quiet = False  # True: the console is not echoed to stdout

    def _read(self, timeout):
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            return False
        data = os.read(self.proc.stdout.fileno(), 65536)
        if not data:
            return None
        text = data.decode("utf-8", "replace")
        if not self.quiet:
            sys.stdout.write(text)
            sys.stdout.flush()
        self.out += text
        return True

    def expect(self, pattern, timeout=COMMAND_TIMEOUT, flags=0):
        """Waits for pattern after what earlier expects consumed; returns the match."""
        deadline = time.monotonic() + timeout
        regex = re.compile(pattern, flags)
        while True:
            m = regex.search(self.out, self.seen)
            if m:
                self.seen = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure(f"timed out after {timeout} s waiting for /{pattern}/")
            if self._read(min(left, 0.5)) is None:
                raise Failure(f"ember exited (status {self.proc.wait()}) before /{pattern}/")

    def send(self, line):
        self.proc.stdin.write(line.encode() + b"\r")
        self.proc.stdin.flush()

    def run(self, command, timeout=COMMAND_TIMEOUT):
        """Types command and returns what it printed before the next prompt.
        A marker printed by the shell (not echoed by the tty) delimits it."""
        marker = f"@@{len(self.out)}@@"
        # The tty echoes the marker split by '', which the shell joins.
        self.send(f"{command}; echo {marker[:2]}''{marker[2:]}")
        # The echo of a long command line wraps at the terminal's width,
        # anywhere in the marker.
        self.expect(r"[\r\n]*".join(re.escape(c) for c in f"''{marker[2:]}"), timeout)
        m = self.expect(r"\r?\n(.*?)" + re.escape(marker), timeout, re.S)
        self.expect(PROMPT, timeout)
        output = self.out[m.start(1):m.end(1)].replace("\r", "")
        # Kernel messages on the same console are not the command's output.
        return re.sub(r"(?m)^\[ *\d+\.\d+\] .*\n", "", output)

    def boot(self):
        self.expect(r"ember: guest ready", BOOT_TIMEOUT)
        self.expect(PROMPT, BOOT_TIMEOUT)

    def wait_exit(self, want, timeout=COMMAND_TIMEOUT):
        deadline = time.monotonic() + timeout
        while self.proc.poll() is None:
            if time.monotonic() > deadline:
                raise Failure("ember did not exit")
            self._read(0.2)
        while self._read(0) is True:
            pass
        if self.proc.returncode != want:
            raise Failure(f"ember exited with {self.proc.returncode}, expected {want}")

    def poweroff(self):
        self.send("poweroff")
        self.wait_exit(0)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Qmp:
    """A QMP client on a Unix socket."""

    def __init__(self, path):
        deadline = time.monotonic() + COMMAND_TIMEOUT
        while True:
            try:
                self.s = socket.socket(socket.AF_UNIX)
                self.s.connect(path)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise Failure("no QMP socket")
                time.sleep(0.05)
        self.f = self.s.makefile("rw")
        json.loads(self.f.readline())
        self.execute("qmp_capabilities")

    def execute(self, command, **args):
        self.f.write(json.dumps({"execute": command, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "event" not in reply:
                return reply

    def hmp(self, line):
        return self.execute("human-monitor-command", **{"command-line": line})["return"]


def check(cond, what):
    if not cond:
        raise Failure(what)


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class Context:
    def __init__(self, ember, guest_dir, tmp):
        self.ember = ember
        self.image = os.path.join(guest_dir, "Image")
        self.initramfs = os.path.join(guest_dir, "initramfs.cpio.gz")
        self.rootfs = os.path.join(guest_dir, "rootfs.ext4")
        self.tmp = tmp
        self.guests = []

    def start(self, *args, append="console=ttyS0", initrd=True):
        argv = ["-kernel", self.image, "-append", append]
        if initrd:
            argv += ["-initrd", self.initramfs]
        g = Guest(self.ember, argv + list(args))
        self.guests.append(g)
        return g

    def disk_copy(self, name):
        path = os.path.join(self.tmp, name)
        shutil.copyfile(self.rootfs, path)
        return path


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_scenario(scenarios, argv, doc, tool):
    """The command line's scenario (scenario_NAME in scenarios) in a
    temporary directory; exits 1 on failure, killing what it started."""
    if len(argv) != 4:
        sys.exit(doc)
    ember, guest_dir, name = argv[1:]
    scenario = scenarios.get("scenario_" + name)
    if not scenario:
        sys.exit(f"{tool}: no scenario '{name}'")
    with tempfile.TemporaryDirectory(prefix=f"ember-{tool}-") as tmp:
        ctx = Context(ember, guest_dir, tmp)
        try:
            scenario(ctx)
        except Exception as e:
            for g in ctx.guests:
                if g.quiet:
                    print(f"\n--- the end of what {' '.join(g.cmd[:1])} printed, not echoed above ---\n"
                          f"{g.out[-3000:]}", file=sys.stderr)
            if not isinstance(e, Failure):
                traceback.print_exc()
            print(f"\n{tool} {name}: FAILED: {e}", file=sys.stderr)
            sys.exit(1)
        finally:
            for g in ctx.guests:
                g.kill()
    print(f"\n{tool} {name}: passed")
