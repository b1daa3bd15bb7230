"""Every simulation, listed explicitly: the CLI, `simulate --list`, the contract test and the
benchmarks read this list. Importing it imports nothing else (models and views load lazily).

New simulations are ADDED AT THE END of SIMULATIONS.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Simulation:
    name: str  # the CLI name: "cold-start"
    module: str  # the pure model: Params, run(params, seed, progress=None) -> Result
    view: str  # render(result, width) -> list of rich renderables; optional frames(result, width)
    topic: str  # a key of lambda_prep.topics.TOPICS: the topic it teaches
    summary: str  # one line, for `simulate --list`


SIMULATIONS: tuple[Simulation, ...] = (
    Simulation("cold-start", "lambda_prep.sims.cold_start", "lambda_prep.views.sims.cold_start", "cold-starts",
               "requests meet warm and cold environments; on-demand vs provisioned vs SnapStart, with costs"),
    Simulation("invocation", "lambda_prep.sims.invocation", "lambda_prep.views.sims.invocation", "invocation",
               "the same requests sent sync, async and through an SQS mapping: status codes and retries"),
    Simulation("retries", "lambda_prep.sims.retries", "lambda_prep.views.sims.retries", "retries",
               "an event retried by an async invocation, an SQS queue or a stream, to its final fate"),
    Simulation("concurrency", "lambda_prep.sims.concurrency", "lambda_prep.views.sims.concurrency", "concurrency",
               "the account limit, reserved concurrency, the scaling rate, the RPS limit and the SQS trap"),
    Simulation("layers", "lambda_prep.sims.layers", "lambda_prep.views.sims.layers", "layers",
               "layers merged into /opt: order, overlaps, the 5-layer and 250 MB quotas"),
    Simulation("limits", "lambda_prep.sims.limits", "lambda_prep.views.sims.limits", "limits",
               "a job against the 900 s timeout, memory and vCPUs, payload and /tmp limits"),
    Simulation("security", "lambda_prep.sims.security", "lambda_prep.views.sims.security", "security",
               "who may invoke the function and what it may touch: IAM evaluated request by request"),
    Simulation("pricing", "lambda_prep.sims.pricing", "lambda_prep.views.sims.pricing", "pricing-performance",
               "a month's bill by memory size, and the break-even with Fargate"),
    Simulation("rds-proxy", "lambda_prep.sims.rds_proxy", "lambda_prep.views.sims.rds_proxy", "networking-storage",
               "database connections with and without RDS Proxy under a burst"),
    Simulation("async-queue", "lambda_prep.sims.async_queue", "lambda_prep.views.sims.async_queue", "retries",
               "throttled async events wait in Lambda's queue, age, back off and are dropped at the maximum age"),
    Simulation("noisy-neighbours", "lambda_prep.sims.noisy_neighbours", "lambda_prep.views.sims.noisy_neighbours",
               "concurrency", "one function's burst throttles the others; reserved concurrency as fix, and its cost"),
    Simulation("recursive-loop", "lambda_prep.sims.recursive_loop", "lambda_prep.views.sims.recursive_loop",
               "integrations-patterns", "a function that triggers itself, stopped after 16 invocations, or not"),
    Simulation("deploy", "lambda_prep.sims.deploy", "lambda_prep.views.sims.deploy", "deployment",
               "a bad version shifted in by CodeDeploy (canary, linear, all at once), the alarm and the rollback"),
    Simulation("front-door", "lambda_prep.sims.front_door", "lambda_prep.views.sims.front_door", "front-doors",
               "API Gateway, ALB and function URL in front of one function: timeouts, 502/504/429, payloads"),
    # --- issue 15 (branch sims-new2) ---
    Simulation("batching", "lambda_prep.sims.batching", "lambda_prep.views.sims.batching", "event-sources",
               "an SQS mapping's batch size, window and filter: invocations, record latency, cost; FIFO groups"),
    Simulation("idempotency", "lambda_prep.sims.idempotency", "lambda_prep.views.sims.idempotency", "system-design",
               "at-least-once delivery doing a side effect twice, and a conditional-write key stopping it"),
    Simulation("lifecycle", "lambda_prep.sims.lifecycle", "lambda_prep.views.sims.lifecycle", "fundamentals",
               "one environment's Init, Invoke and Shutdown: what survives, frozen work, the bill"),
    Simulation("managed-instances", "lambda_prep.sims.managed_instances", "lambda_prep.views.sims.managed_instances",
               "whats-new", "many requests per environment on EC2 capacity: memory, shared state, scaling, cost"),
    Simulation("observability", "lambda_prep.sims.observability", "lambda_prep.views.sims.observability",
               "monitoring", "the metrics, logs and traces a run produces, and an alarm that fires"),
    Simulation("container-image", "lambda_prep.sims.container_image", "lambda_prep.views.sims.container_image",
               "containers", "one function packaged as a .zip or an image: quotas, lost features, the pinned digest"),
)

NAMES = tuple(s.name for s in SIMULATIONS)


def get(name: str) -> Simulation:
    for simulation in SIMULATIONS:
        if simulation.name == name:
            return simulation
    raise KeyError(f"no simulation {name!r}; known: {', '.join(NAMES)}")
