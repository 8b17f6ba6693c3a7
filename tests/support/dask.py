"""A real Dask ``LocalCluster`` of two worker processes (``dask_client`` fixture in conftest.py).

Worker processes, not threads, so every task and its inputs really travel through pickling, as
on a remote cluster. Started once per test session: a cluster start takes seconds.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def local_cluster_client(workers: int = 2) -> Iterator[Any]:
    """Yield a client of a new LocalCluster of ``workers`` single-threaded processes; close both after."""
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster,  # type: ignore[no-untyped-call]
        Client(cluster) as client,
    ):
        client.wait_for_workers(workers)
        yield client
