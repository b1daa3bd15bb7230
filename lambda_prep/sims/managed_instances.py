"""managed-instances: several requests share one execution environment on EC2 capacity you choose.

Lambda Managed Instances send up to PerExecutionEnvironmentMaxConcurrency requests at once to
each environment (by default 64 per vCPU for Node.js, 32 for Java and .NET, 16 for Python). What
that changes, and what this model computes:
- throughput per environment: the smaller of its vCPUs' CPU budget (vCPUs x 1,000 / CPU ms per
  request) and its concurrency (max concurrency x 1,000 / duration ms, Little's law);
- memory: Python runs one process per concurrent request, each with its own init and memory, so
  memory = processes x per-process memory; threaded runtimes share one copy;
- shared state: a global written by one request and read later by it is overwritten if another
  request sharing it starts in between (Java/.NET: all requests in the environment; Node.js: those
  on the same worker thread; Python: none, but /tmp is shared by every process);
- scaling: asynchronous, on CPU, never on the request path; traffic that more than doubles within
  5 minutes may be throttled while capacity catches up;
- cost: EC2 on-demand price + a 15 % management fee + $0.20 per million requests, against the
  default Lambda's requests + GB-s. EC2 prices are not in this tool: it reports the vCPU-hours and
  the break-even price per vCPU-hour instead.

Pure: params + seed -> Result. The race probability is checked against 1 - e^(-rate x duration).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

from lambda_prep.sims import choices as C
from lambda_prep.sims import facts as F
from lambda_prep.sims.common import ParamError, check_choice, check_range, envelope, rng

RUNTIMES = C.MANAGED_INSTANCES_RUNTIMES
HOURS_PER_MONTH = 730
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
RACE_SAMPLE = 20_000  # requests simulated in one environment to count overlaps

ASSUMPTIONS = (
    "requests arrive as a Poisson stream, spread evenly over the environments",
    "the scaler keeps CPU at the target utilisation (a model choice: AWS does not publish its target)",
    "cost is counted per vCPU-hour of the environments (instances packed full), never fewer than 3 "
    "environments (AWS starts three instances for Availability Zone resiliency)",
    "after a surge, capacity at most doubles every 5 minutes (a model reading of AWS's 'more than "
    "doubles within 5 minutes' warning); requests above capacity are throttled",
    "per-request CPU time, duration and memory are inputs (illustrative defaults), not AWS figures",
    "Node.js runs one worker thread per vCPU (AWS's default worker count follows the vCPUs)",
)
SOURCES = (
    F.LMI_CONCURRENCY_PER_VCPU.source,
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-python-runtime.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-nodejs-runtime.html",
    "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-java-runtime.html",
    F.LMI_SCALING_URL,
    F.LMI_MAX_CONCURRENCY_RANGE.source,
    F.LMI_MANAGEMENT_FEE.source,
)


@dataclass(frozen=True)
class Params:
    runtime: str = "nodejs"
    arrival_rate: float = 200.0  # requests per second, steady
    duration_ms: float = 200.0  # wall time of one request (mostly waiting on I/O)
    cpu_ms: float = 20.0  # CPU time of one request
    vcpus: int = 2  # per execution environment
    memory_per_vcpu_gib: float = 2.0
    max_concurrency: int | None = None  # PerExecutionEnvironmentMaxConcurrency; None: the runtime default
    base_memory_mb: float = 300.0  # runtime + your init, once per process (Python: per request)
    request_memory_mb: float = 10.0  # working memory of one request in flight
    target_utilization: float = 0.5
    surge: float = 3.0  # a step in traffic, as a multiple of the arrival rate
    memory_mb: int = 512  # the default Lambda function it is compared with
    architecture: str = "x86_64"

    def __post_init__(self) -> None:
        check_choice("runtime", self.runtime, RUNTIMES)
        check_range("arrival_rate", self.arrival_rate, 0.001, 1_000_000)
        check_range("duration_ms", self.duration_ms, 1, 900_000)
        check_range("cpu_ms", self.cpu_ms, 0.1, self.duration_ms, why="CPU time cannot exceed the request's duration")
        check_range("vcpus", self.vcpus, 1, 64)
        check_range("memory_per_vcpu_gib", self.memory_per_vcpu_gib, *F.LMI_MEMORY_PER_VCPU_GIB.value,
                    why="ExecutionEnvironmentMemoryGiBPerVCpu is 2.0 to 8.0")
        if self.max_concurrency is not None:
            check_range("max_concurrency", self.max_concurrency, *F.LMI_MAX_CONCURRENCY_RANGE.value,
                        why="PerExecutionEnvironmentMaxConcurrency is 1 to 1,600")
        check_range("base_memory_mb", self.base_memory_mb, 0, 1_000_000)
        check_range("request_memory_mb", self.request_memory_mb, 0, 1_000_000)
        check_range("target_utilization", self.target_utilization, 0.05, 1.0)
        check_range("surge", self.surge, 1, 100, why="the step in traffic as a multiple of the arrival rate")
        check_range("memory_mb", self.memory_mb, 128, 10_240,
                    why="Lambda memory is 128 MB to 10,240 MB")
        check_choice("architecture", self.architecture, F.ARCHITECTURES)
        if self.runtime == "python" and self.base_memory_mb <= 0:
            raise ParamError("--base-memory-mb must be above 0 for python: each process loads the runtime")

    @property
    def concurrency(self) -> int:
        if self.max_concurrency is not None:
            return self.max_concurrency
        return F.table(F.LMI_CONCURRENCY_PER_VCPU)[self.runtime] * self.vcpus

    @property
    def env_memory_mb(self) -> float:
        return self.vcpus * self.memory_per_vcpu_gib * 1024


@dataclass
class Result:
    params: Params
    environment: dict
    fleet: dict
    sharing: dict
    surge: dict
    cost: dict

    def to_json(self) -> dict:
        params = asdict(self.params)
        params.update(concurrency=self.params.concurrency, environment_memory_mb=self.params.env_memory_mb)
        return envelope("managed-instances", params, ASSUMPTIONS, SOURCES,
                        {"environment": self.environment, "fleet": self.fleet, "sharing": self.sharing,
                         "surge": self.surge, "cost": self.cost})


def memory_needed_mb(p: Params, in_flight: int) -> float:
    """Memory an environment needs with `in_flight` requests: Python pays the base per process."""
    if p.runtime == "python":
        return in_flight * (p.base_memory_mb + p.request_memory_mb)
    workers = p.vcpus if p.runtime == "nodejs" else 1  # Node.js initialises once per worker thread
    return workers * p.base_memory_mb + in_flight * p.request_memory_mb


def usable_concurrency(p: Params) -> int:
    """The configured concurrency, cut to what fits in the environment's memory."""
    fits = p.concurrency
    while fits > 0 and memory_needed_mb(p, fits) > p.env_memory_mb:
        fits -= 1
    return fits


def environment(p: Params) -> dict:
    usable = usable_concurrency(p)
    cpu_rps = p.vcpus * 1000.0 / p.cpu_ms
    concurrency_rps = usable * 1000.0 / p.duration_ms
    return {
        "vcpus": p.vcpus, "memory_mb": p.env_memory_mb, "max_concurrency": p.concurrency,
        "usable_concurrency": usable,
        "memory_at_max_mb": round(memory_needed_mb(p, p.concurrency), 1),
        "out_of_memory_at_max": memory_needed_mb(p, p.concurrency) > p.env_memory_mb,
        "cpu_bound_rps": round(cpu_rps, 3), "concurrency_bound_rps": round(concurrency_rps, 3),
        "throughput_rps": round(min(cpu_rps, concurrency_rps), 3),
        "limited_by": "CPU" if cpu_rps <= concurrency_rps else ("memory" if usable < p.concurrency else "concurrency"),
        "processes": usable if p.runtime == "python" else 1,
        "worker_threads": p.vcpus if p.runtime == "nodejs" else (usable if p.runtime == "java" else 0),
    }


def fleet(p: Params, env: dict) -> dict:
    per_env = env["throughput_rps"] * p.target_utilization
    needed = math.ceil(p.arrival_rate / per_env) if per_env > 0 else 0
    count = max(needed, F.LMI_MIN_INSTANCES.value)
    in_flight = p.arrival_rate * p.duration_ms / 1000.0  # Little's law over the whole fleet
    return {"environments": count, "needed_for_traffic": needed, "minimum": F.LMI_MIN_INSTANCES.value,
            "requests_in_flight": round(in_flight, 3),
            "in_flight_per_environment": round(in_flight / count, 3) if count else 0.0,
            "cpu_utilization": round(p.arrival_rate * p.cpu_ms / 1000.0 / (count * p.vcpus), 4) if count else 0.0,
            "default_lambda_concurrency": round(in_flight, 3)}


def sharing_rate(p: Params, environments: int) -> float:
    """Arrivals per second that share mutable globals with a given request."""
    per_env = p.arrival_rate / environments
    if p.runtime == "python":
        return 0.0  # one process per request: globals are private
    if p.runtime == "nodejs":
        return per_env / p.vcpus  # same worker thread
    return per_env  # Java / .NET: one process, shared statics


def race_probability(rate: float, duration_s: float) -> float:
    """P(another request sharing the state starts while this one runs) = 1 - e^(-rate x duration)."""
    return 1.0 - math.exp(-rate * duration_s)


def simulate_overlap(rate: float, duration_s: float, seed: int, n: int = RACE_SAMPLE) -> float:
    """Share of requests, in a Poisson stream, that see another start before they finish."""
    if rate <= 0:
        return 0.0
    gen = rng(seed)
    t, times = 0.0, []
    for _ in range(n + 1):
        t += gen.expovariate(rate)
        times.append(t)
    hit = sum(1 for a, b in zip(times, times[1:]) if b - a < duration_s)
    return hit / n


def sharing(p: Params, environments: int, seed: int) -> dict:
    d = p.duration_ms / 1000.0
    state_rate = sharing_rate(p, environments)
    tmp_rate = p.arrival_rate / environments  # every request in the environment shares /tmp
    return {
        "globals_shared_by": {"python": "nobody (a process per request)", "nodejs": "requests on the same worker thread",
                              "java": "every request in the environment (threads)",
                              "dotnet": "every request in the environment (tasks)"}[p.runtime],
        "global_overwritten_probability": round(race_probability(state_rate, d), 6),
        "global_overwritten_simulated": round(simulate_overlap(state_rate, d, seed), 6),
        "tmp_collision_probability": round(race_probability(tmp_rate, d), 6),
        "tmp_collision_simulated": round(simulate_overlap(tmp_rate, d, seed + 1), 6),
        "formula": "1 - e^(-rate sharing the state x duration)",
    }


def surge(p: Params, environments: int, env: dict) -> dict:
    """A step from the arrival rate to surge x the rate; capacity doubles every 5 min at most."""
    capacity = environments * env["throughput_rps"]  # full, not target, utilisation
    target = p.arrival_rate * p.surge
    window = F.LMI_DOUBLING_WINDOW_S.value
    if capacity >= target:
        return {"from_rps": p.arrival_rate, "to_rps": target, "capacity_rps": round(capacity, 3),
                "catch_up_s": 0.0, "throttled_requests": 0, "throttled_share_first_10_min": 0.0}
    # C(t) = capacity x 2^(t / 300) until it reaches the target
    catch_up = window * math.log2(target / capacity)
    # throttled = integral_0^T (target - C(t)) dt
    integral_capacity = capacity * window / math.log(2) * (2 ** (catch_up / window) - 1)
    throttled = target * catch_up - integral_capacity
    first = 600.0
    return {"from_rps": p.arrival_rate, "to_rps": target, "capacity_rps": round(capacity, 3),
            "catch_up_s": round(catch_up, 1), "throttled_requests": round(throttled),
            "throttled_share_first_10_min": round(throttled / (target * first), 4) if catch_up <= first else None}


def cost(p: Params, environments: int) -> dict:
    """Monthly: default Lambda in full, and what LMI needs besides the EC2 price."""
    requests = p.arrival_rate * SECONDS_PER_MONTH
    gb_s = requests * p.duration_ms / 1000.0 * p.memory_mb / 1024.0
    lambda_usd = F.request_cost(requests) + F.duration_cost(gb_s, p.architecture)
    vcpu_hours = environments * p.vcpus * HOURS_PER_MONTH
    lmi_requests_usd = requests / 1_000_000 * F.LMI_REQUEST_PER_MILLION.value
    break_even = (lambda_usd - lmi_requests_usd) / (vcpu_hours * (1 + F.LMI_MANAGEMENT_FEE.value))
    return {"requests_per_month": round(requests), "default_lambda_usd": round(lambda_usd, 2),
            "default_lambda_gb_seconds": round(gb_s), "lmi_vcpu_hours": vcpu_hours,
            "lmi_requests_usd": round(lmi_requests_usd, 2), "management_fee": F.LMI_MANAGEMENT_FEE.value,
            "break_even_usd_per_vcpu_hour": round(max(break_even, 0.0), 5),
            "note": "LMI is cheaper when the EC2 on-demand price per vCPU-hour of your instance type is below "
                    "the break-even (fee and request rates as transcribed from the pricing page)"}


def run(params: Params, seed: int, progress=None) -> Result:
    env = environment(params)
    if env["usable_concurrency"] == 0:
        raise ParamError(f"not even one request fits: {memory_needed_mb(params, 1):,.0f} MB needed, the environment has "
                         f"{params.env_memory_mb:,.0f} MB; raise --memory-per-vcpu-gib or --vcpus")
    fl = fleet(params, env)
    result = Result(params=params, environment=env, fleet=fl, sharing=sharing(params, fl["environments"], seed),
                    surge=surge(params, fl["environments"], env), cost=cost(params, fl["environments"]))
    if progress:
        progress(1)
    return result


def total_steps(params: Params) -> int:
    return 1
