"""Browser test: every solution notebook's explorers, in a real JupyterLab in headless Chromium.

Usage:  python tools/browser_test.py [--chromium PATH] [--out DIR] [NN ...]
        (what `make test-browser` runs; NN picks chapters by number, e.g. `01 03`)

For every ``solutions/NN-name/NN-name.ipynb`` (or only the chapters named):

1. copy the notebook into a temporary folder under ``--out`` (git-ignored), so the committed
   solution is never run, modified or saved by the browser;
2. open the copy in JupyterLab, run all cells and wait until the kernel is done (bounded);
3. fail on an error output (a traceback), on a code cell left unexecuted, on a widget that
   cannot be displayed, and on any browser console error or uncaught page error;
4. find every explorer (an ipywidgets box holding at least one control, shown in one output
   area), move one of its controls (a slider by the keyboard, a dropdown to another option,
   ...) and check that what the explorer draws changes: the bytes of its images or the text
   it prints. When a control changes nothing (a "digit" slider while the input is a single
   pixel), the next control is tried; an explorer that no control changes fails;
5. save a screenshot of each explorer before and after the move under ``--out``.

JupyterLab runs from this interpreter's environment on 127.0.0.1 with a random free port, a
random token, fresh settings and workspaces folders and `--allow-root` when run as root. The
server, its kernels and the browser are stopped on every path, failures included.

Prints one line per explorer (notebook, explorer index, control moved, what changed) and exits
with status 1 on any failure, 2 when it cannot run at all (no Chromium, no Playwright).
Needs Playwright for Python and a Chromium binary; it never downloads a browser.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

try:
    from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, sync_playwright
    from playwright.sync_api import Error as PlaywrightError
    PLAYWRIGHT_MISSING: ImportError | None = None
except ImportError as missing:  # main() says what to install
    PLAYWRIGHT_MISSING = missing

REPO = Path(__file__).resolve().parent.parent

# Time limits, in seconds. A chapter runs in about a minute on a 2-core CPU (CONTRIBUTING.md).
SERVER_START_S = 90      # JupyterLab answering /api/status
PAGE_LOAD_S = 90         # the notebook shown and its kernel started
RUN_ALL_S = 300          # "Run All Cells" of one notebook
WIDGETS_RENDER_S = 60    # every "Loading widget..." placeholder replaced by its view
CONTROL_CHANGE_S = 30    # the drawing of an explorer after one control moved
QUIET_S = 1.5            # kernel silent and drawing unchanged this long: the redraw is over
TOTAL_S = 900            # no notebook is started after this (four chapters take about 4 min)

# Browser console errors that are not failures: (start of the message, the URL it is about,
# why it is harmless). Keep this list short and exact; anything else fails the test.
IGNORED_CONSOLE_ERRORS: list[tuple[str, str, str]] = [
    ("Failed to load resource", "https://colab.research.google.com/assets/colab-badge.svg",
     ("the 'Open in Colab' badge at the top of every notebook is an image on Colab's site; "
      "the test keeps the browser off the network, so it cannot load (a missing picture, "
      "nothing more)")),
]

# Controls, in the order they are tried: (kind, CSS selector of the control's container).
CONTROL_KINDS: list[tuple[str, str]] = [
    ("slider", ".widget-hslider, .widget-vslider"),
    ("dropdown", ".widget-dropdown"),
    ("select", ".widget-select"),
    ("radio", ".widget-radio-box"),
    ("toggle-buttons", ".widget-toggle-buttons"),
    ("toggle", ".widget-toggle-button"),
    ("checkbox", ".widget-checkbox"),
    ("text", ".widget-text"),
]


class TestFailure(Exception):
    """Something a reader of the report must fix (as opposed to a bug in this script)."""


# --------------------------------------------------------------------------- page scripts
# JavaScript run in the page through Playwright. JupyterLab is started with
# expose_app_in_browser, so `window.jupyterapp` is the running application. Cells are counted
# from 0, markdown cells included, as in the notebook file.

# Resolves once the notebook is shown and its kernel is running (rejects after timeoutMs);
# from then on, every message the kernel publishes updates window.__browserTest: the kernel's
# status and the page time of its last message.
JS_WAIT_FOR_KERNEL = """
async ([path, timeoutMs]) => {
  const pause = () => new Promise(resolve => setTimeout(resolve, 200));
  const waitForKernel = async () => {
    let panel, kernel;
    while (!(panel = [...window.jupyterapp.shell.widgets('main')]
             .find(widget => widget.context && widget.context.path === path))) await pause();
    await panel.context.ready;
    await panel.sessionContext.ready;
    while (!(kernel = panel.sessionContext.session && panel.sessionContext.session.kernel)) {
      await pause();
    }
    const state = { status: kernel.status, last: performance.now() };
    kernel.iopubMessage.connect((_, msg) => {
      state.last = performance.now();
      if (msg.header.msg_type === 'status') state.status = msg.content.execution_state;
    });
    window.__browserTest = state;
    return kernel.name;
  };
  const timer = new Promise((_, reject) => setTimeout(
    () => reject(new Error(`no running kernel after ${timeoutMs / 1000} s`)), timeoutMs));
  return await Promise.race([timer, waitForKernel()]);
}
"""

# Runs every cell of the notebook at `path`, as Run > Run All Cells does; resolves to
# 'true'/'false' (JupyterLab's verdict) or 'timeout'.
JS_RUN_ALL = """
async ([path, timeoutMs]) => {
  const app = window.jupyterapp;
  const panel = [...app.shell.widgets('main')]
    .find(widget => widget.context && widget.context.path === path);
  app.shell.activateById(panel.id);
  const run = app.commands.execute('notebook:run-all-cells');
  const timer = new Promise(resolve => setTimeout(() => resolve('timeout'), timeoutMs));
  return String(await Promise.race([run, timer]));
}
"""

# Kernel status as the page sees it, the page time of its last message, and how long ago.
JS_KERNEL_STATE = """
() => ({ status: window.__browserTest.status, last: window.__browserTest.last,
         quietMs: performance.now() - window.__browserTest.last })
"""

# One entry per code cell: position, start of source, execution count and error outputs.
JS_CODE_CELLS = """
(path) => {
  const cells = [];
  const panel = [...window.jupyterapp.shell.widgets('main')]
    .find(widget => widget.context && widget.context.path === path);
  panel.content.widgets.forEach((cell, index) => {
    const model = cell.model;
    if (model.type !== 'code') return;
    const errors = model.outputs.toJSON()
      .filter(output => output.output_type === 'error')
      .map(output => `${output.ename}: ${output.evalue}`);
    cells.push({ index, source: model.sharedModel.getSource(),
                 count: model.executionCount, errors });
  });
  return cells;
}
"""

# Error-looking outputs in the page: a traceback on stderr (how JupyterLab shows an error
# output), or a widget that could not be displayed. Returns [cell index, text] pairs.
JS_ERROR_OUTPUTS = """
() => {
  const found = [];
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  cells.forEach((cell, index) => {
    const stderr = cell.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]');
    for (const output of stderr) {
      if (output.textContent.includes('Traceback')) found.push([index, output.textContent]);
    }
    for (const output of cell.querySelectorAll('.jp-OutputArea-output')) {
      if (output.textContent.includes('Error displaying widget')) {
        found.push([index, output.textContent]);
      }
    }
  });
  return found;
}
"""

JS_LOADING_WIDGETS = """
() => [...document.querySelectorAll('.jp-Notebook .jp-OutputArea-output')]
  .filter(output => output.textContent.includes('Loading widget')).length
"""

# Marks each explorer with data-browser-test-explorer="i" and its controls with
# data-browser-test-control="j"; returns, per explorer, its cell and its controls.
JS_FIND_EXPLORERS = """
(kinds) => {
  const explorers = [];
  const cells = [...document.querySelectorAll('.jp-Notebook .jp-Cell')];
  cells.forEach((cell, cellIndex) => {
    const boxes = [...cell.querySelectorAll('.jp-Cell-outputArea .widget-box')]
      .filter(box => !box.parentElement.closest('.widget-box, .widget-output'));
    for (const box of boxes) {
      const controls = [];
      for (const [kind, selector] of kinds) {
        for (const element of box.querySelectorAll(selector)) {
          if (element.closest('.widget-output')) continue;  // a widget drawn by the explorer
          if (element.hasAttribute('data-browser-test-control')) continue;
          if (kind === 'text' && !element.querySelector('input')) continue;
          const label = element.querySelector('.widget-label');
          element.setAttribute('data-browser-test-control', String(controls.length));
          controls.push({ index: controls.length, kind,
                          label: label ? label.textContent.trim() : '' });
        }
      }
      if (controls.length === 0) continue;  // e.g. a progress bar
      box.setAttribute('data-browser-test-explorer', String(explorers.length));
      explorers.push({ index: explorers.length, cell: cellIndex, controls });
    }
  });
  return explorers;
}
"""

# What an explorer draws: its images (data URIs), SVG drawings and the text of its output
# and HTML widgets (not the controls' own read-outs, which change with every move).
JS_DRAWING = """
(element) => {
  const parts = [...element.querySelectorAll(
      '.widget-output, .widget-html, .widget-htmlmath, .widget-image')]
    .filter(part => !part.parentElement.closest('.widget-output, .widget-html, .widget-htmlmath'));
  const images = [], svgs = [], texts = [];
  for (const part of parts) {
    if (part.tagName === 'IMG') images.push(part.src);
    for (const img of part.querySelectorAll('img')) images.push(img.src);
    for (const svg of part.querySelectorAll('svg')) svgs.push(svg.outerHTML);
    texts.push(part.textContent);
  }
  return { images, svgs, text: texts.join('\\n').trim(),
           loading: element.textContent.includes('Loading widget') };
}
"""


# --------------------------------------------------------------------------- results
@dataclass(frozen=True)
class Drawing:
    """What an explorer shows: image digests, SVG digests and text."""

    images: tuple[str, ...]
    svgs: tuple[str, ...]
    text: str

    @classmethod
    def from_page(cls, raw: dict[str, Any]) -> Drawing:
        """Build from JS_DRAWING's answer; data-URI images are compared by their bytes."""
        return cls(tuple(_digest(_image_bytes(src)) for src in raw["images"]),
                   tuple(_digest(svg.encode()) for svg in raw["svgs"]), raw["text"])

    def is_empty(self) -> bool:
        return not (self.images or self.svgs or self.text)

    def difference(self, after: Drawing) -> str:
        """One line saying what changed from ``self`` to ``after`` ('' when nothing did)."""
        changes = []
        if self.images != after.images:
            changed = sum(a != b for a, b in zip(self.images, after.images))
            changed += abs(len(self.images) - len(after.images))
            changes.append(f"{changed} of {max(len(self.images), len(after.images))} image(s) "
                           f"({_join(self.images)} -> {_join(after.images)})")
        if self.svgs != after.svgs:
            changes.append(f"svg ({_join(self.svgs)} -> {_join(after.svgs)})")
        if self.text != after.text:
            old, new = _first_different_line(self.text, after.text)
            changes.append(f"text {_clip(old)!r} -> {_clip(new)!r}")
        return "; ".join(changes)


@dataclass
class ExplorerResult:
    """One explorer: which control moved it and what changed (empty when nothing did)."""

    notebook: str
    index: int
    control: str = ""
    change: str = ""
    tried: list[str] = field(default_factory=list)

    def line(self) -> str:
        tried = f"  [no change from: {', '.join(self.tried)}]" if self.tried else ""
        if self.change:
            return (f"{self.notebook}  explorer {self.index}  moved {self.control}  "
                    f"changed: {self.change}{tried}")
        return f"{self.notebook}  explorer {self.index}  NOTHING CHANGED{tried}"


def _image_bytes(src: str) -> bytes:
    """The bytes of a data-URI image; any other source (a blob: URL) as its text."""
    if src.startswith("data:") and ";base64," in src:
        return base64.b64decode(src.split(";base64,", 1)[1])
    return src.encode()


def _digest(data: bytes) -> str:
    return hashlib.sha1(data).hexdigest()[:8]


def _join(digests: tuple[str, ...]) -> str:
    return ",".join(digests) or "none"


def _clip(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[:width - 3] + "..."


def _first_different_line(old: str, new: str) -> tuple[str, str]:
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for i in range(max(len(old_lines), len(new_lines))):
        a = old_lines[i] if i < len(old_lines) else ""
        b = new_lines[i] if i < len(new_lines) else ""
        if a != b:
            return a, b
    return old, new


# --------------------------------------------------------------------------- JupyterLab
@dataclass
class Lab:
    """A running JupyterLab: where it answers and the token that opens it."""

    url: str
    token: str
    process: subprocess.Popen[bytes]

    def api(self, method: str, path: str) -> Any:
        """Call the server's REST API; returns the decoded JSON answer (None when empty)."""
        request = urllib.request.Request(f"{self.url}{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=30) as answer:
            body = answer.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self) -> None:
        """Shut down every kernel the server runs (the server waits for each to exit)."""
        for kernel in self.api("GET", "/api/kernels"):
            self.api("DELETE", f"/api/kernels/{kernel['id']}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _children(pid: int) -> dict[int, bytes]:
    """The processes whose parent is ``pid``, with their command lines (Linux /proc; none
    elsewhere)."""
    children = {}
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The second field, the command name, may hold spaces: split after its ')'.
            fields = entry.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                children[int(entry.parent.name)] = (entry.parent / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
    return children


def _command_line(pid: int) -> bytes | None:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes()
    except OSError:
        return None


def _kill_group(pgid: int, grace_s: float = 10.0) -> None:
    """SIGTERM the process group ``pgid``, then SIGKILL it if still there after grace_s."""
    try:
        os.killpg(pgid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@contextmanager
def jupyter_lab(root: Path, log_path: Path) -> Iterator[Lab]:
    """Start JupyterLab on ``root``; stop it, and every kernel it started, on exit."""
    port, token = _free_port(), secrets.token_hex(24)
    scratch = Path(tempfile.mkdtemp(prefix="browser-test-lab-"))
    settings = scratch / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # No news or update checks (they would reach the network and show a toast).
    (settings / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        f"--LabApp.workspaces_dir={scratch / 'workspaces'}",
        f"--LabApp.user_settings_dir={scratch / 'settings'}",
        "--LabApp.expose_app_in_browser=True",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)  # the kernel must draw inline, not with Agg into nothing
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env,
                                   cwd=root, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, process)
    try:
        deadline = time.monotonic() + SERVER_START_S
        while True:
            if process.poll() is not None:
                raise TestFailure(f"JupyterLab exited with status {process.returncode}; "
                                  f"see {log_path}")
            try:
                lab.api("GET", "/api/status")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise TestFailure(f"JupyterLab did not answer within {SERVER_START_S} s; "
                                      f"see {log_path}") from None
                time.sleep(0.5)
        yield lab
    finally:
        _stop_lab(lab)
        shutil.rmtree(scratch, ignore_errors=True)


def _stop_lab(lab: Lab) -> None:
    """Shut the kernels down, then stop the server's process group. Kernels run in process
    groups of their own, so any the server leaves behind are stopped by their ids."""
    if lab.process.poll() is None:
        try:
            lab.shutdown_kernels()
        except (OSError, urllib.error.URLError, ValueError):
            pass
    kernels = _children(lab.process.pid)
    _kill_group(lab.process.pid)
    for pid, command in kernels.items():
        if _command_line(pid) == command:  # still that kernel, not a reused process id
            _kill_group(pid, grace_s=2.0)
    try:
        lab.process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pass


# --------------------------------------------------------------------------- one notebook
def notebooks(chapters: list[str]) -> list[Path]:
    """Every solutions/NN-name/NN-name.ipynb, or those whose NN is in ``chapters``."""
    found = sorted(folder / f"{folder.name}.ipynb" for folder in (REPO / "solutions").iterdir()
                   if (folder / f"{folder.name}.ipynb").is_file())
    if chapters:
        found = [path for path in found if path.stem.split("-", 1)[0] in chapters]
    return found


class NotebookRun:
    """One notebook open in one browser page: run it, check it, move its explorers."""

    def __init__(self, page: Page, lab: Lab, copy: Path, name: str, out: Path) -> None:
        self.page, self.lab, self.name, self.out = page, lab, name, out
        self.path = copy.relative_to(REPO).as_posix()  # path as JupyterLab sees it
        self.console_errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"page error: {error}"))

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        text = message.text
        where = message.location.get("url", "") if message.location else ""
        if any(text.startswith(start) and where == url
               for start, url, _ in IGNORED_CONSOLE_ERRORS):
            return
        self.console_errors.append(f"console error: {text}" + (f" ({where})" if where else ""))

    # -- running
    def open(self) -> None:
        self.page.goto(f"{self.lab.url}/lab/tree/{self.path}?reset&token={self.lab.token}",
                       timeout=PAGE_LOAD_S * 1000)
        self.page.wait_for_selector(".jp-Notebook", timeout=PAGE_LOAD_S * 1000)
        self.page.evaluate(JS_WAIT_FOR_KERNEL, [self.path, PAGE_LOAD_S * 1000])

    def run_all(self) -> float:
        """Run every cell; returns the seconds it took."""
        start = time.monotonic()
        verdict = self.page.evaluate(JS_RUN_ALL, [self.path, RUN_ALL_S * 1000])
        if verdict == "timeout":
            raise TestFailure(f"{self.name}: cells still running after {RUN_ALL_S} s")
        self.wait_until_quiet(RUN_ALL_S)
        return time.monotonic() - start

    def wait_until_quiet(self, limit_s: float) -> None:
        """Until the kernel is idle and has said nothing for QUIET_S seconds."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            state = self.page.evaluate(JS_KERNEL_STATE)
            if state["status"] == "idle" and state["quietMs"] > QUIET_S * 1000:
                return
            time.sleep(0.25)
        raise TestFailure(f"{self.name}: the kernel was still busy after {limit_s:.0f} s")

    def check_outputs(self) -> list[str]:
        """Failures in the executed notebook: errors, cells not run, widgets not shown."""
        failures = []
        for cell in self.page.evaluate(JS_CODE_CELLS, self.path):
            if cell["source"].strip() and cell["count"] is None:
                failures.append(f"{self.name}: cell {cell['index']} was not executed "
                                f"({_clip(cell['source'])!r})")
            for error in cell["errors"]:
                failures.append(f"{self.name}: cell {cell['index']} raised {_clip(error, 200)}")
        for index, text in self.page.evaluate(JS_ERROR_OUTPUTS):
            last = text.strip().splitlines()[-1] if text.strip() else ""
            failures.append(f"{self.name}: cell {index} shows an error output: "
                            f"{_clip(last, 200)}")
        try:
            self.page.wait_for_function(f"() => ({JS_LOADING_WIDGETS})() === 0",
                                        timeout=WIDGETS_RENDER_S * 1000)
        except PlaywrightError:  # timed out
            count = self.page.evaluate(JS_LOADING_WIDGETS)
            failures.append(f"{self.name}: {count} widget(s) still 'Loading widget...' "
                            f"after {WIDGETS_RENDER_S} s")
        return failures

    # -- explorers
    def drawing(self, explorer: Locator) -> Drawing:
        return Drawing.from_page(explorer.evaluate(JS_DRAWING))

    def explore(self) -> tuple[list[ExplorerResult], list[str]]:
        """Move one control of every explorer; returns the results and the failures."""
        results: list[ExplorerResult] = []
        failures: list[str] = []
        found = self.page.evaluate(JS_FIND_EXPLORERS, CONTROL_KINDS)
        for spec in found:
            result = ExplorerResult(self.name, spec["index"])
            results.append(result)
            try:
                failure = self.explore_one(spec, result)
            except PlaywrightError as error:
                failure = f"{type(error).__name__}: {_clip(str(error), 200)}"
            if failure:
                failures.append(f"{self.name}: explorer {spec['index']} (cell {spec['cell']}) "
                                f"{failure}")
        return results, failures

    def explore_one(self, spec: dict[str, Any], result: ExplorerResult) -> str:
        """Try the explorer's controls in turn until one changes its drawing; fills in
        ``result`` and returns what failed ('' when a control changed the drawing)."""
        explorer = self.page.locator(f"[data-browser-test-explorer='{spec['index']}']")
        shot = self.out / f"{self.name}-explorer-{spec['index']}"
        explorer.scroll_into_view_if_needed()
        before = self.drawing(explorer)
        if before.is_empty():
            explorer.screenshot(path=f"{shot}-empty.png")
            return "draws nothing"
        explorer.screenshot(path=f"{shot}-before.png")
        for control in spec["controls"]:
            moved_at = self.page.evaluate("() => performance.now()")
            moved = self.move(explorer, control)
            if moved is None:
                continue
            after = self.settle(explorer, moved_at)
            explorer.screenshot(path=f"{shot}-after.png")
            change = before.difference(after)
            if change:
                result.control, result.change = moved, change
                return ""
            result.tried.append(moved)
        return "did not change whichever control moved"

    def settle(self, explorer: Locator, moved_at: float) -> Drawing:
        """The explorer's drawing once the redraw that a move started is over: the kernel has
        answered the move (a message after ``moved_at``, page time), is idle and quiet, and the
        drawing has stayed the same for QUIET_S. After CONTROL_CHANGE_S, whatever is shown."""
        deadline = time.monotonic() + CONTROL_CHANGE_S
        last, stable_since = self.drawing(explorer), time.monotonic()
        while time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.drawing(explorer)
            if now != last:
                last, stable_since = now, time.monotonic()
                continue
            state = self.page.evaluate(JS_KERNEL_STATE)
            answered = state["last"] > moved_at
            quiet = state["status"] == "idle" and state["quietMs"] > QUIET_S * 1000
            if answered and quiet and time.monotonic() - stable_since > QUIET_S and not (
                    now.is_empty() or explorer.evaluate(JS_DRAWING)["loading"]):
                return now
        return last

    def move(self, explorer: Locator, control: dict[str, Any]) -> str | None:
        """Move one control; returns what was done ('slider "k" 1 -> 2'), None if it cannot."""
        element = explorer.locator(f"[data-browser-test-control='{control['index']}']")
        kind, label = control["kind"], control["label"]
        name = f"{kind} {label!r}" if label else kind
        if not element.is_visible() or element.locator(":disabled").count():
            return None
        if kind == "slider":
            handle = element.locator(".noUi-handle").first
            readout = element.locator(".widget-readout")

            def value() -> str:
                if readout.count():
                    return readout.first.inner_text().strip()
                return handle.get_attribute("aria-valuenow") or "?"

            old = value()
            at_end = handle.get_attribute("aria-valuenow") == handle.get_attribute(
                "aria-valuemax")
            key = "ArrowLeft" if at_end else "ArrowRight"
            handle.focus()
            self.page.keyboard.press(key)
            self.page.wait_for_timeout(200)
            return f"{name} {old} -> {value()} ({key})"
        if kind in ("dropdown", "select"):
            select = element.locator("select").first
            options = select.locator("option").all_inner_texts()
            current = select.evaluate("s => s.selectedIndex")
            if len(options) < 2:
                return None
            target = (current + 1) % len(options)
            select.select_option(index=target)
            return f"{name} {options[current]!r} -> {options[target]!r}"
        if kind == "radio":
            choice = element.locator("input[type=radio]:not(:checked)").first
            if not choice.count():
                return None
            choice.check()
            return f"{name} -> {choice.evaluate('e => e.parentElement.textContent').strip()!r}"
        if kind == "toggle-buttons":
            button = element.locator("button:not(.mod-active)").first
            if not button.count():
                return None
            button.click()
            return f"{name} -> {button.inner_text().strip()!r}"
        if kind in ("toggle", "checkbox"):
            target = element.locator("input[type=checkbox]").first if kind == "checkbox" \
                else element
            target.click()
            return f"{name} clicked"
        if kind == "text":
            box = element.locator("input").first
            old = box.input_value()
            if box.get_attribute("type") == "number":
                top = box.get_attribute("max")
                step = -1 if top is not None and old and float(old) >= float(top) else 1
                new = str(int(float(old or 0)) + step)
            elif box.get_attribute("list"):  # a combobox: another of its options
                options = element.locator("datalist option").evaluate_all(
                    "options => options.map(o => o.value)")
                others = [option for option in options if option != old]
                if not others:
                    return None
                new = others[0]
            else:
                return None  # free text: nothing sensible to type
            box.fill(new)
            box.press("Enter")
            return f"{name} {old!r} -> {new!r}"
        return None

    def failures_from_console(self) -> list[str]:
        return [f"{self.name}: {_clip(error, 300)}" for error in self.console_errors]


def run_notebook(browser: Browser, lab: Lab, notebook: Path, out: Path) -> tuple[
        list[ExplorerResult], list[str]]:
    """Open a copy of ``notebook`` in a fresh browser context; returns results, failures."""
    name = notebook.stem
    folder = Path(tempfile.mkdtemp(prefix="notebooks-", dir=out))
    copy = folder / notebook.name
    shutil.copyfile(notebook, copy)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    # Offline, like every test of the course: only the local server answers.
    context.route(re.compile(rf"^(?!{re.escape(lab.url)}/)"), lambda route: route.abort())
    page = context.new_page()
    run = NotebookRun(page, lab, copy, name, out)
    results: list[ExplorerResult] = []
    failures: list[str] = []
    try:
        run.open()
        seconds = run.run_all()
        print(f"{name}: ran all cells in {seconds:.0f} s", flush=True)
        failures += run.check_outputs()
        results, explore_failures = run.explore()
        failures += explore_failures
        if not results:
            failures.append(f"{name}: no explorer found")
    except TestFailure as failure:
        failures.append(str(failure))
    except PlaywrightError as error:  # a timeout or a crashed page: report it, go on
        failures.append(f"{name}: {type(error).__name__}: {_clip(str(error), 300)}")
    finally:
        failures += run.failures_from_console()
        if failures:
            try:
                page.screenshot(path=str(out / f"{name}-failure.png"), full_page=True)
            except PlaywrightError as error:
                print(f"{name}: no failure screenshot ({_clip(str(error), 100)})")
        context.close()
        try:
            lab.shutdown_kernels()
        except (OSError, urllib.error.URLError, ValueError):
            pass
        shutil.rmtree(folder, ignore_errors=True)
    return results, failures


# --------------------------------------------------------------------------- main
def _terminate(signum: int, frame: FrameType | None) -> None:
    """SIGTERM ends the run like Ctrl-C, so that the clean-up in `finally` blocks runs."""
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", help="chapter numbers to test (default: all)")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium binary")
    parser.add_argument("--out", type=Path, default=REPO / "build" / "browser",
                        help="folder for screenshots and the server log (default: %(default)s)")
    args = parser.parse_args(argv)

    if not os.access(args.chromium, os.X_OK):
        print(f"browser test: no Chromium at {args.chromium} (Debian package 'chromium')",
              file=sys.stderr)
        return 2
    if PLAYWRIGHT_MISSING is not None:
        print(f"browser test: Playwright is missing ({PLAYWRIGHT_MISSING}); "
              "pip install playwright", file=sys.stderr)
        return 2
    chosen = notebooks(args.chapters)
    if not chosen:
        print(f"browser test: no solution notebook matches {args.chapters}", file=sys.stderr)
        return 2

    out = args.out.resolve()
    if not out.is_relative_to(REPO):
        parser.error("--out must lie inside the repository (JupyterLab serves the copies)")
    out.mkdir(parents=True, exist_ok=True)
    for stale in out.glob("notebooks-*"):  # copies left by an interrupted run
        shutil.rmtree(stale, ignore_errors=True)
    for stale in out.glob("*.png"):  # screenshots of an earlier run
        stale.unlink()

    signal.signal(signal.SIGTERM, _terminate)
    start = time.monotonic()
    results: list[ExplorerResult] = []
    failures: list[str] = []
    try:
        with jupyter_lab(REPO, out / "jupyter.log") as lab, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=args.chromium, headless=True,
                                                 args=["--disable-gpu"])
            try:
                for notebook in chosen:
                    if time.monotonic() - start > TOTAL_S:
                        failures.append(f"{notebook.stem}: not run, the whole test is past "
                                        f"its {TOTAL_S} s")
                        print(f"FAIL {failures[-1]}", flush=True)
                        continue
                    found, failed = run_notebook(browser, lab, notebook, out)
                    for result in found:
                        print(result.line(), flush=True)
                    for failure in failed:
                        print(f"FAIL {failure}", flush=True)
                    results += found
                    failures += failed
            finally:
                browser.close()
    except TestFailure as failure:  # JupyterLab did not start
        failures.append(str(failure))
        print(f"FAIL {failure}", flush=True)

    moved = sum(bool(result.change) for result in results)
    print(f"browser test: {len(chosen)} notebook(s), {moved}/{len(results)} explorer(s) "
          f"changed when a control moved, {len(failures)} failure(s), "
          f"{time.monotonic() - start:.0f} s; screenshots in {out}")
    return 1 if failures else 0

if __name__ == "__main__":
    sys.exit(main())
