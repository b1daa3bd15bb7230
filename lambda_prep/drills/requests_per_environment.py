"""Lambda Managed Instances: how many requests can one execution environment really run at once?"""

from __future__ import annotations

import math

from lambda_prep.drills.base import Drill, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.managed_instances import Params, memory_needed_mb, usable_concurrency

KIND = "requests-per-environment"
TOPIC = "whats-new"
SUMMARY = "Managed Instances: requests one environment runs at once, per-vCPU defaults and memory"
SOURCES = (facts.LMI_RUNTIMES_URL, facts.LMI_CONFIG_URL)
# The runtime's own page where the managed-instances simulation cites one (the per-vCPU default, the process model).
RUNTIME_PAGE = {runtime: facts.DG + f"lambda-managed-instances-{runtime}-runtime.html"
                for runtime in ("python", "nodejs", "java")}

RUNTIME = {"nodejs": "Node.js", "java": "Java", "dotnet": ".NET", "python": "Python"}
MODEL = {"nodejs": "one Node.js process with worker threads (one per vCPU in this model), each loading your init once",
         "java": "one JVM process whose threads share one copy of the runtime and your init",
         "dotnet": "one .NET process whose tasks share one copy of the runtime and your init",
         "python": "one Python process per concurrent request, each loading the runtime and your init"}


def generate(rng, seed: int) -> Drill:
    runtime = pick(rng, ("python", "python", "nodejs", "java", "dotnet"))
    vcpus = pick(rng, (1, 2, 4))
    gib = pick(rng, (2.0, 4.0, 8.0))
    base = pick(rng, (150.0, 300.0, 600.0))
    request = pick(rng, (5.0, 10.0, 20.0))
    p = Params(runtime=runtime, vcpus=vcpus, memory_per_vcpu_gib=gib, base_memory_mb=base, request_memory_mb=request)
    usable = usable_concurrency(p)  # the managed-instances model: the default, cut to what fits in memory
    per_vcpu = facts.table(facts.LMI_CONCURRENCY_PER_VCPU)[runtime]
    right = f"{usable:,}"
    memory = p.env_memory_mb
    wrong = {
        "1": "thinking an environment runs one request at a time, as default Lambda does",
        f"{p.concurrency:,}": "taking the configured maximum without checking that it fits in memory",
    }
    if vcpus > 1:
        wrong[f"{per_vcpu:,}"] = "forgetting that the default is per vCPU (multiply by the vCPUs)"
    if runtime == "python":
        shared = min(p.concurrency, math.floor((memory - base) / request))
        wrong.setdefault(f"{shared:,}", "counting the runtime's memory once, as for a threaded runtime (Python "
                                        "runs a process, with its own init, per request)")
    else:
        per_process = min(p.concurrency, math.floor(memory / (base + request)))
        wrong.setdefault(f"{per_process:,}", "giving every request its own copy of the runtime (that is Python; "
                                             f"{RUNTIME[runtime]} shares one process)")
    other = "python" if runtime == "nodejs" else "nodejs"
    other_default = facts.table(facts.LMI_CONCURRENCY_PER_VCPU)[other]
    wrong.setdefault(f"{other_default * vcpus:,}", f"using {RUNTIME[other]}'s default of {other_default} per vCPU "
                                                   "(the default depends on the runtime)")
    wrong = distinct(wrong, right)
    choices, misconceptions = options(rng, right, wrong)
    low, high = facts.LMI_MEMORY_PER_VCPU_GIB.value
    needed = memory_needed_mb(p, p.concurrency)
    fits = needed <= memory
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed,
        sources=SOURCES[:1] + ((RUNTIME_PAGE[runtime],) if runtime in RUNTIME_PAGE else ()) + SOURCES[1:],
        params={"runtime": runtime, "vcpus": vcpus, "memory_per_vcpu_gib": gib, "base_memory_mb": base,
                "request_memory_mb": request, "max_concurrency": p.concurrency, "usable_concurrency": usable},
        prompt=(f"A {RUNTIME[runtime]} function runs on Lambda Managed Instances with the default "
                f"PerExecutionEnvironmentMaxConcurrency. Each execution environment has {vcpus} vCPU"
                f"{'s' if vcpus != 1 else ''} and {gib:g} GiB per vCPU ({memory:,.0f} MB). Loading the runtime and "
                f"your init code takes {base:g} MB, and each request in flight needs {request:g} MB more. How many "
                f"requests can one environment actually run at once?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"The default for {RUNTIME[runtime]} is {per_vcpu} concurrent requests per vCPU: {per_vcpu} x "
                     f"{vcpus} = {p.concurrency}. {RUNTIME[runtime]} runs {MODEL[runtime]}, so at that concurrency "
                     f"it needs {needed:,.0f} MB of the environment's {memory:,.0f} MB"
                     + (f": it fits, and {right} requests run at once." if fits else
                        f": too much. Only {right} fit, so lower the concurrency setting or raise the memory per "
                        f"vCPU ({low:g} to {high:g} GiB).")
                     + " Many requests per environment also means shared state: Java and .NET threads share "
                       "globals, and every request shares /tmp."),
        simulate=(f"lambda-prep simulate managed-instances --runtime {runtime} --vcpus {vcpus} "
                  f"--memory-per-vcpu-gib {gib:g} --base-memory-mb {base:g} --request-memory-mb {request:g} "
                  f"--seed {seed}"),
    )
