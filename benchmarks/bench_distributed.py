"""Benchmarks of the Dask runs (``python benchmarks/bench_distributed.py``; extra ``workbench[dask]``).

1. a portfolio sweep (templates x plans x seeds) run here, one simulation after the other, and
   on a ``LocalCluster`` of single-threaded worker processes: wall times, their ratio, and the
   peak resident memory of each worker and of this (the client) process;
2. :func:`~workbench.plans.optimise` here and on the same cluster (the same search: its
   independent candidates go out as batches): wall times and their ratio;
3. one big population (learners x 20 concepts x 365 days) on a fresh ``LocalCluster`` per
   size: wall time, learner-concept-days per second and the peak memory of each worker
   (``VmHWM``), after a reference size simulated both here and on the cluster (ratio).

Sizes are parameters: the issue's 1,000-simulation sweep and 5,000,000-learner run are
``--simulations 1000 --learners 5000000`` (add a smaller size before it, e.g. ``--learners
1000000 5000000``, to see the growth measured rather than assumed). The defaults finish in a
few minutes on a loaded two-core machine. Blocks of learners stream back one by one, so a
worker holds one block at a time; the client keeps only the reduced result (per learner: the
recall on each kept checkpoint day, final stability and minutes).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from collections.abc import Sequence
from typing import Any

from bench_simulate import twenty_concept_journey

from distributed import Client, LocalCluster
from workbench.distributed import sweep
from workbench.plans import optimise
from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import list_templates, load_template


def _peak_rss_mb() -> float:
    """Peak resident memory of this process (MB), its own: VmHWM, which a new program starts afresh.

    Not ``ru_maxrss``: Linux carries it across ``exec``, so a worker process spawned by a client
    would report the client's peak as its own.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):  # not Linux
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cluster(workers: int) -> tuple[LocalCluster, Client]:
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=":0")  # type: ignore[no-untyped-call]
    client = Client(cluster)  # type: ignore[no-untyped-call]
    client.wait_for_workers(workers)
    return cluster, client


def _worker_peaks(client: Client) -> str:
    return ", ".join(f"{p:.0f}" for p in sorted(client.run(_peak_rss_mb).values()))


def portfolio(simulations: int, learners: int, client: Client) -> tuple[float, float, int]:
    """Return (local seconds, cluster seconds, simulations run) for a sweep of about ``simulations``."""
    journeys = [load_template(name) for name in list_templates()]
    plans = ["none", "expanding"]
    seeds = list(range(max(1, simulations // (len(journeys) * len(plans)))))
    population = LearnerPopulation(size=learners)
    start = time.perf_counter()
    local = sweep(journeys, plans, population, seeds)
    local_s = time.perf_counter() - start
    start = time.perf_counter()
    remote = sweep(journeys, plans, population, seeds, scheduler=client)
    cluster_s = time.perf_counter() - start
    assert local.equals(remote), "the cluster sweep must equal the local one"
    return local_s, cluster_s, len(journeys) * len(plans) * len(seeds)


def search(learners: int, client: Client) -> tuple[float, float, int]:
    """Return (local seconds, cluster seconds, simulations) of one optimise run."""
    journey = load_template("compliance_follow_up")
    arguments: dict[str, Any] = {"target": 0.85, "on_day": 90, "population": LearnerPopulation(size=learners)}
    start = time.perf_counter()
    local = optimise(journey, **arguments)
    local_s = time.perf_counter() - start
    start = time.perf_counter()
    remote = optimise(journey, scheduler=client, **arguments)
    cluster_s = time.perf_counter() - start
    assert remote.candidates.equals(local.candidates), "the cluster search must equal the local one"
    return local_s, cluster_s, local.simulations


def _big(learners: int, scheduler: Any) -> float:
    start = time.perf_counter()
    simulate(
        twenty_concept_journey(),
        population=LearnerPopulation(size=learners),
        horizon_days=365,
        rng=0,
        scheduler=scheduler,
        checkpoint_days=(),
        progress=False,
    )
    return time.perf_counter() - start


def big_population(sizes: Sequence[int], reference: int, workers: int) -> None:
    """Print the reference ratio, then each size on a fresh cluster: seconds, throughput, worker peaks."""
    here = _big(reference, None)
    cluster, client = _cluster(workers)
    with cluster, client:
        there = _big(reference, client)
    print(
        f"   reference {reference:,} learners: here (threads) {here:.1f} s, LocalCluster {there:.1f} s "
        f"-> {here / there:.2f}x",
        flush=True,
    )
    for learners in sizes:
        # a cluster of its own: fresh worker processes, so their peak memory is this run's alone
        cluster, client = _cluster(workers)
        with cluster, client:
            seconds = _big(learners, client)
            peaks = _worker_peaks(client)
        cells = learners * 20 * 366
        print(
            f"   {learners:>10,} learners: {seconds:8.1f} s, {cells / seconds / 1e6:6.2f} M learner-concept-days/s, "
            f"peak memory per worker {peaks} MB; client peak so far {_peak_rss_mb():.0f} MB",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--simulations", type=int, default=36, help="about this many simulations in the sweep")
    parser.add_argument("--sweep-learners", type=int, default=300, help="learners per sweep simulation")
    parser.add_argument("--plan-learners", type=int, default=1000, help="learners of the optimise run (0: skip)")
    parser.add_argument(
        "--learners", type=int, nargs="+", default=[20_000, 40_000], help="sizes of the big run, smallest first"
    )
    parser.add_argument("--reference", type=int, default=10_000, help="big-run size simulated here and on the cluster")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    cluster, client = _cluster(args.workers)
    with cluster, client:
        local_s, cluster_s, n = portfolio(args.simulations, args.sweep_learners, client)
        print(f"1. portfolio sweep: {n} simulations x {args.sweep_learners} learners (9 templates x 2 plans x seeds)")
        print(
            f"   here, one after the other: {local_s:.1f} s; LocalCluster ({args.workers} worker processes): "
            f"{cluster_s:.1f} s -> {local_s / cluster_s:.2f}x; peak memory per worker {_worker_peaks(client)} MB, "
            f"client {_peak_rss_mb():.0f} MB",
            flush=True,
        )
        if args.plan_learners > 0:
            local_s, cluster_s, n = search(args.plan_learners, client)
            print(
                f"\n2. optimise (compliance_follow_up, 0.85 on day 90, {args.plan_learners:,} learners): "
                f"{n} simulations"
            )
            print(
                f"   here: {local_s:.1f} s; LocalCluster: {cluster_s:.1f} s -> {local_s / cluster_s:.2f}x", flush=True
            )
    print(f"\n3. one population x 20 concepts x 365 days on a LocalCluster ({args.workers} workers)")
    big_population(args.learners, args.reference, args.workers)


if __name__ == "__main__":
    main()
