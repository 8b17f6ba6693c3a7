"""Benchmarks of the Dask runs (``python benchmarks/bench_distributed.py``; extra ``workbench[dask]``).

1. a portfolio sweep (templates x plans x seeds) run here, one simulation after the other, and
   on a ``LocalCluster`` of single-threaded worker processes: wall times and their ratio;
2. one big population (learners x 20 concepts x 365 days) on the ``LocalCluster``, at two
   sizes (so the growth with learners is measured, not assumed): wall time, learner-concept-days
   per second, and the peak resident memory of each worker process (``ru_maxrss``).

Sizes are parameters: the issue's 1,000-simulation sweep and 5,000,000-learner run are
``--simulations 1000 --learners 5000000``; the defaults finish in about two minutes on a
loaded two-core machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from bench_simulate import twenty_concept_journey

from distributed import Client, LocalCluster
from workbench.distributed import sweep
from workbench.simulate import LearnerPopulation, simulate
from workbench.templates import list_templates, load_template


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB -> MB on Linux


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


def big_population(learners: int, workers: int) -> tuple[float, list[float]]:
    """Simulate ``learners`` x 20 concepts x 365 days on a new cluster; seconds and worker peaks (MB)."""
    # a cluster of its own: fresh worker processes, so their peak memory is this run's alone
    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster,  # type: ignore[no-untyped-call]
        Client(cluster) as client,
    ):
        client.wait_for_workers(workers)
        start = time.perf_counter()
        simulate(
            twenty_concept_journey(),
            population=LearnerPopulation(size=learners),
            horizon_days=365,
            rng=0,
            scheduler=client,
            checkpoint_days=(),
            progress=False,
        )
        elapsed = time.perf_counter() - start
        peaks = client.run(_peak_rss_mb)
    return elapsed, sorted(peaks.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--simulations", type=int, default=36, help="about this many simulations in the sweep")
    parser.add_argument("--sweep-learners", type=int, default=300, help="learners per sweep simulation")
    parser.add_argument("--learners", type=int, default=40_000, help="learners of the big run (and twice as many)")
    parser.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args()
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=None) as cluster,  # type: ignore[no-untyped-call]
        Client(cluster) as client,
    ):
        local_s, cluster_s, n = portfolio(args.simulations, args.sweep_learners, client)
    print(f"1. portfolio sweep: {n} simulations x {args.sweep_learners} learners (9 templates x 2 plans x seeds)")
    print(
        f"   here, one after the other: {local_s:.1f} s; LocalCluster ({args.workers} worker processes): "
        f"{cluster_s:.1f} s -> {local_s / cluster_s:.2f}x",
        flush=True,
    )
    print(f"\n2. one population x 20 concepts x 365 days on a LocalCluster ({args.workers} workers)")
    for learners in (args.learners, 2 * args.learners):
        seconds, peaks = big_population(learners, args.workers)
        cells = learners * 20 * 366
        print(
            f"   {learners:>10,} learners: {seconds:6.1f} s, "
            f"{cells / seconds / 1e6:6.1f} M learner-concept-days/s, "
            f"peak memory per worker {', '.join(f'{p:.0f}' for p in peaks)} MB",
            flush=True,
        )
    print(f"   client process peak memory: {_peak_rss_mb():.0f} MB (holds the reduced result)")


if __name__ == "__main__":
    main()
