"""AWS figures the simulations use: quotas, defaults and prices, each stated ONCE, dated and sourced.

Models, views and `--help` texts read these; nothing else in the package writes an AWS number.
`checked` is the day the figure was last compared with the page in `source` (the AWS page, not a
summary of it). Figures that are the model's own choices are NOT here: they are assumptions and
are labelled as such where they are used (e.g. keep-alive 600 s, init time by runtime).

Helpers on other branches append their facts in a section of their own at the END of this file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    value: float | int | str | tuple
    unit: str
    source: str  # the AWS page
    checked: str  # when it was last compared with that page
    note: str = ""

    def __int__(self) -> int:
        return int(self.value)

    def __float__(self) -> float:
        return float(self.value)


# --- pages ---------------------------------------------------------------------------------------
DG = "https://docs.aws.amazon.com/lambda/latest/dg/"
API = "https://docs.aws.amazon.com/lambda/latest/api/"
QUOTAS_URL = DG + "gettingstarted-limits.html"
MEMORY_URL = DG + "configuration-memory.html"
TIMEOUT_URL = DG + "configuration-timeout.html"
RUNTIME_ENV_URL = DG + "lambda-runtime-environment.html"
SCALING_URL = DG + "scaling-behavior.html"
CONCURRENCY_URL = DG + "configuration-concurrency.html"
PROVISIONED_URL = DG + "provisioned-concurrency.html"
SNAPSTART_URL = DG + "snapstart.html"
ASYNC_ERRORS_URL = DG + "invocation-async-error-handling.html"
SQS_SCALING_URL = DG + "services-sqs-scaling.html"
SQS_ERRORS_URL = DG + "services-sqs-errorhandling.html"
SCALING_CONFIG_URL = API + "API_ScalingConfig.html"
KINESIS_PARAMS_URL = DG + "services-kinesis-parameters.html"
KINESIS_BATCH_FAILURES_URL = DG + "services-kinesis-batchfailurereporting.html"
DDB_URL = DG + "with-ddb.html"
INVOKE_API_URL = API + "API_Invoke.html"
INVOKE_ASYNC_API_URL = API + "API_InvokeAsync.html"
EPHEMERAL_URL = API + "API_EphemeralStorage.html"
LAYERS_URL = DG + "adding-layers.html"
PRICING_URL = "https://aws.amazon.com/lambda/pricing/"
INIT_BILLING_URL = "https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/"
RDS_POOL_URL = "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_ConnectionPoolConfiguration.html"

REFERENCE = "2026-11"  # figures carried from the project's fact sheet (itself built from AWS pages)
CHECKED = "2026-12-07"  # figures re-read on the AWS page for issue 10

# --- concurrency and scaling ---------------------------------------------------------------------
ACCOUNT_CONCURRENCY = Fact(1000, "concurrent executions per Region", QUOTAS_URL, REFERENCE,
                           "default; raisable")
UNRESERVED_MINIMUM = Fact(100, "concurrent executions", CONCURRENCY_URL, REFERENCE,
                          "reserved concurrency may use at most the account limit minus 100")
SCALING_BURST = Fact(1000, "execution environments per 10 s per function", SCALING_URL, REFERENCE,
                     "refilled continuously; unused rate does not accumulate")
SCALING_REFILL_PER_S = Fact(100.0, "environments per second", SCALING_URL, REFERENCE,
                            "1,000 every 10 s, read as a token bucket refilled at 100/s")
RPS_PER_ENVIRONMENT = Fact(10, "requests per second per unit of concurrency", QUOTAS_URL, CHECKED,
                           "'Each instance of your execution environment can serve up to 10 requests "
                           "per second': synchronous RPS is capped at 10 x the concurrency limit")
RPS_THROTTLE_REASON = Fact("FunctionInvocationRateLimitExceeded", "429 Reason", INVOKE_API_URL, REFERENCE)
CONCURRENCY_THROTTLE_REASON = Fact("ReservedFunctionConcurrentInvocationLimitExceeded", "429 Reason",
                                   INVOKE_API_URL, REFERENCE)

# --- function configuration ----------------------------------------------------------------------
MIN_MEMORY_MB = Fact(128, "MB", MEMORY_URL, REFERENCE, "also the default")
MAX_MEMORY_MB = Fact(10_240, "MB", MEMORY_URL, REFERENCE)
DEFAULT_MEMORY_MB = Fact(128, "MB", MEMORY_URL, REFERENCE)
MB_PER_VCPU = Fact(1_769, "MB per vCPU", MEMORY_URL, REFERENCE,
                   "'At 1,769 MB, a function has the equivalent of one vCPU'")
MAX_VCPUS = Fact(6, "vCPUs", MEMORY_URL, REFERENCE,
                 "6 vCPUs at 10,240 MB; the simulations compute with the proportional share "
                 "(10,240 / 1,769 = 5.79) and print that same figure")
MIN_TIMEOUT_S = Fact(1, "s", TIMEOUT_URL, REFERENCE)
MAX_TIMEOUT_S = Fact(900, "s", TIMEOUT_URL, REFERENCE)
DEFAULT_TIMEOUT_S = Fact(3, "s", TIMEOUT_URL, REFERENCE)
MAX_INIT_MS = Fact(10_000, "ms", RUNTIME_ENV_URL, REFERENCE, "INIT phase limit for on-demand functions")
MIN_TMP_MB = Fact(512, "MB", EPHEMERAL_URL, REFERENCE, "also the default; free")
MAX_TMP_MB = Fact(10_240, "MB", EPHEMERAL_URL, REFERENCE)
SYNC_PAYLOAD_KB = Fact(6 * 1024, "KB", INVOKE_API_URL, REFERENCE, "request and response, buffered")
ASYNC_PAYLOAD_KB = Fact(1024, "KB", INVOKE_API_URL, REFERENCE,
                        "'For asynchronous invocations, the maximum payload size is 1 MB'")
OLD_ASYNC_PAYLOAD_KB = Fact(256, "KB", INVOKE_ASYNC_API_URL, REFERENCE,
                            "the older limit; still the deprecated InvokeAsync API's")
SNAPSTART_RUNTIMES = Fact(("java", "python", "dotnet"), "managed runtimes", SNAPSTART_URL, CHECKED,
                          "Java 11+, Python 3.12+, .NET 8+ on managed runtimes; not with provisioned concurrency")
SNAPSTART_CONTAINER_IMAGES = Fact("any base image; Lambda's Java 11+, Python 3.12+ and .NET 8+ base images handle it",
                                  "container images", DG + "snapstart-runtime-hooks-custom.html", CHECKED,
                                  "on Lambda's base images for Java 11+, Python 3.12+ and .NET 8+ Lambda coordinates "
                                  "the snapshot lifecycle; your own base images, runtime interface clients and "
                                  "Lambda's provided.al2023, Node.js and Ruby base images must call the Runtime API's "
                                  "snapshot hooks (/restore/next) or carry the Dockerfile label "
                                  "com.amazonaws.lambda.feature.snapstart=\"Allow\", or publishing a version fails; "
                                  "older copies of snapstart.html said images were unsupported")
SNAPSTART_IMAGE_LABEL = Fact('LABEL com.amazonaws.lambda.feature.snapstart="Allow"', "Dockerfile line",
                             DG + "snapstart-runtime-hooks-custom.html", CHECKED,
                             "for an image that needs no before-snapshot/after-restore hooks")
SNAPSTART_NOT_WITH = Fact(("provisioned concurrency", "Amazon EFS", "ephemeral storage above 512 MB"), "",
                          SNAPSTART_URL, CHECKED, "and published versions (or aliases) only, never $LATEST")

# --- layers ---------------------------------------------------------------------------------------
MAX_LAYERS = Fact(5, "layers per function", LAYERS_URL, REFERENCE)
MAX_UNZIPPED_MB = Fact(250, "MB unzipped, function + layers", QUOTAS_URL, REFERENCE)
MAX_IMAGE_MB = Fact(10_240, "MB uncompressed image", QUOTAS_URL, REFERENCE)
MAX_ZIPPED_DIRECT_UPLOAD_MB = Fact(50, "MB zipped, direct upload", QUOTAS_URL, REFERENCE)

# --- asynchronous invocation -----------------------------------------------------------------------
ASYNC_MAX_RETRIES = Fact(2, "retries", ASYNC_ERRORS_URL, REFERENCE, "MaximumRetryAttempts default and maximum")
ASYNC_RETRY_WAITS_S = Fact((60.0, 120.0), "s", ASYNC_ERRORS_URL, REFERENCE,
                           "about 1 min before the 2nd attempt, 2 min before the 3rd")
ASYNC_MAX_EVENT_AGE_S = Fact(21_600, "s", ASYNC_ERRORS_URL, REFERENCE, "6 h, default and maximum")
ASYNC_THROTTLE_BACKOFF_S = Fact((1.0, 300.0), "s", ASYNC_ERRORS_URL, REFERENCE,
                                "throttles retried with backoff from 1 s to 5 min (doubling is the model's)")

# --- SQS event source mapping ----------------------------------------------------------------------
SQS_START_BATCHES = Fact(5, "concurrent batches", SQS_SCALING_URL, REFERENCE, "pollers start with 5")
SQS_ADD_PER_MINUTE = Fact(300, "concurrent batches per minute", SQS_SCALING_URL, REFERENCE)
SQS_MAX_BATCHES = Fact(1000, "concurrent invocations per mapping", SQS_SCALING_URL, CHECKED,
                       "pages disagree: the English page says 1,000, newer copies say an event source "
                       "mapping can scale up to 1,250 concurrent instances; the model uses 1,000")
SQS_MAX_BATCHES_NEWER = Fact(1250, "concurrent invocations per mapping", SQS_SCALING_URL, CHECKED,
                             "the figure in newer copies of the page")
SQS_MAX_CONCURRENCY_RANGE = Fact((2, 1000), "ScalingConfig.MaximumConcurrency", SCALING_CONFIG_URL, REFERENCE)
SQS_DEFAULT_VISIBILITY_TIMEOUT_S = Fact(30, "s", SQS_ERRORS_URL, REFERENCE, "the queue's default")
SQS_VISIBILITY_PER_TIMEOUT = Fact(6, "x function timeout", SQS_ERRORS_URL, REFERENCE,
                                  "set the visibility timeout to at least 6 times the function timeout")

# --- streams ---------------------------------------------------------------------------------------
KINESIS_POLLS_PER_S = Fact(1, "polls per second per shard", KINESIS_PARAMS_URL, REFERENCE)
DDB_POLLS_PER_S = Fact(4, "polls per second per shard", DDB_URL, CHECKED,
                       "'Lambda polls shards in your DynamoDB stream for records at a base rate of 4 times "
                       "per second'")
PARALLELIZATION_FACTOR_RANGE = Fact((1, 10), "concurrent batches per shard", KINESIS_PARAMS_URL, CHECKED)
STREAM_DEFAULT_BATCH = Fact(100, "records", KINESIS_PARAMS_URL, REFERENCE)
STREAM_PARTIAL_RETRY = Fact("lowest failed sequence number", "", KINESIS_BATCH_FAILURES_URL, CHECKED,
                            "with ReportBatchItemFailures Lambda retries from the lowest reported failure: "
                            "successful records after it are processed again")

# --- prices (us-east-1, on demand) ------------------------------------------------------------------
PRICES_AS_OF = "2026-11"
REQUEST_PER_MILLION = Fact(0.20, "$ per 1M requests", PRICING_URL, PRICES_AS_OF, "x86_64 and arm64")
GB_SECOND = Fact((("x86_64", 0.0000166667), ("arm64", 0.0000133334)), "$ per GB-s", PRICING_URL,
                 PRICES_AS_OF, "first tier; transcribed (the rate table loads by script)")
TIER_1_GB_SECONDS = Fact((("x86_64", 6e9), ("arm64", 7.5e9)), "GB-s per month", PRICING_URL, PRICES_AS_OF)
PROVISIONED_GB_SECOND = Fact(0.0000041667, "$ per GB-s configured", PRICING_URL, PRICES_AS_OF,
                             "transcribed, medium confidence")
PROVISIONED_INVOKED_GB_SECOND = Fact(0.0000097222, "$ per GB-s invoked", PRICING_URL, PRICES_AS_OF,
                                     "transcribed, medium confidence")
EPHEMERAL_GB_SECOND = Fact(0.0000000309, "$ per GB-s of /tmp above 512 MB", PRICING_URL, PRICES_AS_OF,
                           "medium confidence")
FREE_REQUESTS = Fact(1_000_000, "requests per month", PRICING_URL, PRICES_AS_OF, "always free")
FREE_GB_SECONDS = Fact(400_000, "GB-s per month", PRICING_URL, PRICES_AS_OF, "not for provisioned concurrency")
BILLING_GRANULARITY_MS = Fact(1, "ms", PRICING_URL, PRICES_AS_OF, "since Dec 2020")
INIT_BILLED_SINCE = Fact("2025-08-01", "date", INIT_BILLING_URL, REFERENCE,
                         "the INIT phase is billed for every configuration")
HOURS_PER_MONTH = Fact(730, "h", PRICING_URL, PRICES_AS_OF, "the month AWS's pricing examples use")
FARGATE_SOURCES = ("https://www.vantage.sh/blog/fargate-pricing",
                   "https://www.wring.co/blog/aws-fargate-pricing-guide")
FARGATE = Fact((("x86_64", 0.04048, 0.004445), ("arm64", 0.03238, 0.00356)),
               "$ per vCPU-hour, $ per GB-hour", FARGATE_SOURCES[0], PRICES_AS_OF,
               "Linux, us-east-1, on demand; secondary sources, not the AWS page")

# --- RDS Proxy ------------------------------------------------------------------------------------
RDS_BORROW_TIMEOUT_S = Fact(120, "s", RDS_POOL_URL, CHECKED, "ConnectionBorrowTimeout default")
RDS_BORROW_TIMEOUT_RANGE_S = Fact((0, 300), "s", RDS_POOL_URL, CHECKED,
                                  "'Must be between 0 and 300' in the current API reference "
                                  "(older SDK docs say 0-3,600)")
RDS_MAX_CONNECTIONS_PERCENT = Fact(100, "%", RDS_POOL_URL, REFERENCE, "10 for SQL Server")


def table(fact: Fact) -> dict:
    """A fact whose value is a tuple of (key, value) pairs, as a dict."""
    return {row[0]: row[1] if len(row) == 2 else row[1:] for row in fact.value}


def all_facts() -> dict[str, Fact]:
    return {name: value for name, value in globals().items() if isinstance(value, Fact)}


# --- prices as arithmetic (folded in from the former sims/prices.py) ------------------------------
ARCHITECTURES = ("x86_64", "arm64")
SECONDS_PER_MONTH = HOURS_PER_MONTH.value * 3600  # 2,628,000
PRICE_SOURCES = (PRICING_URL, MEMORY_URL, INIT_BILLING_URL)


def gb_second(architecture: str = "x86_64") -> float:
    return table(GB_SECOND)[architecture]


def request_cost(requests: float) -> float:
    return requests / 1_000_000 * REQUEST_PER_MILLION.value


def duration_cost(gb_seconds: float, architecture: str = "x86_64") -> float:
    return gb_seconds * gb_second(architecture)


# ==================================================================================================
# New simulations (branch sims-new): async-queue, noisy-neighbours, recursive-loop, deploy, front-door
# ==================================================================================================
METRICS_URL = DG + "monitoring-metrics-types.html"
ASYNC_RETAIN_URL = DG + "invocation-async-retain-records.html"
RECURSION_URL = DG + "invocation-recursion.html"
RECURSION_LAUNCH_URL = "https://aws.amazon.com/about-aws/whats-new/2023/07/aws-lambda-detects-recursive-loops-lambda-functions/"
RECURSION_S3_URL = "https://aws.amazon.com/about-aws/whats-new/2024/10/aws-lambda-detects-stops-recursive-loops-lambda-s3/"
CODEDEPLOY_CONFIGS_URL = "https://docs.aws.amazon.com/codedeploy/latest/userguide/deployment-configurations.html"
CODEDEPLOY_ROLLBACK_URL = ("https://docs.aws.amazon.com/codedeploy/latest/userguide/"
                           "deployments-rollback-and-redeploy.html")
CODEDEPLOY_HOOKS_URL = ("https://docs.aws.amazon.com/codedeploy/latest/userguide/"
                        "reference-appspec-file-structure-hooks.html")
ALIAS_ROUTING_URL = DG + "configuring-alias-routing.html"
APIGW_QUOTAS_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html"
APIGW_TIMEOUT_NEWS_URL = ("https://aws.amazon.com/about-aws/whats-new/2024/06/"
                          "amazon-api-gateway-integration-timeout-limit-29-seconds/")
ALB_LAMBDA_URL = "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/lambda-functions.html"
FUNCTION_URLS_URL = DG + "lambda-urls.html"
STREAMING_URL = DG + "configuration-response-streaming.html"
NEW_CHECKED = "2026-12-07"  # re-read with the search tool for these simulations

# --- the async event queue ------------------------------------------------------------------------
ASYNC_QUEUE_METRICS = Fact(("AsyncEventsReceived", "AsyncEventAge", "AsyncEventsDropped"), "CloudWatch metrics",
                           METRICS_URL, REFERENCE,
                           "AsyncEventAge: time from queueing to invocation; AsyncEventsDropped: events dropped "
                           "without a successful run (sent to the DLQ or destination first if configured)")
ASYNC_BUSY_QUEUE = Fact("Lambda increases the retry interval and reduces the rate at which it reads events",
                        "behaviour", ASYNC_ERRORS_URL, NEW_CHECKED,
                        "when the queue holds many entries; AWS gives no figures, so the model leaves it out; "
                        "the queue is eventually consistent, so duplicates are possible")
ASYNC_RESERVED_ZERO = Fact("straight to the DLQ or on-failure destination, no retries", "behaviour",
                           ASYNC_RETAIN_URL, REFERENCE, "an async function with reserved concurrency 0")

# --- recursive loop detection -------------------------------------------------------------------
RECURSION_LIMIT = Fact(16, "invocations in one chain of requests", RECURSION_URL, NEW_CHECKED,
                       "'If your function is invoked more than 16 times in the same chain of requests, then "
                       "Lambda automatically stops the next function invocation in that request chain'")
RECURSION_SERVICES = Fact(("sqs", "sns", "s3", "lambda"), "services in a detected loop", RECURSION_URL,
                          NEW_CHECKED, "SQS and SNS since July 2023; S3 since October 2024; loops through "
                                       "other services (DynamoDB, for one) are not detected")
RECURSION_DEFAULT = Fact("Terminate", "RecursiveLoop", RECURSION_URL, NEW_CHECKED,
                         "PutFunctionRecursionConfig RecursiveLoop=Allow turns it off per function (since "
                         "August 2024)")
RECURSION_METRIC = Fact("RecursiveInvocationsDropped", "CloudWatch metric", METRICS_URL, REFERENCE)

# --- CodeDeploy traffic shifting for Lambda aliases -----------------------------------------------
# (name, kind, percent per step, minutes): canary = percent, then the rest after `minutes`;
# linear = percent every `minutes`; all-at-once = everything at once.
CODEDEPLOY_LAMBDA_CONFIGS = Fact((
    ("LambdaCanary10Percent5Minutes", "canary", 10, 5),
    ("LambdaCanary10Percent10Minutes", "canary", 10, 10),
    ("LambdaCanary10Percent15Minutes", "canary", 10, 15),
    ("LambdaCanary10Percent30Minutes", "canary", 10, 30),
    ("LambdaLinear10PercentEvery1Minute", "linear", 10, 1),
    ("LambdaLinear10PercentEvery2Minutes", "linear", 10, 2),
    ("LambdaLinear10PercentEvery3Minutes", "linear", 10, 3),
    ("LambdaLinear10PercentEvery10Minutes", "linear", 10, 10),
    ("LambdaAllAtOnce", "all-at-once", 100, 0),
), "predefined deployment configurations (prefix CodeDeployDefault.)", CODEDEPLOY_CONFIGS_URL, NEW_CHECKED)

# --- front doors --------------------------------------------------------------------------------
APIGW_REST_TIMEOUT_MS = Fact((50, 29_000), "ms", APIGW_QUOTAS_URL, NEW_CHECKED,
                             "integration timeout, default 29 s; since June 2024 Regional and private REST APIs "
                             "can raise it past 29 s, which may lower the account's throttle quota")
APIGW_HTTP_TIMEOUT_MS = Fact(30_000, "ms", "https://docs.aws.amazon.com/apigateway/latest/developerguide/"
                             "http-api-quotas.html", NEW_CHECKED, "HTTP API maximum integration timeout; not raisable")
ALB_LAMBDA_BODY_KB = Fact(1024, "KB", ALB_LAMBDA_URL, NEW_CHECKED,
                          "request body sent to a Lambda target and the response JSON it returns: 1 MB each")
APIGW_ERRORS_URL = DG + "services-apigateway-errors.html"
APIGW_HTTP_QUOTAS_URL = "https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-quotas.html"
FUNCTION_URL_STREAMING_URL = DG + "config-rs-invoke-furls.html"
APIGW_PAYLOAD_MB = Fact(10, "MB", APIGW_HTTP_QUOTAS_URL, NEW_CHECKED, "payload size, HTTP and REST APIs")
APIGW_ACCOUNT_RPS = Fact(10_000, "requests per second per account per Region", APIGW_QUOTAS_URL, NEW_CHECKED,
                         "plus a burst set by AWS (token bucket); raisable; 2,500 in some newer Regions")
APIGW_LAMBDA_ERRORS = Fact((("rejected", 500), ("function_error", 502), ("malformed", 502)), "HTTP status",
                           APIGW_ERRORS_URL, NEW_CHECKED,
                           "'If the Lambda API rejects the invocation request, API Gateway returns a 500 ... If the "
                           "function runs but returns an error, or returns a response in the wrong format, API "
                           "Gateway returns a 502'; API Gateway does not retry")
STREAMED_RESPONSE_MB = Fact(200, "MB", FUNCTION_URL_STREAMING_URL, NEW_CHECKED,
                            "RESPONSE_STREAM (InvokeWithResponseStream); BUFFERED is 6 MB")

# =================================================================================================
# Section: batching, idempotency, lifecycle, managed-instances, observability (issue 15, sims-new2)
# Figures already stated above (timeouts, INIT limit and billing, SQS ceilings, stream retries,
# async retries, prices) are used from there, not repeated.
# =================================================================================================
SQS_PARAMS_URL = DG + "services-sqs-parameters.html"
ESM_URL = DG + "invocation-eventsourcemapping.html"
ESM_API_URL = DG + "API_EventSourceMappingConfiguration.html"
FILTERING_URL = DG + "invocation-eventfiltering.html"
EXTENSIONS_URL = DG + "lambda-extensions.html"
SNAPSTART_MONITORING_URL = DG + "snapstart-monitoring.html"
IDEMPOTENT_URL = "https://repost.aws/knowledge-center/lambda-function-idempotent"
DDB_CONDITIONAL_URL = "https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/WorkingWithItems.html"
LMI_URL = DG + "lambda-managed-instances.html"
LMI_RUNTIMES_URL = DG + "lambda-managed-instances-runtimes.html"
LMI_SCALING_URL = DG + "lambda-managed-instances-scaling.html"
LMI_CONFIG_URL = API + "API_LambdaManagedInstancesCapacityProviderConfig.html"
ALARMS_URL = "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html"
XRAY_URL = DG + "services-xray.html"
LOGS_URL = DG + "monitoring-cloudwatchlogs.html"

# --- event source mappings: batching ---------------------------------------------------------------
SQS_BATCH_SIZE_DEFAULT = Fact(10, "records", SQS_PARAMS_URL, CHECKED)
SQS_BATCH_SIZE_MAX_STANDARD = Fact(10_000, "records", SQS_PARAMS_URL, CHECKED)
SQS_BATCH_SIZE_MAX_FIFO = Fact(10, "records", SQS_PARAMS_URL, CHECKED)
BATCHING_WINDOW_DEFAULT_S = Fact(0, "s", ESM_API_URL, CHECKED, "SQS and streams; 0-300 s in whole seconds")
BATCHING_WINDOW_MAX_S = Fact(300, "s", ESM_API_URL, CHECKED)
BATCH_OVER_10_NEEDS_WINDOW_S = Fact(1, "s", ESM_API_URL, CHECKED,
                                    "BatchSize above 10 needs MaximumBatchingWindowInSeconds of at least 1")
FIFO_BATCHING_WINDOW = Fact("not supported", "", SQS_PARAMS_URL, CHECKED)
ESM_BATCH_PAYLOAD_MB = Fact(6, "MB", ESM_API_URL, CHECKED, "a batch is capped by the synchronous payload limit")
FIFO_CONCURRENCY = Fact("min(message groups, maximum concurrency)", "", SQS_SCALING_URL, CHECKED)
FILTERS_PER_ESM = Fact(5, "filters", FILTERING_URL, CHECKED, "ORed together; raisable to 10")

# --- at-least-once delivery --------------------------------------------------------------------------
ESM_AT_LEAST_ONCE = Fact("at least once", "", ESM_URL, CHECKED,
                         "event source mappings process each event at least once; make the function idempotent")
ASYNC_DUPLICATES = Fact("possible", "", ASYNC_ERRORS_URL, CHECKED,
                        "the async queue is eventually consistent: a function can receive an event more than once")

# --- the execution environment lifecycle -------------------------------------------------------------
SHUTDOWN_LIMIT_MS = Fact((("none", 0), ("internal", 500), ("external", 2_000)), "ms", RUNTIME_ENV_URL, CHECKED,
                         "by the extensions registered; then SIGKILL")
EXTENSION_BILLING = Fact("billed in 1 ms increments", "", EXTENSIONS_URL, CHECKED,
                         "an extension's time, including after the response, is billed")
SNAPSTART_RESTORE_BILLING = Fact("Billed Restore Duration only", "", SNAPSTART_MONITORING_URL, CHECKED,
                                 "runtime load and after-restore hooks; the snapshot restore itself is not charged")

# --- Lambda Managed Instances --------------------------------------------------------------------------
LMI_CONCURRENCY_PER_VCPU = Fact((("nodejs", 64), ("java", 32), ("dotnet", 32), ("python", 16)),
                                "requests per vCPU", LMI_RUNTIMES_URL, CHECKED,
                                "PerExecutionEnvironmentMaxConcurrency defaults (the per-runtime pages); "
                                "Python runs one process per concurrent request")
LMI_MAX_CONCURRENCY_RANGE = Fact((1, 1_600), "PerExecutionEnvironmentMaxConcurrency", LMI_CONFIG_URL, CHECKED)
LMI_MEMORY_PER_VCPU_GIB = Fact((2.0, 8.0), "GiB per vCPU", LMI_CONFIG_URL, CHECKED,
                               "ExecutionEnvironmentMemoryGiBPerVCpu")
LMI_MIN_INSTANCES = Fact(3, "instances", LMI_SCALING_URL, CHECKED, "launched by default for Availability Zone resiliency")
LMI_DOUBLING_WINDOW_S = Fact(300, "s", LMI_SCALING_URL, CHECKED,
                             "traffic that more than doubles within 5 minutes may be throttled")
LMI_MANAGEMENT_FEE = Fact(0.15, "share of the EC2 on-demand price", PRICING_URL, CHECKED,
                          "pricing page as transcribed by a third party (its rate tables load by script): "
                          "confidence M")
LMI_REQUEST_PER_MILLION = Fact(0.20, "$ per 1M requests", PRICING_URL, CHECKED, "as transcribed (confidence M)")

# --- monitoring ------------------------------------------------------------------------------------------
XRAY_SAMPLING = Fact((1, 0.05), "requests per second, then share of the rest",
                     "https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html", CHECKED,
                     "the default rule: the first request each second and 5% of any additional requests")

# --- container images (container-image) ------------------------------------------------------------------
IMAGES_URL = DG + "images-create.html"
CODE_SIGNING_URL = DG + "configuration-codesigning.html"
IMAGE_NOT_SUPPORTED = Fact(("layers", "code signing", "the console code editor"), "", IMAGES_URL, CHECKED,
                           "layers: copy the files into the image; code signing: 'Functions defined as container "
                           "images do not support code signing' (configuration-codesigning-create.html). SnapStart "
                           "is NOT on this list: images can use it (SNAPSTART_CONTAINER_IMAGES)")
IMAGE_ARCHITECTURES = Fact(1, "architecture per image", IMAGES_URL, CHECKED, "multi-architecture manifests are rejected")
IMAGE_TAG_PINNED = Fact("digest resolved at deploy time", "", IMAGES_URL, CHECKED,
                        "pushing a new image to the same tag changes nothing until update-function-code")

# --- what the cold-start model's keep-alive and reuse order rest on ----------------------------------------
# AWS documents neither: these are the measurements and statements the defaults are checked against.
SIMFAAS_DATA_URL = "https://github.com/pacslab/simfaas/blob/master/examples/exp.csv"
SIMFAAS_COMPARISON_URL = "https://github.com/pacslab/simfaas/blob/master/examples/04-Experiment-Comparison.ipynb"
SIMFAAS_SCHEDULER_URL = "https://github.com/pacslab/simfaas/blob/master/simfaas/ServerlessSimulator.py"
IDLE_TIME_UNPUBLISHED_URL = "https://repost.aws/questions/QUUveUH1fGR6SHB9ZvrBsTUA/lambda-runtime-refresh-period-limit"
IDLE_2017_URL = "https://theburningmonk.com/2017/06/finding-coldstarts-how-long-does-aws-lambda-keep-your-idle-functions-around/"
ENV_KEPT_IDLE = Fact("for some time", "", RUNTIME_ENV_URL, CHECKED,
                     "Lambda keeps an environment 'for some time' after an invocation; no idle time is published "
                     "(an AWS expert on re:Post: the values are not published because they change)")
ENV_RECYCLED = Fact("every few hours", "", RUNTIME_ENV_URL, CHECKED,
                    "environments are terminated every few hours for runtime updates and maintenance, even for "
                    "functions invoked continuously")
MEASURED_IDLE_BEFORE_KILL_S = Fact(600, "s", SIMFAAS_DATA_URL, CHECKED,
                                   "IdleMinutesBeforeKill = 10 in Mahmoudi & Khazaei's 20 AWS Lambda experiments "
                                   "(SimFaaS's expiration threshold); a third-party measurement, not an AWS figure")
SIMFAAS_AWS_COLD_MAPE = Fact(0.1223, "mean absolute percentage error of P(cold)", SIMFAAS_COMPARISON_URL, CHECKED,
                             "SimFaaS against those 20 AWS measurements, as its authors published it")
IDLE_2017_MEASURED = Fact("45-60 minutes", "", IDLE_2017_URL, CHECKED,
                          "Yan Cui's 2017 experiment: idle functions generally reclaimed after 45-60 minutes, sometimes "
                          "much earlier: the idle time changes over time and with load")
