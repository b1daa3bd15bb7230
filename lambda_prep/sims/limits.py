"""limits: a workload meets Lambda's quotas (timeout, payload, /tmp, memory and CPU).

AWS facts (lambda-facts.md §1; simulation-notes.md F9):
- timeout 1-900 s (15 min), default 3 s; a job still running at the timeout is stopped and the
  full timeout is billed (configuration-timeout.html, gettingstarted-limits.html);
- memory 128-10,240 MB; CPU is allocated in proportion: 1,769 MB = one vCPU, up to 6 vCPUs at
  10,240 MB (configuration-memory.html);
- invocation payload: 6 MB synchronous (request and response), 1 MB asynchronous. The 1 MB async
  limit replaced 256 KB (~Oct 2025); only the deprecated InvokeAsync API keeps 256 KB
  (API_Invoke.html, API_InvokeAsync.html). Too big: RequestTooLargeException;
- /tmp (ephemeral storage) 512-10,240 MB, 512 MB free (API_EphemeralStorage.html).

Model assumptions (labelled in the output): the job is CPU-bound and its speed is proportional to its
vCPU share, min(threads, memory / 1,769) vCPUs (AWS gives 6 vCPUs at 10,240 MB, slightly above the
proportional 5.79; the model keeps the proportional figure); single-threaded code gains nothing
beyond one vCPU; a split plan keeps 20 % headroom under the timeout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts
from lambda_prep.sims.common import ParamError, check_range, envelope

MEMORY_MIN_MB, MEMORY_MAX_MB = int(facts.MIN_MEMORY_MB), int(facts.MAX_MEMORY_MB)
AWS_DEFAULT_MEMORY_MB = int(facts.DEFAULT_MEMORY_MB)
TIMEOUT_MIN_S, TIMEOUT_MAX_S = int(facts.MIN_TIMEOUT_S), int(facts.MAX_TIMEOUT_S)
AWS_DEFAULT_TIMEOUT_S = int(facts.DEFAULT_TIMEOUT_S)
TMP_MIN_MB, TMP_MAX_MB = int(facts.MIN_TMP_MB), int(facts.MAX_TMP_MB)
MB_PER_VCPU = int(facts.MB_PER_VCPU)
MAX_VCPUS = int(facts.MAX_VCPUS)
SYNC_PAYLOAD_KB = int(facts.SYNC_PAYLOAD_KB)
ASYNC_PAYLOAD_KB = int(facts.ASYNC_PAYLOAD_KB)
OLD_ASYNC_PAYLOAD_KB = int(facts.OLD_ASYNC_PAYLOAD_KB)
SPLIT_HEADROOM = 0.8  # model assumption: each chunk targets 80 % of the timeout
EPHEMERAL_GB_SECOND = float(facts.EPHEMERAL_GB_SECOND)

SOURCES = (
    "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/configuration-memory.html",
    "https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html",
    "https://docs.aws.amazon.com/lambda/latest/api/API_InvokeAsync.html",
    "https://docs.aws.amazon.com/lambda/latest/api/API_EphemeralStorage.html",
    facts.PRICING_URL,
)

SWEEP_MEMORY_MB = (128, 256, 512, 1024, 1769, 3008, 3538, 5307, 7076, 10240)
INVOCATIONS = C.INVOCATIONS


def vcpus(memory_mb: float) -> float:
    """vCPU share for a memory size: proportional, 1,769 MB = 1 vCPU, capped at 6."""
    return min(MAX_VCPUS, memory_mb / MB_PER_VCPU)


def cpu_duration_s(cpu_seconds: float, memory_mb: float, threads: int = 1) -> float:
    """Wall time of CPU-bound work that takes `cpu_seconds` on one full vCPU (model assumption:
    speed = min(threads, vCPU share))."""
    return cpu_seconds / min(threads, vcpus(memory_mb))


def billed_seconds(duration_s: float, timeout_s: float) -> float:
    """1-ms billing of min(duration, timeout): a timed-out invocation bills the full timeout."""
    return math.ceil(round(min(duration_s, timeout_s) * 1000, 6)) / 1000


def run_cost(billed_s: float, memory_mb: float, tmp_mb: float = TMP_MIN_MB, arch: str = "x86_64") -> float:
    """$ for one invocation: request + duration + /tmp above 512 MB."""
    gb_s = billed_s * memory_mb / 1024
    extra_tmp = max(0.0, tmp_mb - TMP_MIN_MB) / 1024 * billed_s * EPHEMERAL_GB_SECOND
    return facts.request_cost(1) + facts.duration_cost(gb_s, arch) + extra_tmp


@dataclass(frozen=True)
class Params:
    job_minutes: float = 20.0
    memory_mb: int = AWS_DEFAULT_MEMORY_MB
    timeout_s: int = TIMEOUT_MAX_S
    threads: int = 1
    payload_kb: float = 300.0
    invocation: str = "sync"
    tmp_mb: int = TMP_MIN_MB
    scratch_mb: float = 1024.0

    def __post_init__(self) -> None:
        check_range("job_minutes", self.job_minutes, 0.001, 100_000,
                    why="minutes of CPU work on one full vCPU (1,769 MB)")
        check_range("memory_mb", self.memory_mb, MEMORY_MIN_MB, MEMORY_MAX_MB,
                    why="Lambda's memory range, in 1-MB steps; CPU is allocated in proportion")
        check_range("timeout_s", self.timeout_s, TIMEOUT_MIN_S, TIMEOUT_MAX_S,
                    why="Lambda's maximum timeout is 900 s (15 minutes)")
        check_range("threads", self.threads, 1, 64, why="threads the job can keep busy; Lambda gives at most 6 vCPUs")
        check_range("payload_kb", self.payload_kb, 0, 1_048_576, why="the event payload size in KB (up to 1 GB here)")
        check_range("tmp_mb", self.tmp_mb, TMP_MIN_MB, TMP_MAX_MB,
                    why="ephemeral storage (/tmp) is configurable from 512 MB to 10,240 MB")
        check_range("scratch_mb", self.scratch_mb, 0, 1_048_576, why="scratch space the job writes to /tmp, MB")
        if self.invocation not in INVOCATIONS:
            raise ParamError(f"--invocation must be one of {', '.join(INVOCATIONS)}, got {self.invocation!r}")


@dataclass
class MemoryRow:
    memory_mb: int
    vcpus: float
    duration_s: float
    killed: bool
    billed_s: float
    cost: float
    chosen: bool
    chunks: int  # invocations needed to finish the whole job (split when it does not fit)
    job_cost: float  # $ to finish the whole job at this memory, split if needed

    def to_json(self) -> dict:
        return {"memory_mb": self.memory_mb, "vcpus": round(self.vcpus, 3), "duration_s": round(self.duration_s, 3),
                "timed_out": self.killed, "billed_s": self.billed_s, "cost_per_run_usd": round(self.cost, 8),
                "chunks_to_finish": self.chunks, "job_cost_usd": round(self.job_cost, 8), "chosen": self.chosen}


@dataclass
class PayloadRow:
    invocation: str
    limit_kb: float
    accepted: bool
    note: str
    chosen: bool

    def to_json(self) -> dict:
        return {"invocation": self.invocation, "limit_kb": self.limit_kb, "accepted": self.accepted,
                "note": self.note, "chosen": self.chosen}


@dataclass
class Result:
    params: Params
    seed: int
    duration_s: float
    timed_out: bool
    billed_s: float
    completed_fraction: float
    cost_per_run: float
    memory_table: list[MemoryRow]
    best_memory_mb: int
    best_duration_s: float
    fix: str
    split_chunks: int
    chunk_minutes: float
    split_options: list[str]
    payload: list[PayloadRow]
    payload_accepted: bool
    payload_fix: str
    tmp_ok: bool
    tmp_needed_mb: int
    tmp_fix: str
    assumptions: list[str]

    def to_json(self) -> dict:
        p = self.params
        return envelope("limits", p, self.assumptions, SOURCES, {
            "vcpus": round(vcpus(p.memory_mb), 3),
            "duration_s": round(self.duration_s, 3),
            "timed_out": self.timed_out,
            "billed_s": self.billed_s,
            "completed_fraction": round(self.completed_fraction, 4),
            "cost_per_run_usd": round(self.cost_per_run, 8),
            "memory_table": [r.to_json() for r in self.memory_table],
            "best_memory_mb": self.best_memory_mb,
            "best_duration_s": round(self.best_duration_s, 3),
            "timeout_fix": self.fix,
            "split": {"chunks": self.split_chunks, "chunk_minutes": round(self.chunk_minutes, 3),
                      "options": list(self.split_options)},
            "payload": {"size_kb": p.payload_kb, "invocation": p.invocation, "accepted": self.payload_accepted,
                        "sync_limit_kb": SYNC_PAYLOAD_KB, "async_limit_kb": ASYNC_PAYLOAD_KB,
                        "rows": [r.to_json() for r in self.payload], "fix": self.payload_fix},
            "tmp": {"size_mb": p.tmp_mb, "needed_mb": self.tmp_needed_mb, "ok": self.tmp_ok, "fix": self.tmp_fix},
        })


def run(params: Params, seed: int = 1, progress: Callable[[int], None] | None = None) -> Result:
    p = params
    cpu_s = p.job_minutes * 60

    target = p.timeout_s * SPLIT_HEADROOM

    def row(memory: int) -> MemoryRow:
        duration = cpu_duration_s(cpu_s, memory, p.threads)
        billed = billed_seconds(duration, p.timeout_s)
        killed = duration > p.timeout_s
        chunks = math.ceil(duration / target) if killed else 1
        job_cost = (run_cost(billed_seconds(duration, math.inf), memory, p.tmp_mb)
                    + (chunks - 1) * facts.request_cost(1))
        return MemoryRow(memory, vcpus(memory), duration, killed, billed,
                         run_cost(billed, memory, p.tmp_mb), memory == p.memory_mb, chunks, job_cost)

    table = [row(m) for m in sorted(set(SWEEP_MEMORY_MB) | {p.memory_mb})]
    mine = next(r for r in table if r.chosen)
    best_memory = min(MEMORY_MAX_MB, math.ceil(min(p.threads, MAX_VCPUS) * MB_PER_VCPU))
    best_duration = cpu_duration_s(cpu_s, best_memory, p.threads)

    chunks, chunk_minutes, options = 1, best_duration / 60, []
    if not mine.killed:
        fix = "fits: the job finishes before the timeout"
    elif best_duration <= p.timeout_s:
        # the vCPU figure printed is the one the arithmetic used (the proportional share, 5.79 at
        # 10,240 MB), not AWS's rounded "6 vCPUs", so the sentence checks out by hand
        fix = (f"raise memory to {best_memory:,} MB: {vcpus(best_memory):.2f} vCPUs finish it in "
               f"{best_duration / 60:.1f} min, under the {p.timeout_s / 60:g}-min timeout")
    else:
        chunks = math.ceil(best_duration / target)
        chunk_minutes = best_duration / chunks / 60
        fix = (f"no memory setting is enough ({best_duration / 60:.1f} min even at {best_memory:,} MB): split it "
               f"into {chunks} chunks of about {chunk_minutes:.1f} min")
        options = [
            f"Step Functions: a Map state (Distributed Map for large fan-outs) runs the {chunks} chunks in "
            "parallel and retries each one on its own.",
            f"SQS fan-out: a producer writes {chunks} messages, one per chunk; the function processes one "
            "chunk per message (queue visibility timeout at least 6x the function timeout).",
            "Checkpoint and continue: durable functions (steps up to 1 year), or move a long single job to "
            "ECS/Fargate or AWS Batch.",
        ]

    payload_rows = [
        PayloadRow("sync", SYNC_PAYLOAD_KB, p.payload_kb <= SYNC_PAYLOAD_KB,
                   "6 MB for the request and for the response", p.invocation == "sync"),
        PayloadRow("async", ASYNC_PAYLOAD_KB, p.payload_kb <= ASYNC_PAYLOAD_KB,
                   "1 MB (was 256 KB until ~Oct 2025)", p.invocation == "async"),
        PayloadRow("old async figure", OLD_ASYNC_PAYLOAD_KB, p.payload_kb <= OLD_ASYNC_PAYLOAD_KB,
                   "outdated for Invoke: only the deprecated InvokeAsync API keeps 256 KB", False),
    ]
    accepted = next(r for r in payload_rows if r.chosen).accepted
    limit = SYNC_PAYLOAD_KB if p.invocation == "sync" else ASYNC_PAYLOAD_KB
    payload_fix = ("accepted" if accepted else
                   f"rejected with RequestTooLargeException ({p.payload_kb:,g} KB > {limit:,} KB): put the data "
                   "in S3 and pass its key (claim check)")
    if accepted and p.invocation == "async" and p.payload_kb > OLD_ASYNC_PAYLOAD_KB:
        payload_fix += " (an answer quoting the old 256 KB limit would wrongly reject it)"

    tmp_needed = math.ceil(p.scratch_mb)
    tmp_ok = p.scratch_mb <= p.tmp_mb
    if tmp_ok:
        tmp_fix = "fits in /tmp"
    elif p.scratch_mb <= TMP_MAX_MB:
        tmp_fix = (f"/tmp fills up (No space left on device): raise ephemeral storage to at least "
                   f"{tmp_needed:,} MB (above 512 MB is billed), or stream to S3 / mount EFS")
    else:
        tmp_fix = (f"{p.scratch_mb:,g} MB is beyond the 10,240 MB /tmp maximum: stream to S3 or mount EFS")

    assumptions = [
        "CPU-bound job: speed = min(threads, memory / 1,769 MB) vCPUs (proportional; AWS quotes 6 vCPUs at "
        "10,240 MB, the proportional figure is 5.79).",
        "Single-threaded code gains nothing beyond one vCPU (1,769 MB)." if p.threads == 1 else
        f"The job keeps {p.threads} threads busy; beyond that extra vCPUs go unused.",
        f"A split keeps {100 - SPLIT_HEADROOM * 100:.0f} % headroom under the timeout.",
        "Cost: x86_64 first-tier prices, 1-ms billing; /tmp above 512 MB at the transcribed rate "
        "(confidence M).",
    ]
    if progress:
        progress(1)
    return Result(p, seed, mine.duration_s, mine.killed, mine.billed_s,
                  min(1.0, p.timeout_s / mine.duration_s), mine.cost, table, best_memory, best_duration,
                  fix, chunks, chunk_minutes, options, payload_rows, accepted, payload_fix,
                  tmp_ok, tmp_needed, tmp_fix, assumptions)
