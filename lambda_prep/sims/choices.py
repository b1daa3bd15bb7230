"""The choice sets of the simulations' options, each declared once.

Models validate against these (common.check_choice) and the command line builds its choices from them
(cli_simulate/_shared.choice), so a value added here is accepted by both at once. The module imports
only facts, which the command line already loads for its help texts: reading it costs nothing at
start-up.
"""

from __future__ import annotations

from lambda_prep.sims import facts as F

# AWS vocabulary
RUNTIMES = ("python", "nodejs", "java", "dotnet", "ruby", "provided")  # runtime families the models know
ARCHITECTURES = F.ARCHITECTURES
IMAGE_ARCHITECTURES = ARCHITECTURES + ("both",)  # container-image: build one image per architecture, or both
MANAGED_INSTANCES_RUNTIMES = tuple(F.table(F.LMI_CONCURRENCY_PER_VCPU))
EVENT_SOURCES = ("async", "sqs", "stream")  # where retried events come from (retries, idempotency)
ON_FAILURE = ("destination", "dlq", "none")
STREAM_TYPES = ("kinesis", "dynamodb")
SQS_QUEUES = ("standard", "fifo")
INVOCATIONS = ("sync", "async")
PACKAGES = ("zip", "image")
EXTENSIONS = ("none", "internal", "external")
ALARM_METRICS = ("errors", "throttles", "duration_p99")
RECURSION_VIA = ("sqs", "sns", "s3", "lambda", "dynamodb")
RECURSION = ("terminate", "allow")  # the function's recursive loop detection setting
HOOK_RESULTS = ("pass", "fail")
DEPLOY_CONFIGS = tuple(name for name, *_ in F.CODEDEPLOY_LAMBDA_CONFIGS.value)  # CodeDeploy's predefined configs

# model vocabulary
PATTERNS = ("poisson", "burst")  # traffic: Poisson, or Poisson plus bursts
SPACINGS = ("poisson", "steady")  # batching: message arrivals
DURATION_DISTS = ("fixed", "exp")
REUSE = ("mru", "lru")  # which idle environment a request takes (a model assumption)
OVERLAP_RULES = ("later-wins", "first-wins")
