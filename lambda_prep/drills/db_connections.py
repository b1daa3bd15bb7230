"""How many database connections does a burst of Lambda traffic open, with and without RDS Proxy?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, count, distinct, options, pick

KIND = "db-connections"
TOPIC = "networking-storage"
SUMMARY = "connections a burst opens without RDS Proxy, and what a proxy needs instead"
SOURCES = ("https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.html",)


def generate(rng, seed: int) -> Drill:
    rate = pick(rng, (100, 200, 400, 800))
    duration_ms = pick(rng, (200, 500, 1000))
    query_ms = pick(rng, (10, 20, 50))
    environments = rate * duration_ms / 1000  # Little's law: environments busy at once
    proxy_busy = rate * query_ms / 1000  # connections a proxy keeps busy: only while a query runs
    right = count(environments)
    wrong = distinct({
        count(rate): "counting requests per second instead of requests in flight",
        count(proxy_busy): "counting only the time spent in queries (that is what a proxy needs)",
        "1 (Lambda reuses one connection for all environments)":
            "thinking environments share a connection; each holds its own",
        count(environments / 10): "thinking each environment serves 10 requests at once",
    }, right)
    choices, misconceptions = options(rng, right, wrong)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"arrival_rate": rate, "duration_ms": duration_ms, "query_ms": query_ms,
                "environments": environments, "proxy_connections_busy": proxy_busy},
        prompt=(f"A function receives {rate} requests a second; each invocation takes {duration_ms} ms, of which "
                f"{query_ms} ms is one database query. Each execution environment opens one connection at init "
                f"and keeps it. Without RDS Proxy, at least how many connections does the database hold "
                f"once traffic is steady?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=(f"Each busy execution environment holds its own connection, and by Little's law {rate}/s x "
                     f"{duration_ms / 1000:g} s = {right} environments are busy at once, more while idle ones "
                     f"linger (and frozen ones keep sockets open: a lower bound). RDS Proxy multiplexes: only "
                     f"queries in flight need a database connection, {rate}/s x {query_ms / 1000:g} s = "
                     f"{count(proxy_busy)} on average."),
        simulate=(f"lambda-prep simulate rds-proxy --pattern poisson --arrival-rate {rate} --duration-ms {duration_ms} "
                  f"--requests {rate * 30} --seed {seed}"),
    )
