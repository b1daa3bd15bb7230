"""How many database connections does steady Lambda traffic hold without RDS Proxy?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, count, distinct, options, pick

KIND = "db-connections"
TOPIC = "networking-storage"
SUMMARY = "database connections that steady traffic holds without RDS Proxy"
SOURCES = ("https://docs.aws.amazon.com/lambda/latest/dg/services-rds.html",
           "https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html")


def generate(rng, seed: int) -> Drill:
    rate = pick(rng, (50, 100, 200, 400))
    duration_ms = pick(rng, (200, 500, 1000))
    busy = rate * duration_ms / 1000  # Little's law: environments busy at once, each holding a connection
    right = count(busy)
    wrong = distinct({
        count(rate): "counting requests per second instead of requests in flight",
        "1 (the environments share one connection)": "thinking environments share a connection; each holds its own",
        count(busy / 10): "thinking each environment serves 10 requests at once",
        count(rate * duration_ms): "mixing milliseconds and seconds in Little's law",
    }, right)
    choices, misconceptions = options(rng, right, wrong)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"arrival_rate": rate, "duration_ms": duration_ms, "busy_environments": busy},
        prompt=(f"A function receives {rate} requests a second, each invocation taking {duration_ms} ms, and each "
                f"execution environment opens one database connection at init and keeps it. Without RDS Proxy, "
                f"at least how many connections does the database hold once traffic is steady?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"Each execution environment holds its own connection, and by Little's law {rate}/s x "
                     f"{duration_ms / 1000:g} s = {right} environments are busy at once. That is a lower bound: "
                     f"idle environments kept for reuse keep their connections too, and frozen ones leave sockets "
                     f"open until the database times them out. RDS Proxy pools connections and queues requests "
                     f"beyond its limit instead of letting a burst exhaust max_connections."),
        simulate=(f"lambda-prep simulate rds-proxy --pattern poisson --arrival-rate {rate} --duration-ms {duration_ms} "
                  f"--requests {rate * 30} --seed {seed}"),
    )
