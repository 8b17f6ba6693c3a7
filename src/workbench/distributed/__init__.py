"""Simulations on Dask: learner blocks and whole portfolios as tasks (extra ``workbench[dask]``).

The engine already simulates learners in blocks, each with its own random streams, so a block's
result does not depend on where it runs: on Dask the blocks of one simulation are tasks, reduced
in block order, and the result is bit-for-bit the local one. A *sweep* runs many simulations
(journeys x plans x populations x seeds x calibration draws), one task each, and returns one
tidy frame. :func:`~workbench.plans.compare`, :func:`~workbench.plans.optimise`,
:func:`~workbench.plans.frontier` and :func:`~workbench.plans.sensitivity` take the same
``scheduler`` and run their simulations through the same :class:`TaskRunner`.

Where the work runs is only a ``scheduler`` argument: ``"local"`` starts a
:class:`~distributed.LocalCluster` sized to the machine, an address (``"tcp://host:8786"``)
joins an existing cluster, and a :class:`~distributed.Client` is used as it is. Nothing here
is specific to any cluster: dask-jobqueue, Kubernetes and cloud clusters all hand out a
scheduler address or a client (see the README).
"""

from __future__ import annotations

from workbench.distributed.sweep import SWEEP_COLUMNS, Portfolio, load_portfolio, sweep
from workbench.distributed.tasks import (
    Progress,
    TaskRunner,
    connect,
    progress_reporter,
    run_here,
    run_tasks,
    task_runner,
)

__all__ = [
    "SWEEP_COLUMNS",
    "Portfolio",
    "Progress",
    "TaskRunner",
    "connect",
    "load_portfolio",
    "progress_reporter",
    "run_here",
    "run_tasks",
    "sweep",
    "task_runner",
]
