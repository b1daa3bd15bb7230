"""What every startup benchmark needs: the installed command, and the wall and CPU time of a run or
of a run up to the moment a prompt appears. One place, so the benchmarks measure the same way.

CPU time (user + system of the children) is reported beside wall time: on a shared machine the
wall time also counts waiting for a core, the CPU time is what the program costs.
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXE = shutil.which("lambda-prep")


def require_exe() -> str:
    if not EXE:
        sys.exit("lambda-prep is not on PATH: pip install . first")
    return EXE


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(cmd: list[str], env: dict, stdin: str | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one whole run, output thrown away."""
    cpu, start = children_cpu(), time.perf_counter()
    subprocess.run(cmd, env=env, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   text=True, check=False)
    return time.perf_counter() - start, children_cpu() - cpu


def until(cmd: list[str], env: dict, markers: tuple[bytes, ...], terminal: bool = False) -> tuple[float, float]:
    """(wall, CPU) seconds from starting `cmd` to any of `markers` appearing on its output; then
    the run is killed. terminal: run it in a pseudo-terminal (prompt_toolkit screens), else with
    stdin and stdout as pipes (plain mode). CPU includes the few ms between the marker and the kill."""
    cpu, start = children_cpu(), time.perf_counter()
    if terminal:
        import pty

        main, child = pty.openpty()
        proc = subprocess.Popen(cmd, env={"TERM": "xterm-256color", **env}, stdin=child, stdout=child,
                                stderr=subprocess.DEVNULL, close_fds=True)
        os.close(child)
        stream = main
    else:
        proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL)
        stream = proc.stdout.fileno()
    seen = b""
    while not any(marker in seen for marker in markers):
        try:
            chunk = os.read(stream, 4096)
        except OSError:  # a pseudo-terminal whose child has gone
            break
        if not chunk:
            break
        seen += chunk
    elapsed = time.perf_counter() - start
    proc.kill()
    proc.wait()
    if terminal:
        os.close(main)
    return elapsed, children_cpu() - cpu


def first_quiz_question(env: dict) -> tuple[float, float]:
    """`lambda-prep quiz`, piped, to its first answer prompt."""
    return until([require_exe(), "quiz", "--no-interactive", "--count", "1", "--seed", "1"], env,
                 (b"Answer (", b"Answer in your head"))


def compile_bytecode() -> None:
    """pip writes bytecode when it installs a package; an editable checkout under
    PYTHONDONTWRITEBYTECODE=1 (as on this machine) would recompile every module on every run."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "lambda_prep")], check=False,
                   env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""}, stdout=subprocess.DEVNULL)
