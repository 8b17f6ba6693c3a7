"""Where independent tasks run: here, one after the other, or on Dask; one path for both.

A shared piece below every package (Dask itself is imported only when a scheduler is given), so
the plans and the engine can run on Dask without importing :mod:`workbench.distributed`.

A caller hands a :class:`TaskRunner` a function, what every task shares and the tasks; it gets
the results back in task order. The runner of this process and the runner of a Dask cluster
differ only in their executor (:func:`run_here` or :func:`run_tasks`), so a comparison, a
search or a sweep is the same code, with the same numbers, wherever it runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from workbench.errors import ParameterError

__all__ = ["Progress", "TaskRunner", "connect", "progress_reporter", "run_here", "run_tasks", "task_runner"]

#: What a ``progress=`` argument takes: False (quiet), True (a bar: tqdm in a terminal, a
#: widget in Jupyter) or a callable given the number of tasks done so far.
Progress = bool | Callable[[int], None]

_INSTALL_HINT = "install the Dask extra: pip install 'workbench[dask]'"


def _client_class() -> Any:
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - the extra is installed for the tests
        raise ParameterError(f"scheduler: Dask is not installed; {_INSTALL_HINT}") from None
    return Client


@contextmanager
def connect(scheduler: Any) -> Iterator[Any]:
    """Yield a Dask client for ``scheduler``; close what this call started.

    Parameters
    ----------
    scheduler : str or distributed.Client
        ``"local"``: a new :class:`~distributed.LocalCluster` with one single-threaded worker
        process per core; an address such as ``"tcp://10.0.0.5:8786"``: the scheduler of an
        existing cluster; a ``Client``: used as it is (and left open).

    Yields
    ------
    distributed.Client

    Examples
    --------
    >>> with connect(8786):
    ...     pass
    Traceback (most recent call last):
    ...
    workbench.errors.ParameterError: scheduler: expected 'local', a scheduler address or a distributed.Client, got 8786
    """
    client_class = _client_class()
    if isinstance(scheduler, client_class):
        yield scheduler
        return
    if not isinstance(scheduler, str) or not scheduler.strip():
        raise ParameterError(
            f"scheduler: expected 'local', a scheduler address or a distributed.Client, got {scheduler!r}"
        )
    if scheduler == "local":
        from distributed import LocalCluster

        cores = os.cpu_count() or 1
        with (
            # ":0": any free port; None would still bind the HTTP API to 8787 and warn when it is taken
            LocalCluster(n_workers=cores, threads_per_worker=1, dashboard_address=":0") as cluster,  # type: ignore[no-untyped-call]
            client_class(cluster) as client,
        ):
            yield client
        return
    try:
        client = client_class(scheduler, timeout="20s")
    except OSError as exc:
        raise ParameterError(
            f"scheduler: cannot reach a Dask scheduler at {scheduler!r} ({exc}); "
            "check the address (e.g. tcp://host:8786) or use --scheduler local"
        ) from None
    with client:
        yield client


def run_tasks(
    client: Any,
    func: Callable[..., Any],
    shared: Any,
    tasks: Sequence[tuple[Any, ...]],
    on_done: Callable[[int, Any], None],
    *,
    in_flight: int | None = None,
) -> None:
    """Run ``func(shared, *task)`` for every task on the cluster, streaming results back.

    At most ``in_flight`` tasks (default: twice the cluster's threads) are submitted at a
    time and each result is handed to ``on_done(index, result)`` and released as soon as it
    arrives, so neither the workers nor the scheduler ever hold all the outputs at once.
    ``shared`` is sent to the workers once.
    """
    from distributed import as_completed

    threads = sum(client.nthreads().values()) or 1
    limit = max(1, in_flight if in_flight is not None else 2 * threads)
    shared_future = client.scatter(shared, broadcast=True, hash=False)
    pending = iter(enumerate(tasks))
    index_of: dict[Any, int] = {}

    def submit_next(into: Any) -> None:
        for index, task in pending:
            future = client.submit(func, shared_future, *task, pure=False)
            index_of[future.key] = index
            into.add(future)
            return

    running = as_completed([])  # type: ignore[no-untyped-call]
    for _ in range(limit):
        submit_next(running)
    for future in running:
        on_done(index_of.pop(future.key), future.result())
        future.release()
        submit_next(running)


def run_here(
    func: Callable[..., Any], shared: Any, tasks: Sequence[tuple[Any, ...]], on_done: Callable[[int, Any], None]
) -> None:
    """Run ``func(shared, *task)`` for every task in this process, in order: :func:`run_tasks` without a cluster.

    Examples
    --------
    >>> seen = []
    >>> run_here(pow, 2, [(3,), (5,)], lambda index, value: seen.append((index, value)))
    >>> seen
    [(0, 8), (1, 32)]
    """
    for index, task in enumerate(tasks):
        on_done(index, func(shared, *task))


@dataclass(frozen=True)
class TaskRunner:
    """Runs batches of independent tasks: in this process (``client=None``) or on a Dask client.

    Examples
    --------
    >>> TaskRunner().map(pow, 2, [(1,), (2,), (3,)])
    [2, 4, 8]
    """

    client: Any = None

    @property
    def local(self) -> bool:
        """Whether the tasks run in this process."""
        return self.client is None

    def map(
        self,
        func: Callable[..., Any],
        shared: Any,
        tasks: Sequence[tuple[Any, ...]],
        *,
        progress: Callable[[int], None] | None = None,
    ) -> list[Any]:
        """Return ``[func(shared, *task) for task in tasks]``, computed by this runner's executor.

        ``progress``, when given, is called with the number of tasks done after each one.
        """
        results: list[Any] = [None] * len(tasks)
        done = 0

        def on_done(index: int, result: Any) -> None:
            nonlocal done
            results[index] = result
            done += 1
            if progress is not None:
                progress(done)

        if self.client is None:
            run_here(func, shared, tasks, on_done)
        else:
            run_tasks(self.client, func, shared, tasks, on_done)
        return results


@contextmanager
def task_runner(scheduler: Any = None) -> Iterator[TaskRunner]:
    """Yield the runner for ``scheduler``: None runs here; else see :func:`connect` (one connection for all batches).

    Examples
    --------
    >>> with task_runner() as runner:
    ...     runner.local
    True
    """
    if scheduler is None:
        yield TaskRunner()
        return
    with connect(scheduler) as client:
        yield TaskRunner(client)


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    ipython = getattr(shell, "get_ipython", lambda: None)() if shell is not None else None
    return ipython is not None and "IPKernelApp" in getattr(ipython, "config", {})


def _show_dashboard(client: Any) -> None:
    """In Jupyter, show a link to the cluster's dashboard (Dask's own view of the tasks), when it has one."""
    if not _in_notebook():
        return
    try:
        link = client.dashboard_link
    except (KeyError, AttributeError):  # a cluster started without a dashboard
        return
    if link:
        from IPython.display import HTML, display

        display(HTML(f'<a href="{link}" target="_blank">Dask dashboard: the tasks as they run</a>'))  # type: ignore[no-untyped-call]


@contextmanager
def progress_reporter(
    progress: Progress, total: int | None, desc: str, runner: TaskRunner | None = None, *, unit: str = "simulation"
) -> Iterator[Callable[[int], None] | None]:
    """Yield what to call with the number of tasks done: None when quiet, else the caller's callable or a bar.

    ``progress=True`` shows a ``tqdm.auto`` bar (a widget in Jupyter, text on stderr
    elsewhere); on a Dask cluster in Jupyter it also links the cluster's dashboard.

    Examples
    --------
    >>> with progress_reporter(False, 3, "compare") as tick:
    ...     tick is None
    True
    """
    if progress is False or progress is None:
        yield None
    elif progress is True:
        from tqdm.auto import tqdm

        if runner is not None and runner.client is not None:
            _show_dashboard(runner.client)
        with tqdm(total=total, unit=unit, desc=desc) as bar:
            yield lambda done: bar.update(done - bar.n)
    elif callable(progress):
        yield progress
    else:
        raise ParameterError(
            f"progress: expected True, False or a callable given the number done, got {type(progress).__name__}"
        )
