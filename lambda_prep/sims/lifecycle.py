"""lifecycle: one execution environment from Init through its invocations to Shutdown.

Phases as AWS documents them: INIT (extensions, runtime, your init code; or a SnapStart RESTORE
from a snapshot taken when the version was published), INVOKE (your handler, then any extension's
after-response work: the phase ends when the runtime and every extension are done), and
SHUTDOWN (0 ms with no extensions, up to 500 ms with an internal one, 2,000 ms with external
ones). Between invocations the environment is FROZEN: background work the handler did not await
makes progress only while the environment is thawed, so it may finish during a later request or
never. What survives a warm start: globals, /tmp and open connections (which the other side may
have closed meanwhile). A timeout or crash resets the environment: globals and connections are
lost, /tmp is not cleared, and the next request runs Init again.

Billing (since 1 Aug 2025 INIT is billed for every configuration): the billed duration of a cold
invocation is INIT + INVOKE rounded up to the next millisecond; a warm one is INVOKE alone.
With SnapStart only the "billed restore" part (loading the runtime, after-restore hooks) is
billed, not the snapshot restore itself. Deterministic: the seed changes nothing.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_choice, check_range, envelope

EXTENSIONS = C.EXTENSIONS
SNAPSTART_RUNTIMES = F.SNAPSTART_RUNTIMES.value
RUNTIMES = C.RUNTIMES

ASSUMPTIONS = (
    "all durations are inputs (illustrative defaults), not AWS measurements",
    "requests are evenly spaced and all reach this one environment (no concurrency)",
    "the environment is shut down the keep-alive time after its last request; AWS documents no "
    "idle time and also recycles environments every few hours",
    "background work progresses only while the environment is thawed (during INVOKE phases), "
    "at full speed",
    "the far end closes an idle connection after the idle timeout; the next request must reconnect",
    "a request marked to time out runs its handler past the function timeout; the next request "
    "runs Init again",
)
SOURCES = (
    F.SHUTDOWN_LIMIT_MS.source,
    F.INIT_BILLED_SINCE.source,
    "https://docs.aws.amazon.com/lambda/latest/dg/snapstart-monitoring.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-extensions.html",
    F.DEFAULT_TIMEOUT_S.source,
    F.PRICING_URL,
)


@dataclass(frozen=True)
class Params:
    requests: int = 6
    gap_s: float = 60.0  # time between requests
    init_ms: float = 450.0  # runtime start + your init code (imports, clients)
    duration_ms: float = 120.0
    extension: str = "external"
    extension_init_ms: float = 80.0  # extensions start during INIT
    extension_post_ms: float = 40.0  # an extension's work after the response (flushing telemetry)
    background_ms: float = 300.0  # work the handler starts and does not await (0 = none)
    memory_mb: int = 512
    architecture: str = "x86_64"
    timeout_s: float = F.DEFAULT_TIMEOUT_S.value
    timeout_at: int | None = None  # the request (1-based) whose handler runs past the timeout
    keep_alive_s: float = 600.0
    connection_idle_timeout_s: float = 100.0
    runtime: str = "python"
    snapstart: bool = False
    restore_ms: float = 180.0  # Restore Duration: snapshot restore + runtime load + after-restore hooks
    billed_restore_ms: float = 60.0  # Billed Restore Duration: the runtime load + hooks part

    def __post_init__(self) -> None:
        check_range("requests", self.requests, 1, 200)
        check_range("gap_s", self.gap_s, 0, 86_400)
        check_range("init_ms", self.init_ms, 0, F.MAX_INIT_MS.value,
                    why="the INIT phase may last at most 10 s for on-demand functions")
        check_range("duration_ms", self.duration_ms, 0, F.MAX_TIMEOUT_S.value * 1000)
        check_choice("extension", self.extension, EXTENSIONS)
        check_range("extension_init_ms", self.extension_init_ms, 0, F.MAX_INIT_MS.value)
        check_range("extension_post_ms", self.extension_post_ms, 0, 60_000)
        check_range("background_ms", self.background_ms, 0, 3_600_000)
        check_range("memory_mb", self.memory_mb, 128, 10_240, why="Lambda memory is 128 MB to 10,240 MB")
        check_choice("architecture", self.architecture, F.ARCHITECTURES)
        check_range("timeout_s", self.timeout_s, 1, F.MAX_TIMEOUT_S.value, why="the function timeout is 1 to 900 s")
        if self.timeout_at is not None:
            check_range("timeout_at", self.timeout_at, 1, self.requests, why="a request number")
        check_range("keep_alive_s", self.keep_alive_s, 0, 86_400)
        check_range("connection_idle_timeout_s", self.connection_idle_timeout_s, 1, 86_400)
        check_choice("runtime", self.runtime, RUNTIMES)
        check_range("restore_ms", self.restore_ms, 0, F.MAX_INIT_MS.value)
        check_range("billed_restore_ms", self.billed_restore_ms, 0, self.restore_ms,
                    why="the billed part of the restore cannot exceed the restore")
        if self.snapstart and self.runtime not in SNAPSTART_RUNTIMES:
            raise ParamError(f"--snapstart needs --runtime java, python or dotnet, got {self.runtime} "
                             "(on managed runtimes SnapStart supports Java 11+, Python 3.12+ and .NET 8+; a "
                             "container image of another runtime can use it with the snapshot hooks or the "
                             "SnapStart label, not simulated here)")
        if self.timeout_at is None and self.duration_ms > self.timeout_s * 1000:
            raise ParamError(f"--duration-ms {self.duration_ms:g} is longer than --timeout-s {self.timeout_s:g}: "
                             "every request would time out; raise the timeout or use --timeout-at")

    @property
    def ext_init_ms(self) -> float:
        return 0.0 if self.extension == "none" else self.extension_init_ms

    @property
    def ext_post_ms(self) -> float:
        return 0.0 if self.extension == "none" else self.extension_post_ms

    @property
    def shutdown_limit_ms(self) -> int:
        return F.table(F.SHUTDOWN_LIMIT_MS)[self.extension]


def billed_ms(init_ms: float, invoke_ms: float) -> int:
    """Billed duration: INIT (or the billed restore) + INVOKE, rounded up to the next 1 ms."""
    return math.ceil(round(init_ms + invoke_ms, 6))


@dataclass
class Invocation:
    number: int
    at_s: float
    start: str  # "cold", "warm", "restore", "re-init"
    init_ms: float  # INIT (or Restore Duration) on the caller's path
    billed_init_ms: float
    duration_ms: float
    post_ms: float
    timed_out: bool
    latency_ms: float  # what the caller waits: init + handler (the response goes before the extension's work)
    billed_ms: int
    cost_usd: float
    counter: int  # a global incremented by each request: survives while the environment lives
    tmp_cache: str  # "miss" (written) or "hit"
    connection: str  # "new", "reused", "stale" (closed by the far end while frozen)
    background: list  # [{"from": n, "ran_ms": x, "left_ms": y}] of unfinished background work

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class Result:
    params: Params
    invocations: list
    shutdown: dict
    totals: dict
    phases: list = field(default_factory=list)  # (phase, start_s, end_s, number) for the picture

    def to_json(self) -> dict:
        return envelope("lifecycle", self.params, ASSUMPTIONS, SOURCES, {
            "invocations": [i.to_json() for i in self.invocations],
            "shutdown": self.shutdown,
            "totals": self.totals,
            "phases": self.phases,
        })


def run(params: Params, seed: int = 0, progress=None) -> Result:
    p = params
    rate = F.table(F.GB_SECOND)[p.architecture] * p.memory_mb / 1024.0
    alive = False  # an initialised environment exists
    reset = False  # the last request timed out: this environment runs Init again
    counter = 0
    tmp_written = False
    connection_open_until: float | None = None  # when the far end drops the idle connection
    background: list[dict] = []  # unfinished work: {"from": n, "left_ms": x, "ran_ms": y}
    rows: list[Invocation] = []
    phases: list = []
    last_end = 0.0
    for n in range(1, p.requests + 1):
        at = (n - 1) * p.gap_s
        if alive and at - last_end > p.keep_alive_s:
            # reclaimed while idle: shutdown happened, unfinished background work is gone
            alive = False
            background = []
            connection_open_until = None
            tmp_written = False  # a new environment starts with an empty /tmp
        if not alive:
            if p.snapstart:
                start, init_ms, billed_init = "restore", p.restore_ms, p.billed_restore_ms
            else:
                start = "re-init" if reset else "cold"
                init_ms = p.ext_init_ms + p.init_ms
                billed_init = init_ms
            counter = 0
            alive, reset = True, False
        else:
            start, init_ms, billed_init = "warm", 0.0, 0.0
        if init_ms:
            phases.append(("RESTORE" if p.snapstart else "INIT", at, at + init_ms / 1000.0, n))
        timed_out = p.timeout_at == n
        handler = p.timeout_s * 1000.0 if timed_out else p.duration_ms
        post = 0.0 if timed_out else p.ext_post_ms
        invoke_ms = handler + post
        begin = at + init_ms / 1000.0
        phases.append(("INVOKE", begin, begin + invoke_ms / 1000.0, n))
        counter += 1
        tmp = "hit" if tmp_written else "miss"
        tmp_written = True  # /tmp survives warm starts and resets alike
        if connection_open_until is None:
            conn = "new"
        elif at > connection_open_until:
            conn = "stale"
        else:
            conn = "reused"
        # background work from earlier requests runs while this one is thawed
        thawed = invoke_ms
        still: list[dict] = []
        for job in background:
            step = min(job["left_ms"], thawed)
            job["left_ms"] -= step
            job["ran_ms"] += step
            if job["left_ms"] > 1e-9:
                still.append(job)
        if p.background_ms and not timed_out:
            # started during this request: runs while the handler finishes and the extension works
            ran = min(p.background_ms, post)
            job = {"from": n, "left_ms": p.background_ms - ran, "ran_ms": ran}
            if job["left_ms"] > 1e-9:
                still.append(job)
        background = still
        billed = billed_ms(billed_init, invoke_ms)
        cost = F.request_cost(1) + billed / 1000.0 * rate
        rows.append(Invocation(
            number=n, at_s=at, start=start, init_ms=init_ms, billed_init_ms=billed_init, duration_ms=handler,
            post_ms=post, timed_out=timed_out, latency_ms=round(init_ms + handler, 3), billed_ms=billed,
            cost_usd=round(cost, 12), counter=counter, tmp_cache=tmp, connection=conn,
            background=[{"from": j["from"], "ran_ms": round(j["ran_ms"], 3), "left_ms": round(j["left_ms"], 3)}
                        for j in background]))
        last_end = begin + invoke_ms / 1000.0
        connection_open_until = last_end + p.connection_idle_timeout_s
        if timed_out:
            # the environment is reset: globals and connections go, /tmp stays
            alive, reset = False, True
            background = []
            connection_open_until = None
    end = last_end + p.keep_alive_s
    phases.append(("SHUTDOWN", end, end + p.shutdown_limit_ms / 1000.0, 0))
    shutdown = {
        "at_s": round(end, 3),
        "limit_ms": p.shutdown_limit_ms,
        "signal": "SIGTERM to the runtime, SHUTDOWN event to extensions" if p.extension != "none"
        else "none: with no extensions the environment is simply stopped",
        "lost_background": [{"from": j["from"], "left_ms": round(j["left_ms"], 3)} for j in background],
    }
    total_billed = sum(r.billed_ms for r in rows)
    init_billed = round(sum(r.billed_init_ms for r in rows), 3)
    totals = {
        "billed_ms": total_billed,
        "init_billed_ms": init_billed,
        "init_share_of_bill": round(init_billed / total_billed, 4) if total_billed else 0.0,
        "cost_usd": round(sum(r.cost_usd for r in rows), 12),
        "cold_starts": sum(1 for r in rows if r.start != "warm"),
        "timeouts": sum(1 for r in rows if r.timed_out),
    }
    if progress:
        progress(p.requests)
    return Result(params=p, invocations=rows, shutdown=shutdown, totals=totals,
                  phases=[(a, round(b, 4), round(c, 4), d) for a, b, c, d in phases])


def total_steps(params: Params) -> int:
    return params.requests
