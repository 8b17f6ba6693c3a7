"""HTML to PDF with headless Chromium (Debian's ``/usr/bin/chromium``; never a downloaded build).

The page is written to a temporary folder, printed with ``--print-to-pdf`` and
``--no-pdf-header-footer`` in a throw-away profile, and the PDF is then moved into place
atomically. Chromium's PDFs carry a creation date, so unlike the HTML they are not the same
bytes twice.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from workbench.errors import ExportError, MissingDependencyError

__all__ = ["CHROMIUM_ARGS", "find_chromium", "html_to_pdf"]

#: Flags of a headless Chromium that talks to no one (from the project's browser-test guide).
CHROMIUM_ARGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def find_chromium(chromium: str | os.PathLike[str] | None = None) -> Path:
    """Return the Chromium executable to print with.

    ``chromium`` if given, else ``$CHROMIUM``, else ``/usr/bin/chromium`` or a ``chromium`` /
    ``chromium-browser`` / ``google-chrome`` on the PATH.

    Raises
    ------
    MissingDependencyError
        No Chromium found (the message says how to install it).
    """
    if chromium is not None:
        candidates = [str(chromium)]
    else:
        candidates = [os.environ.get("CHROMIUM") or "/usr/bin/chromium"]
        candidates += [shutil.which(n) or "" for n in ("chromium", "chromium-browser", "google-chrome")]
    for candidate in candidates:
        if candidate and os.path.isfile(candidate) and os.access(candidate, os.X_OK):
            return Path(candidate)
    raise MissingDependencyError(
        f"Chromium not found (looked for {candidates[0]}); PDF output prints the report with headless "
        "Chromium: install it (Debian: apt-get install -y chromium), set CHROMIUM=/path/to/chromium, "
        "or write HTML only (drop --pdf)"
    )


def html_to_pdf(
    html: str,
    path: str | os.PathLike[str],
    *,
    chromium: str | os.PathLike[str] | None = None,
    timeout: float = 120.0,
) -> Path:
    """Print ``html`` (a self-contained page) to a PDF at ``path`` with headless Chromium.

    Parameters
    ----------
    html : str
        The page; it must not need other files (the report embeds its figures).
    path : path
        PDF to write; written atomically (a failure leaves nothing at ``path``).
    chromium : path, optional
        Chromium executable (see :func:`find_chromium`).
    timeout : float
        Seconds Chromium may take.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    MissingDependencyError
        Chromium is not installed.
    ExportError
        Chromium failed or wrote no PDF (the message has the end of its output).
    """
    from workbench._io import write_atomic

    executable = find_chromium(chromium)
    with tempfile.TemporaryDirectory(prefix="workbench-pdf-") as tmp:
        folder = Path(tmp)
        page = folder / "report.html"
        page.write_text(html, encoding="utf-8")
        output = folder / "report.pdf"
        command = [
            str(executable),
            *CHROMIUM_ARGS,
            f"--user-data-dir={folder / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={output}",
            page.as_uri(),
        ]
        try:
            done = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
                command, capture_output=True, text=True, timeout=timeout, check=False
            )
        except subprocess.TimeoutExpired:
            raise ExportError(f"Chromium took more than {timeout:g} s to print the report to PDF") from None
        if not output.is_file() or output.stat().st_size == 0:
            tail = "\n".join((done.stderr or done.stdout or "").strip().splitlines()[-8:])
            raise ExportError(f"Chromium wrote no PDF (exit code {done.returncode}): {tail or 'no output'}")
        data = output.read_bytes()
    if not data.startswith(b"%PDF"):
        raise ExportError("Chromium's output is not a PDF (no %PDF header)")
    return write_atomic(path, data)
