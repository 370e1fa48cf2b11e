"""Executing the chapters: the analysis computed once, the chapters in warm kernels side by side.

Left to itself, Jupyter Book executes each chapter in a kernel of its own, one after another, and
each kernel imports the package and recomputes the analysis that the previous one computed. A
build does this instead:

1. The build process computes the :class:`~blina_analysis.analyses.Analysis` of the dataset once
   (every result of ``results.json`` with it) and pickles it into the staging folder
   (:func:`save_analysis`). Chapters find it through ``$BLINA_ANALYSIS_PICKLE``:
   :func:`blina_analysis.book.analysis` loads it (:func:`load_analysis`) when its data
   fingerprint equals that of the files the build reads, and computes afresh otherwise.
2. Every chapter that the execution cache does not already hold is executed in one of a few warm
   kernels (:func:`prime_cache`; one per core, :func:`default_kernels`), started while the
   analysis is computed; each kernel takes the next chapter when it is free, the longest first,
   each chapter in its own folder as Jupyter Book would. The executed notebooks are stored in the
   same jupyter-cache under the hash myst-nb computes (the notebook as myst-nb's reader reads it,
   no timing metadata), so Jupyter Book finds every chapter cached and only renders.

A chapter that fails here is left out of the cache: Jupyter Book then executes it in a kernel of
its own and reports the failure as usual (chapter, cell, exception), so the failure path is the one
the build has always had. Ctrl-C (SIGINT, which reaches the build's main thread) kills the kernels
at once and is raised again, so the build stops.
"""

from __future__ import annotations

import copy
import os
import pickle
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["ANALYSIS_ENV", "KERNELS_ENV", "MAX_KERNELS", "ExecutionReport", "save_analysis",
           "load_analysis", "default_kernels", "prime_cache"]

#: Environment variable naming the pickled analysis of this build.
ANALYSIS_ENV = "BLINA_ANALYSIS_PICKLE"
#: Environment variable setting how many kernels execute chapters side by side.
KERNELS_ENV = "BLINA_KERNELS"
#: At most this many kernels by default (each holds the analysis and matplotlib in memory).
MAX_KERNELS = 4
#: The jupyter-cache reader myst-nb uses for MyST Markdown notebooks.
_MYST_READER = {"type": "plugin", "name": "myst_nb_md"}


@dataclass
class ExecutionReport:
    """Which chapters were executed here, found in the cache, or left to Jupyter Book."""

    executed: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def save_analysis(an, path: Path) -> Path:
    """Pickle ``an`` (with everything it has computed) with its data fingerprint to ``path``."""
    payload = {"fingerprint": an.dataset.fingerprint, "analysis": an}
    path.write_bytes(pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))
    return path


def load_analysis(path: str | os.PathLike, data_dir: Path):
    """The pickled analysis at ``path`` if it was computed from the files now in ``data_dir``.

    Returns ``None`` when there is no such file or the data changed since it was written.
    """
    try:
        payload = pickle.loads(Path(path).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    an = payload.get("analysis")
    if an is None or Path(an.dataset.path).resolve() != Path(data_dir).resolve():
        return None
    if an.dataset.fingerprint != payload.get("fingerprint"):  # re-reads the files
        return None
    return an


def _read_notebook(path: Path):
    import nbformat

    if path.suffix == ".md":
        from myst_nb.core.read import read_myst_markdown_notebook

        return read_myst_markdown_notebook(path.read_text(encoding="utf-8"),
                                           add_source_map=True, path=path)
    return nbformat.read(path, as_version=4)


class _WarmKernel:
    """One kernel, started on first use, in which notebooks run one after another."""

    def __init__(self, env: dict, cwd: Path, warm_up: str | None = None):
        self._env, self._cwd, self._warm_up = env, cwd, warm_up
        self._km, self._kc, self._client = None, None, None
        # kill() and the start of the kernel exclude each other: a kernel is either killed or
        # never started (Ctrl-C may come while its thread starts it)
        self._lock, self._killed = threading.Lock(), False

    def start(self, timeout: int = 60) -> None:
        """Start the kernel and connect to it, once: its notebooks share one client, because a
        client waits about 0.2 s to see the kernel ready (jupyter_client waits for its output
        channel to fall quiet), and a new client for each notebook, twice (nbclient makes its
        own), cost about 0.4 s of idle waiting per chapter."""
        with self._lock:
            if self._killed:
                raise RuntimeError("the kernel was killed")
            if self._km is None:
                from jupyter_client.manager import KernelManager

                # CurveZMQ-encrypted sockets: the kernel then has no reason to warn (on stderr,
                # i.e. to the user) that it runs over TCP in plain text
                self._km = KernelManager(kernel_name="python3", transport_encryption="auto")
                self._km.start_kernel(env=self._env, cwd=str(self._cwd))
        if self._kc is None:  # (a kernel killed meanwhile makes the wait fail at once)
            kc = self._km.client()
            kc.start_channels()
            kc.wait_for_ready(timeout=timeout)
            kc.allow_stdin = False  # as nbclient sets its own clients
            self._kc = kc
            if self._warm_up:  # (an error here shows again, and is reported, in a chapter)
                kc.execute_interactive(self._warm_up, silent=True, timeout=timeout)

    def run(self, nb, folder: Path, timeout: int, env: dict | None = None) -> None:
        from nbclient import NotebookClient

        self.start(timeout)
        # each chapter in its own folder, as Jupyter Book runs it, and with its own variables
        # (its language: one warm kernel runs the chapters of every language; silent: no cell
        # numbers)
        self._kc.execute_interactive(f"import os as _os; _os.chdir({str(folder)!r}); "
                                     f"_os.environ.update({dict(env or {})!r}); del _os",
                                     silent=True, timeout=timeout)
        # shell_timeout_interval: how often a wait for a cell checks that the kernel still lives
        # (a killed kernel, on Ctrl-C, is noticed within a second)
        self._client = NotebookClient(nb, km=self._km, timeout=timeout, allow_errors=False,
                                      record_timing=False, shell_timeout_interval=1)
        self._client.kc = self._kc  # not a client of its own (and not closed: the kernel's)
        self._client.execute()
        code = [c for c in nb.cells if c.cell_type == "code"]
        for number, cell in enumerate(code, 1):  # as a kernel of its own would number them
            cell.execution_count = number
            for out in cell.get("outputs", []):
                if "execution_count" in out:
                    out["execution_count"] = number

    def kill(self) -> None:
        """Kill the kernel and whatever it started, at once (from any thread; Ctrl-C)."""
        import atexit
        import signal

        with self._lock:
            self._killed = True
            if self._client is not None:  # nbclient's own clean-up at exit would fail on it
                atexit.unregister(self._client._cleanup_kernel)
            process = getattr(getattr(self._km, "provisioner", None), "process", None)
            if process is not None and process.poll() is None:
                try:  # the kernel leads a process group of its own (jupyter_client starts it so)
                    os.killpg(process.pid, signal.SIGKILL)
                except OSError:
                    process.kill()

    def close(self) -> None:
        if self._kc is not None:
            self._kc.stop_channels()
            self._kc = None
        if self._km is not None:
            try:
                self._km.shutdown_kernel(now=True)
            except Exception:  # noqa: BLE001 - already gone (killed on Ctrl-C)
                pass


def default_kernels() -> int:
    """How many kernels execute chapters side by side: one per core this process may use (at
    most :data:`MAX_KERNELS`), or ``$BLINA_KERNELS``."""
    if os.environ.get(KERNELS_ENV, "").strip().isdigit():
        return max(1, int(os.environ[KERNELS_ENV]))
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, MAX_KERNELS))


def _expected_seconds(cache, paths: list[Path]) -> dict[Path, float]:
    """How long each notebook took when it was last executed into this cache (0 if never)."""
    seconds = {path: 0.0 for path in paths}
    try:
        records = sorted(cache.list_cache_records(), key=lambda r: r.created)
    except Exception:  # noqa: BLE001 - a hint only
        return seconds
    for record in records:  # the latest record of a notebook wins
        for path in paths:
            tail = "/" + "/".join(path.parts[-2:])
            if str(record.uri).endswith(tail) and "execution_seconds" in (record.data or {}):
                seconds[path] = float(record.data["execution_seconds"])
    return seconds


def _execute_side_by_side(todo, kernels: int, env: dict, cwd: Path, timeout: int,
                          before_first, on_start, on_done,
                          env_of: Callable[[Path], dict] | None = None,
                          warm_up: str | None = None) -> list[int]:
    """Execute the notebooks ``todo`` (``[(index, path, nb)]``, in the order to start them) in
    ``kernels`` warm kernels, each taking the next notebook when it is free.

    ``on_start(index)`` and ``on_done(index, executed_nb, seconds)`` are called in this (the
    calling) thread. A notebook that fails is not retried, and the next notebook its kernel takes
    runs in a fresh kernel; returns the indices of the failed notebooks and of those not started
    (a kernel that could not start). Ctrl-C (KeyboardInterrupt, which arrives in
    this thread) kills the kernels and is raised again.
    """
    waiting = queue.SimpleQueue()
    for item in todo:
        waiting.put(item)
    events: queue.SimpleQueue = queue.SimpleQueue()
    go, stop = threading.Event(), threading.Event()
    pool = [_WarmKernel(env, cwd, warm_up) for _ in range(min(kernels, len(todo)))]

    def work(slot: int) -> None:
        # nbclient, run here outside the main thread, installs no SIGINT handler of its own:
        # Ctrl-C reaches the main thread, which stops the build
        try:
            pool[slot].start()
            go.wait()
            while not stop.is_set():
                try:
                    index, path, nb = waiting.get_nowait()
                except queue.Empty:
                    return
                events.put(("start", index, None, 0.0))
                executed = copy.deepcopy(nb)
                t0 = time.monotonic()
                try:
                    pool[slot].run(executed, path.parent, timeout,
                                   env_of(path) if env_of is not None else None)
                except Exception:  # noqa: BLE001 - Jupyter Book re-runs it and reports the cell
                    events.put(("failed", index, None, 0.0))
                    # the next notebook gets a fresh kernel (this one may be dead or left in a
                    # broken state); the others still run here, so that Jupyter Book, which
                    # would execute each in a cold kernel of its own, finds them cached
                    pool[slot].close()
                    pool[slot] = _WarmKernel(env, cwd, warm_up)
                    continue
                events.put(("done", index, executed, time.monotonic() - t0))
        except BaseException:  # noqa: BLE001 - a kernel that cannot start: its chapters are
            events.put(("failed", None, None, 0.0))  # left to Jupyter Book
        finally:
            pool[slot].close()
            events.put(("exit", None, None, 0.0))

    threads = [threading.Thread(target=work, args=(i,), name=f"blina-kernel-{i}", daemon=True)
               for i in range(len(pool))]
    failed: list[int] = []
    try:
        for thread in threads:
            thread.start()
        if before_first is not None:
            before_first()
        go.set()
        running = len(threads)
        while running:
            try:
                kind, index, executed, seconds = events.get(timeout=0.5)
            except queue.Empty:
                continue
            if kind == "start":
                on_start(index)
            elif kind == "done":
                on_done(index, executed, seconds)
            elif kind == "failed":
                if index is not None:
                    failed.append(index)
            else:
                running -= 1
    except BaseException:
        stop.set()
        go.set()
        for kernel in pool:
            kernel.kill()
        # the threads notice their dead kernels within seconds and end (daemons: the build does
        # not wait for them longer); a kernel started meanwhile is shut down by its thread, or
        # ends itself when this process has ended (ipykernel watches its parent)
        deadline = time.monotonic() + 1
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()))
        for kernel in pool:
            kernel.kill()
        raise
    while True:
        try:
            failed.append(waiting.get_nowait()[0])
        except queue.Empty:
            break
    return sorted(failed)


def prime_cache(notebooks: list[Path], cache_dir: Path, env: dict, *, timeout: int = 600,
                before_first: Callable[[], None] | None = None,
                echo: Callable[[str], None] = print, started: float | None = None,
                label: Callable[[Path], str] = str, kernels: int | None = None,
                env_of: Callable[[Path], dict] | None = None,
                warm_up: str | None = None) -> ExecutionReport:
    """Execute every notebook the cache at ``cache_dir`` does not hold, in warm kernels; cache them.

    ``kernels`` warm kernels (default :func:`default_kernels`) execute the notebooks side by
    side, each taking the next one when it is free, the longest first (as long as it took when
    last executed into this cache, else the longest source); one kernel takes them in order.
    ``before_first`` runs after the kernels have been started and before the first notebook is
    executed (the build computes the analysis there, while the kernels start and run
    ``warm_up``, code that imports what the chapters will import). A failing notebook is left to
    Jupyter Book, which executes it again and reports the failing cell; every other one is still
    executed here (Jupyter Book would execute each in a cold kernel of its own before it stops at
    the failure). Ctrl-C stops the kernels and raises KeyboardInterrupt.
    """
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    started = time.monotonic() if started is None else started
    report = ExecutionReport()
    cache = get_cache(str(cache_dir))
    todo = []
    for index, path in enumerate(notebooks):
        nb = _read_notebook(path)
        if not any(cell.cell_type == "code" for cell in nb.cells):
            continue  # nothing to execute (myst-nb does not execute it either)
        try:
            cache.match_cache_notebook(nb)
            report.cached.append(label(path))
        except KeyError:
            todo.append((index, path, nb))
    if not todo:
        if before_first is not None:
            before_first()
        return report
    kernels = kernels or default_kernels()
    if kernels > 1:  # longest first, so that the last to finish is a short one
        expected = _expected_seconds(cache, [path for _, path, _ in todo])
        # never executed into this cache: the longest source first
        todo.sort(key=lambda item: (-expected[item[1]], -item[1].stat().st_size, item[0]))
    paths = {index: path for index, path, _ in todo}
    executed_at: dict[int, float] = {}

    def on_start(index: int) -> None:
        executed_at[index] = time.monotonic()
        echo(f"  [{time.monotonic() - started:5.1f} s] executing {label(paths[index])}")

    def on_done(index: int, executed, seconds: float) -> None:
        path = paths[index]
        record = cache.add_nb_to_project(str(path),
                                         read_data=_MYST_READER if path.suffix == ".md" else None)
        cache.cache_notebook_bundle(
            CacheBundleIn(executed, record.uri, data={"execution_seconds": seconds}),
            check_validity=False, overwrite=True)
        report.executed.append(label(path))
        echo(f"  [{time.monotonic() - started:5.1f} s] executed {label(path)} in {seconds:.1f} s")

    failed = _execute_side_by_side(todo, kernels, env,
                                   notebooks[0].parent, timeout, before_first, on_start, on_done,
                                   env_of, warm_up)
    order = {label(path): i for i, path in enumerate(notebooks)}
    report.executed.sort(key=order.__getitem__)
    report.failed = [label(paths[index]) for index in failed]
    return report
