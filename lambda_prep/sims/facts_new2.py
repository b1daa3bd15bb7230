"""AWS figures for batching, idempotency, lifecycle and managed-instances, dated and sourced.

Kept in their own module until the shared facts module (sims/facts.py) lands; then this section
moves to the end of facts.py unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    value: float | int | str
    unit: str
    source: str  # the AWS page
    checked: str  # when the page was read
    note: str = ""


CHECKED = "2026-12-07"
_SQS_PARAMS = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html"
_ESM = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventsourcemapping.html"
_ESM_API = "https://docs.aws.amazon.com/lambda/latest/dg/API_EventSourceMappingConfiguration.html"
_SQS_SCALING = "https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html"
_FILTERING = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html"
_LIFECYCLE = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html"
_ASYNC_ERRORS = "https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-error-handling.html"
_INIT_BILLING = "https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/"

# --- event source mappings: batching ----------------------------------------------------------
SQS_BATCH_SIZE_DEFAULT = Fact(10, "records", _SQS_PARAMS, CHECKED)
SQS_BATCH_SIZE_MAX_STANDARD = Fact(10_000, "records", _SQS_PARAMS, CHECKED)
SQS_BATCH_SIZE_MAX_FIFO = Fact(10, "records", _SQS_PARAMS, CHECKED)
BATCHING_WINDOW_DEFAULT_S = Fact(0, "s", _ESM_API, CHECKED, "SQS and streams; 0-300 s in whole seconds")
BATCHING_WINDOW_MAX_S = Fact(300, "s", _ESM_API, CHECKED)
BATCH_OVER_10_NEEDS_WINDOW_S = Fact(1, "s", _ESM_API, CHECKED,
                                    "BatchSize > 10 needs MaximumBatchingWindowInSeconds >= 1")
FIFO_BATCHING_WINDOW = Fact("not supported", "", _SQS_PARAMS, CHECKED)
ESM_BATCH_PAYLOAD_MB = Fact(6, "MB", _ESM_API, CHECKED, "a batch is capped by the synchronous payload limit")
SQS_ESM_MAX_BATCHES = Fact(1_000, "concurrent batches", _SQS_SCALING, CHECKED,
                           "another passage of the same page says 1,250 concurrent invocations")
SQS_MAX_CONCURRENCY_RANGE = Fact("2-1,000", "", "https://docs.aws.amazon.com/lambda/latest/api/API_ScalingConfig.html",
                                 CHECKED)
FIFO_CONCURRENCY = Fact("min(message groups, maximum concurrency)", "", _SQS_SCALING, CHECKED)
FILTERS_PER_ESM = Fact(5, "filters", _FILTERING, CHECKED, "ORed together; raisable to 10")

# --- at-least-once delivery ---------------------------------------------------------------------
ESM_AT_LEAST_ONCE = Fact("at least once", "", _ESM, CHECKED,
                         "event source mappings process each event at least once; make the function idempotent")
ASYNC_RETRIES_DEFAULT = Fact(2, "retries", _ASYNC_ERRORS, CHECKED, "0-2; 1 min then 2 min apart")
ASYNC_DUPLICATES = Fact("possible", "", _ASYNC_ERRORS, CHECKED,
                        "the async queue is eventually consistent: a function can receive an event more than once")
STREAM_PARTIAL_RETRY_FROM = Fact("lowest failed sequence number", "",
                                 "https://docs.aws.amazon.com/lambda/latest/dg/services-kinesis-batchfailurereporting.html",
                                 CHECKED, "successful records after it are processed again")

# --- the execution environment lifecycle --------------------------------------------------------
INIT_LIMIT_S = Fact(10, "s", _LIFECYCLE, CHECKED, "on-demand; retried at the first invoke under the timeout")
SHUTDOWN_LIMIT_MS = Fact({"none": 0, "internal": 500, "external": 2_000}, "ms", _LIFECYCLE, CHECKED,
                         "by the extensions registered; then SIGKILL")
INIT_BILLED_SINCE = Fact("2025-08-01", "date", _INIT_BILLING, CHECKED, "INIT billed for every configuration")
BILLING_GRANULARITY_MS = Fact(1, "ms", "https://aws.amazon.com/lambda/pricing/", CHECKED)
TIMEOUT_DEFAULT_S = Fact(3, "s", "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html", CHECKED)
TIMEOUT_MAX_S = Fact(900, "s", "https://docs.aws.amazon.com/lambda/latest/dg/configuration-timeout.html", CHECKED)
TMP_DEFAULT_MB = Fact(512, "MB", "https://docs.aws.amazon.com/lambda/latest/dg/gettingstarted-limits.html", CHECKED,
                      "512 MB to 10,240 MB")

# --- Lambda Managed Instances -------------------------------------------------------------------
_LMI = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances.html"
_LMI_RUNTIMES = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-runtimes.html"
_LMI_SCALING = "https://docs.aws.amazon.com/lambda/latest/dg/lambda-managed-instances-scaling.html"
_LMI_CONFIG = "https://docs.aws.amazon.com/lambda/latest/api/API_LambdaManagedInstancesCapacityProviderConfig.html"
LMI_CONCURRENCY_PER_VCPU = Fact(
    {"nodejs": 64, "java": 32, "dotnet": 32, "python": 16}, "requests per vCPU", _LMI_RUNTIMES, CHECKED,
    "PerExecutionEnvironmentMaxConcurrency defaults (the per-runtime pages); Python runs one process per request")
LMI_MAX_CONCURRENCY_RANGE = Fact("1-1,600", "", _LMI_CONFIG, CHECKED)
LMI_MEMORY_PER_VCPU_GIB = Fact("2.0-8.0", "GiB per vCPU", _LMI_CONFIG, CHECKED, "ExecutionEnvironmentMemoryGiBPerVCpu")
LMI_MIN_INSTANCES = Fact(3, "instances", _LMI_SCALING, CHECKED, "launched by default for Availability Zone resiliency")
LMI_SCALING = Fact("asynchronous, on CPU utilisation and multi-concurrency saturation", "", _LMI_SCALING, CHECKED,
                   "no cold starts on the request path; traffic more than doubling within 5 minutes may be throttled")
LMI_DOUBLING_WINDOW_S = Fact(300, "s", _LMI_SCALING, CHECKED)
LMI_MANAGEMENT_FEE = Fact(0.15, "share of the EC2 on-demand price", "https://aws.amazon.com/lambda/pricing/", CHECKED,
                          "pricing page as transcribed by a third party (its rate tables load by script): confidence M")
LMI_REQUEST_PER_MILLION = Fact(0.20, "$ per 1M requests", "https://aws.amazon.com/lambda/pricing/", CHECKED,
                               "as transcribed (confidence M)")
LMI_RUNTIMES = Fact("Java 21+, Python 3.13+, Node.js 22+, .NET 8+ (Rust on provided.al2023)", "", _LMI_RUNTIMES, CHECKED)
