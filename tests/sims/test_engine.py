"""The shared event loop: time order, ties in scheduling order, stopping at a time."""

from __future__ import annotations

from lambda_prep.sims.engine import Engine


def test_events_run_in_time_order_and_ties_in_scheduling_order():
    engine, seen = Engine(), []
    for time, name in [(5, "c"), (1, "a"), (5, "d"), (3, "b")]:
        engine.at(time, seen.append, name)
    engine.run()
    assert seen == ["a", "b", "c", "d"] and engine.now == 5


def test_actions_can_schedule_more_events_relative_to_now():
    engine, seen = Engine(), []

    def tick(n):
        seen.append((engine.now, n))
        if n < 3:
            engine.after(2.5, tick, n + 1)

    engine.at(1, tick, 0)
    engine.run()
    assert seen == [(1, 0), (3.5, 1), (6.0, 2), (8.5, 3)]


def test_run_until_stops_before_later_events_and_ends_at_that_time():
    engine, seen = Engine(), []
    engine.at(1, seen.append, 1)
    engine.at(10, seen.append, 10)
    engine.run(until=5)
    assert seen == [1] and engine.now == 5 and len(engine) == 1
    engine.run()
    assert seen == [1, 10]
    idle = Engine()
    idle.at(1, seen.append, "x")
    idle.run(until=20)
    assert idle.now == 20  # the clock reaches `until` even when the events ran out first


def test_an_event_scheduled_in_the_past_runs_now():
    engine, seen = Engine(), []
    engine.at(4, lambda: engine.at(2, lambda: seen.append(engine.now)))
    engine.run()
    assert seen == [4]
