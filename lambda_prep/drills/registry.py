"""Every drill kind, listed explicitly (no import side effects): `drill --list`, the quiz and the
contract test read this list. Each module has KIND, TOPIC, SUMMARY and generate(rng, seed) -> Drill.
"""

from __future__ import annotations

import importlib
import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str
    module: str
    topic: str
    summary: str

    def generate(self, seed: int):
        """The drill for this seed: the same seed, the same scenario."""
        rng = random.Random(f"{self.name}:{seed}")
        return importlib.import_module(self.module).generate(rng, seed)


KINDS: tuple[Kind, ...] = (
    Kind("async-retries", "lambda_prep.drills.async_retries", "retries",
         "how many async events end in the DLQ or on-failure destination"),
    Kind("sqs-redrive", "lambda_prep.drills.sqs_redrive", "retries",
         "SQS maxReceiveCount and the share of messages in the DLQ"),
    Kind("concurrency-needed", "lambda_prep.drills.concurrency_needed", "concurrency",
         "Little's law and throttling under reserved concurrency"),
    Kind("scaling-rate", "lambda_prep.drills.scaling_rate", "concurrency",
         "how long one function takes to scale to N environments"),
    Kind("cold-starts", "lambda_prep.drills.cold_starts", "cold-starts",
         "the cold share of sparse traffic for a given idle lifetime"),
    Kind("monthly-bill", "lambda_prep.drills.monthly_bill", "pricing-performance",
         "a month's bill, x86_64 vs arm64, with the free tier"),
    Kind("payload-limits", "lambda_prep.drills.payload_limits", "limits",
         "which payloads a synchronous or asynchronous invocation accepts"),
    Kind("invoke-permission", "lambda_prep.drills.invoke_permission", "security",
         "allowed or denied, and which policy decides, in one account or across two"),
    Kind("layers-fit", "lambda_prep.drills.layers_fit", "layers",
         "function plus layers against the 250 MB and 5-layer quotas"),
    Kind("invocation-status", "lambda_prep.drills.invocation_status", "invocation",
         "what the caller gets back: 200, 202, 429 or an error payload"),
    Kind("db-connections", "lambda_prep.drills.db_connections", "networking-storage",
         "database connections that steady traffic holds without RDS Proxy"),
    # The newer simulations: idempotency, lifecycle, managed-instances, observability, container-image
    Kind("duplicate-effects", "lambda_prep.drills.duplicate_effects", "system-design",
         "side effects done twice by async retries without an idempotency key"),
    Kind("billed-duration", "lambda_prep.drills.billed_duration", "fundamentals",
         "a cold or warm request's billed duration: INIT, handler and extension time"),
    Kind("requests-per-environment", "lambda_prep.drills.requests_per_environment", "whats-new",
         "Managed Instances: requests one environment runs at once, per-vCPU defaults and memory"),
    Kind("alarm-fires", "lambda_prep.drills.alarm_fires", "monitoring",
         "the minute an 'M out of N' alarm on Errors goes to ALARM, if it does"),
    Kind("package-type", "lambda_prep.drills.package_type", "containers",
         "a .zip uploaded directly, a .zip through S3 or a container image, by size and code signing"),
    # ... and async-queue, noisy-neighbours, recursive-loop, deploy, front-door, batching
    Kind("async-backlog", "lambda_prep.drills.async_backlog", "retries",
         "throttled async events wait in Lambda's queue: how many pile up"),
    Kind("unreserved-pool", "lambda_prep.drills.unreserved_pool", "concurrency",
         "reserved concurrency as floor and ceiling: what a bursting function can still get"),
    Kind("recursion-stop", "lambda_prep.drills.recursion_stop", "integrations-patterns",
         "recursive loop detection: stopped after 16 invocations, or running on"),
    Kind("canary-exposure", "lambda_prep.drills.canary_exposure", "deployment",
         "requests that reach a bad version before CodeDeploy's alarm rolls it back"),
    Kind("gateway-timeout", "lambda_prep.drills.gateway_timeout", "front-doors",
         "a slow request behind API Gateway, an ALB or a function URL: status and billed time"),
    Kind("batch-window", "lambda_prep.drills.batch_window", "event-sources",
         "an SQS mapping's batch size and batching window: how many invocations"),
)

NAMES = tuple(k.name for k in KINDS)


def get(name: str) -> Kind:
    for kind in KINDS:
        if kind.name == name:
            return kind
    raise KeyError(name)
