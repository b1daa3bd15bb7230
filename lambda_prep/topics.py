"""The syllabus topics: names, one-line summaries and aliases.

Static on purpose: shell completion runs the program on every TAB, so topic names must not
require reading the banks.
"""

from __future__ import annotations

import difflib
import re

TOPICS: dict[str, str] = {
    "fundamentals": "What Lambda is, benefits, downsides, use cases, Linux only",
    "cold-starts": "Execution environment lifecycle, init, reuse, provisioned concurrency, SnapStart",
    "invocation": "Sync, async, event source mappings, which service invokes how, function URLs",
    "retries": "Async retries and destinations, DLQs, SQS and stream retries, idempotency",
    "concurrency": "Account limit, reserved and provisioned concurrency, scaling rate, throttling",
    "layers": "Layers, packaging, dependencies, monorepos, size limits",
    "containers": "Container images, running web apps in Lambda",
    "limits": "Quotas and what to do when you reach each",
    "security": "Execution role vs resource policy, least privilege, KMS, secrets, code signing",
    "networking-storage": "VPC, RDS Proxy, EFS, /tmp, S3",
    "integrations-patterns": "S3, SNS, SQS, EventBridge, SES, Step Functions, recursive loops",
    "deployment": "SAM, CDK, Serverless Framework, Terraform, versions, aliases, CI/CD, testing",
    "monitoring": "CloudWatch metrics and logs, X-Ray, Lambda Insights, Powertools",
    "pricing-performance": "Request and GB-s pricing, arm64, memory vs CPU, power tuning, vs Fargate/EC2",
    "front-doors": "API Gateway, ALB, function URLs, authorizers, timeouts, Lambda@Edge",
    "event-sources": "Event source mappings: batching, filters, FIFO, Kafka, streams, CDC",
    "whats-new": "2023-2026 changes: scaling rate, INIT billing, Managed Instances, durable functions",
    "system-design": "Pipelines, webhooks, fan-out, fragile downstreams, multi-tenancy, resilience",
}

# Words a learner might type for a topic, beyond its own name (normalised: lower case, no separators).
_ALIASES: dict[str, tuple[str, ...]] = {
    "fundamentals": ("basics", "intro", "overview", "whatislambda"),
    "cold-starts": ("coldstart", "coldstarts", "cold", "snapstart", "provisioned", "provisionedconcurrency", "init",
                    "lifecycle"),
    "invocation": ("invoke", "invocations", "invocationtypes", "sync", "async", "esm", "triggers"),
    "retries": ("retry", "errors", "errorhandling", "dlq", "deadletter", "destinations", "idempotency"),
    "concurrency": ("scaling", "throttling", "throttle", "reservedconcurrency"),
    "layers": ("layer", "packaging", "dependencies", "deps"),
    "containers": ("container", "containerimages", "docker", "images", "webapps", "webadapter"),
    "limits": ("limit", "quotas", "quota"),
    "security": ("iam", "permissions", "secrets", "kms"),
    "networking-storage": ("networking", "network", "vpc", "storage", "efs", "rds", "rdsproxy", "tmp"),
    "integrations-patterns": ("integrations", "integration", "patterns", "pattern", "eventdriven", "recursion"),
    "deployment": ("deploy", "cicd", "sam", "cdk", "terraform", "versions", "aliases", "testing"),
    "monitoring": ("observability", "logs", "logging", "metrics", "xray", "cloudwatch", "powertools"),
    "pricing-performance": ("pricing", "cost", "costs", "performance", "perf", "memory", "powertuning"),
    "front-doors": ("frontdoor", "frontdoors", "apigateway", "apigw", "alb", "authorizer", "authorizers",
                    "lambdaedge", "edge", "cloudfront", "functionurl", "functionurls"),
    "event-sources": ("eventsource", "eventsources", "eventsourcemapping", "eventsourcemappings", "kinesis",
                      "kafka", "msk", "fifo", "streams", "cdc", "outbox", "filtering", "sqs",
                      "dynamodbstreams", "kinesisdatastreams"),
    "whats-new": ("new", "changes", "managedinstances", "lmi", "durable", "durablefunctions", "tenantisolation"),
    "system-design": ("design", "systemdesign", "architecture", "resilience", "webhooks", "fanout"),
}


def _normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_LOOKUP: dict[str, str] = {}
for _name in TOPICS:
    _LOOKUP[_normalise(_name)] = _name
    for _alias in _ALIASES.get(_name, ()):
        _LOOKUP[_alias] = _name


def resolve(text: str, known: list[str] | None = None) -> str | None:
    """The topic a learner meant by `text` (a name or an alias), or None.

    `known` adds topics beyond the built-in ones (from user banks); they match by name only.
    """
    key = _normalise(text)
    if key in _LOOKUP:
        return _LOOKUP[key]
    for extra in known or ():
        if _normalise(extra) == key:
            return extra
    return None


def suggest(text: str, known: list[str] | None = None) -> list[str]:
    """Close matches for a topic the learner mistyped, best first."""
    names = list(TOPICS) + [k for k in (known or ()) if k not in TOPICS]
    keys = {**{_normalise(n): n for n in names}, **_LOOKUP}
    found = difflib.get_close_matches(_normalise(text), list(keys), n=6, cutoff=0.7)
    out: list[str] = []
    for key in found:
        if keys[key] not in out:
            out.append(keys[key])
    return out[:3]


def complete(incomplete: str) -> list[tuple[str, str]]:
    """Shell completion: topic names starting with what was typed, with their summaries."""
    return [(name, summary) for name, summary in TOPICS.items() if name.startswith(incomplete)]
