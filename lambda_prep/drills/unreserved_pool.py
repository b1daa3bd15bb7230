"""One function bursts while others hold reserved concurrency: how far can it scale?"""

from __future__ import annotations

from lambda_prep.drills.base import Drill, count, distinct, options, pick
from lambda_prep.sims import facts
from lambda_prep.sims.noisy_neighbours import DURATIONS_S, Params

KIND = "unreserved-pool"
TOPIC = "concurrency"
SUMMARY = "reserved concurrency as floor and ceiling: what a bursting function can still get"
SOURCES = (facts.CONCURRENCY_URL, facts.QUOTAS_URL)


def importer_ceiling(prm: Params) -> int:
    # The noisy-neighbours model (play): a function with a reservation runs at most that many; the
    # others share the account limit minus every reservation, whether or not the reserved capacity is busy.
    reserved = dict(prm.reserve)
    if "importer" in reserved:
        return reserved["importer"]
    return prm.account_concurrency - sum(reserved.values())


def generate(rng, seed: int) -> Drill:
    account = int(facts.ACCOUNT_CONCURRENCY.value)
    kept = int(facts.UNRESERVED_MINIMUM.value)
    wants = round(Params().burst_rate * DURATIONS_S["importer"])  # the demo's burst: 250/s x 8 s
    cap_the_noisy_one = rng.random() < 0.3
    if cap_the_noisy_one:
        reserve = (("importer", pick(rng, (100, 200, 300, 400))),)
        setup = f"You give the importer reserved concurrency {reserve[0][1]}; checkout and search have none."
    else:
        reserve = (("checkout", pick(rng, (100, 150, 200, 250, 300))), ("search", pick(rng, (100, 150, 200))))
        setup = (f"You reserve {reserve[0][1]} for checkout and {reserve[1][1]} for search; the importer has no "
                 f"reservation.")
    prm = Params(reserve=reserve)
    ceiling = importer_ceiling(prm)
    right = count(ceiling)
    if cap_the_noisy_one:
        wrong = {
            count(account): "thinking reserved concurrency is only a floor, so the importer could take the whole "
                            "account limit",
            count(account - ceiling): "thinking a reservation sets capacity aside from the function, for the others",
            count(wants): "thinking Lambda scales to whatever the burst needs (the reservation caps it)",
        }
    else:
        wrong = {
            count(ceiling - kept): f"thinking the {kept} AWS keeps unreserved is held back on top of the reservations "
                                   f"(it only limits how much you may reserve)",
            count(account): "thinking reserved concurrency that checkout and search are not using can be borrowed",
            count(kept): f"thinking functions without a reservation share only the {kept} that must stay unreserved",
        }
    choices, misconceptions = options(rng, right, distinct(wrong, right))
    reserved_text = " - ".join(f"{value:,}" for _, value in reserve)
    return Drill(
        kind=KIND, topic=TOPIC, seed=seed, sources=SOURCES,
        params={"account_concurrency": account, "reserve": dict(reserve), "importer_ceiling": ceiling,
                "importer_wants": wants},
        prompt=(f"Three functions share an account with the default concurrency limit of {account:,}. {setup} The "
                f"importer's burst wants {wants:,} concurrent executions. At most how many of its requests can run "
                f"at once?"),
        choices=choices, answer=right, misconceptions=misconceptions,
        explanation=((f"Reserved concurrency is a ceiling as well as a floor: the importer never runs more than "
                      f"its {ceiling:,}, whatever the account has free; the rest of its burst is throttled (429 for "
                      f"a synchronous caller). Checkout and search share the other {account - ceiling:,}.")
                     if cap_the_noisy_one else
                     (f"Reservations are set aside for their functions even when idle: the importer shares only "
                      f"the unreserved pool, {account:,} - {reserved_text} = {ceiling:,}, and the rest of its burst "
                      f"is throttled. Checkout and search are safe inside their reservations but can never exceed "
                      f"them. AWS requires at least {kept} to stay unreserved, which limits what you may reserve; "
                      f"it is not taken off the pool again.")),
        simulate=(f"lambda-prep simulate noisy-neighbours "
                  + " ".join(f"--reserve {name}={value}" for name, value in reserve) + f" --seed {seed}"),
    )
