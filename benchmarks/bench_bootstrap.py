"""Benchmark of calibration bootstrap draws here and on Dask (``python benchmarks/bench_bootstrap.py``).

The packaged Cepeda et al. (2008) table (37 grouped rows) is calibrated once with the default
fit; then ``--draws`` bootstrap refits run here (one after the other) and on a fresh
``LocalCluster`` of ``--workers`` single-threaded worker processes (started before the clock
runs). Printed: both wall times, their ratio (here / cluster: above 1 means the cluster is
faster), the seconds per draw, and the bootstrap intervals beside the profile-likelihood ones.
The two runs must give the same draws, bit for bit (checked).

Dask's worker processes run numpy's BLAS/OpenMP pools with one thread each (the nanny sets
``OMP_NUM_THREADS=1`` and its kin); the refits here run with one BLAS thread too
(``calibrate`` and each draw limit it themselves), so both sides refit alike. The environment's
settings are printed.

The issue's figure is ``--draws 200`` (a few minutes on a loaded two-core machine); the default
is small.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Sequence

from distributed import Client, LocalCluster
from workbench.calibrate import bootstrap_calibration, calibrate, load_published, read_observations

_POOLS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def main(argv: Sequence[str] | None = None) -> None:
    """Time the draws here and on the cluster; print the ratio and the intervals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20, help="bootstrap draws (default 20; the issue's figure: 200)")
    parser.add_argument("--workers", type=int, default=2, help="LocalCluster worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the draws (default 0)")
    args = parser.parse_args(argv)

    pools = ", ".join(f"{name}={os.environ.get(name, 'unset')}" for name in _POOLS)
    print(f"this process: {pools}; workers: 1 thread each")
    data = read_observations(load_published("cepeda2008"), source="cepeda2008_trivia.csv")
    start = time.perf_counter()
    base = calibrate(data)
    fit_s = time.perf_counter() - start
    print(f"Cepeda et al. 2008 table: {data.rows} grouped rows; default fit {', '.join(base.fitted)}: {fit_s:.1f} s")

    start = time.perf_counter()
    here = bootstrap_calibration(data, args.draws, rng=args.seed, calibration=base)
    here_s = time.perf_counter() - start
    with (
        LocalCluster(n_workers=args.workers, threads_per_worker=1, dashboard_address=":0") as cluster,  # type: ignore[no-untyped-call]
        Client(cluster) as client,
    ):
        client.wait_for_workers(args.workers)
        start = time.perf_counter()
        there = bootstrap_calibration(data, args.draws, rng=args.seed, calibration=base, scheduler=client)
        there_s = time.perf_counter() - start
    assert there == here, "the draws on the cluster must equal the local ones"
    print(
        f"{args.draws} draws ({len(here.failed)} failed): here {here_s:.1f} s ({here_s / args.draws:.2f} s/draw), "
        f"LocalCluster({args.workers} workers) {there_s:.1f} s; ratio here/cluster {here_s / there_s:.2f}"
    )
    print(here.summary_text(), end="")


if __name__ == "__main__":
    main()
