"""What the tests share, in one place (``from support.env import skip_or_fail``).

- :mod:`support.env`: ``skip_or_fail`` (skip locally, fail in CI), ``in_ci``, ``require_module``
  and the shared reference folder (``WORKBENCH_SHARED``, default ``../shared``).
- :mod:`support.cli`: ``run_cli``, the ``workbench`` command run in-process.
- :mod:`support.journeys`: journey builders (hypothesis strategies of random valid journeys).
- :mod:`support.calibrations`: ``pilot_calibration``, a small fitted calibration.
- :mod:`support.lrs`: a real ralph LRS on loopback.
- :mod:`support.dask`: a real Dask LocalCluster of two worker processes.
- :mod:`support.browser`: Jupyter servers on loopback and JupyterLab driven by Playwright.

Fixtures built on them are in ``tests/conftest.py`` (``shared``, ``browser``, ``lrs``, ``dask_client``); the
tests themselves mirror the source tree: the tests of ``src/workbench/X`` are in ``tests/X``
(the command line's in ``tests/cli``, widgets in a browser in ``tests/widgets/browser``).
"""
