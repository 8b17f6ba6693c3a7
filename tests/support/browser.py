"""Start Jupyter servers on loopback and drive JupyterLab like a person (Playwright).

Taken from ``shared/guides/testing-notebooks-and-widgets.md`` (the verified recipe), with type
hints; keep the two in step.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.report.pdf import CHROMIUM_ARGS as PDF_CHROMIUM_ARGS

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# one list of flags for every headless Chromium the project starts (reports and tests)
CHROMIUM_ARGS = list(PDF_CHROMIUM_ARGS)


@dataclass
class Server:
    url: str  # http://127.0.0.1:PORT
    token: str
    root: Path  # folder served (a temporary copy of notebooks/)
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, proc: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answered (Voila answers 404 for /voila/static/)
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"no answer from {url} after {timeout}s")


@contextlib.contextmanager
def serve(cmd: list[str], ready_url: str, log_path: Path, env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server process, wait until it answers, stop it (by its own PID) afterwards."""
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            t0 = time.monotonic()
            wait_http(ready_url, proc)
            print(f"\n{cmd[2]} ready in {time.monotonic() - t0:.1f}s")
            yield proc
        finally:
            proc.send_signal(signal.SIGTERM)  # shuts its kernels down, then exits
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def server_env(tmp: Path) -> dict[str, str]:
    settings = tmp / "lab-settings"
    notif = settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notif.parent.mkdir(parents=True, exist_ok=True)
    # no "Would you like to get notified about official Jupyter news?" toast, no update check
    notif.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    env = dict(os.environ)
    env.update(
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "lab-workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    env.pop("MPLBACKEND", None)  # kernels must keep the inline backend
    return env


def lab_command(python: str, port: int, token: str, root: Path) -> list[str]:
    cmd = [
        python,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI runs as root
    return cmd


def voila_command(python: str, port: int, root: Path) -> list[str]:
    return [
        python,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
    ]


# ---- JupyterLab UI -------------------------------------------------------------------


def kernel_idle_js(name: str) -> str:
    """Return JS that is true once the status bar shows `name` as the current document and its kernel Idle."""
    return f"""() => {{
      const items = [...document.querySelectorAll('.jp-StatusBar-TextItem')].map(e => e.textContent.trim());
      return items.includes({name!r}) &&
             items.some(t => /\\\\| Idle$/.test(t) && !t.startsWith('No Kernel'));
    }}"""


def open_notebook(page: Any, lab: Server, name: str) -> None:
    # ?reset: start from an empty workspace; otherwise JupyterLab re-opens the previous
    # test's notebooks and the status bar may show *their* idle kernel.
    page.goto(f"{lab.url}/lab/tree/{name}?reset&token={lab.token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=60_000)
    # Not .jp-Notebook-ExecutionIndicator[data-status=idle]: it reads "idle" while the status
    # bar still says "No Kernel | Initializing", and cells run then are silently dropped.
    page.wait_for_function(kernel_idle_js(name), timeout=90_000)


def menu(page: Any, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(f"^{re.escape(item)}$")).click()


def run_all_cells(page: Any) -> None:
    menu(page, "Run", "Run All Cells")


def wait_img_changed(page: Any, selector: str, old_src: str | None, timeout: int = 30_000) -> str:
    page.wait_for_function(
        "([sel, old]) => { const i = document.querySelector(sel); return i && i.src && i.src !== old; }",
        arg=[selector, old_src],
        timeout=timeout,
    )
    return str(page.locator(selector).get_attribute("src"))


def assert_no_widget_fallback(page: Any, selector: str = ".jp-OutputArea-output") -> None:
    """Fail if a widget was shown as text (no front-end extension) or failed to load."""
    texts = "\n".join(page.locator(selector).all_inner_texts())
    for bad in (
        "Workbench(",
        "JourneyComposer(",
        "VBox(",
        "Error displaying widget",
        "Loading widget...",
        "Failed to load model class",
    ):
        assert bad not in texts, f"widget not rendered: found {bad!r} in the outputs"


# ---- canvas (ipycytoscape draws nodes on a <canvas>, with no DOM per node) --------------


def node_centre(png: bytes, rgb: tuple[int, int, int], tol: int = 12) -> tuple[float, float] | None:
    """Centre of the top-most blob of the node colour in a screenshot (x, y) or None."""
    from PIL import Image

    im = Image.open(io.BytesIO(png)).convert("RGB")
    w, h = im.size
    px = im.load()
    assert px is not None
    hits = [(x, y) for y in range(h) for x in range(w) if all(abs(px[x, y][i] - rgb[i]) <= tol for i in range(3))]
    if not hits:
        return None
    x0, y0 = hits[0]
    blob = [(x, y) for x, y in hits if abs(x - x0) < 40 and abs(y - y0) < 40]
    return sum(x for x, _ in blob) / len(blob), sum(y for _, y in blob) / len(blob)


def hex_rgb(colour: str) -> tuple[int, int, int]:
    """``"#2a9d8f"`` -> ``(42, 157, 143)``."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
