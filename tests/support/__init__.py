"""What the tests share, in one place (import as ``from support.env import skip_or_fail``).

- :mod:`support.env`: ``skip_or_fail`` (skip locally, fail in CI), ``in_ci`` and the shared
  reference folder (``WORKBENCH_SHARED``, default ``../shared``).
- :mod:`support.cli`: ``run_cli``, the ``workbench`` command run in-process.

Fixtures built on them live in ``tests/conftest.py``.
"""
