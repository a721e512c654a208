"""Where the ingest's partition tasks run: in this process, in local worker processes, or as Dask
tasks on a cluster.

Every engine runs the same task functions of rukp.ingest.pipeline over the same partitions and
gives their results back in partition order, so the output does not depend on the engine or on
the number of workers. Tasks read and write files only under the raw folder and a work folder
inside the output folder: on a Dask cluster both must be on a path every worker sees.

- Serial: in this process (one worker, or a single partition).
- Processes: a multiprocessing pool (forkserver where the platform has it, else spawn; never
  fork, which would copy a loaded fastText model and open files). Each process loads the models
  once, on its first page, and keeps its own bounded caches.
- Dask: a dask.distributed Client (a scheduler address or a scheduler file); an optional
  dependency (`pip install 'rukp[dask]'`).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

from rukp.errors import RukpError

T = TypeVar("T")
R = TypeVar("R")

DASK_INSTALL = "pip install 'rukp[dask]'  (or: pip install dask distributed)"


class MissingDependency(ImportError):
    """An optional dependency is not installed; the message names the install command."""


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class Engine(Protocol):
    name: str
    workers: int

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """fn over items; results in the order of items."""
        ...

    def close(self) -> None: ...


class Serial:
    name = "serial"
    workers = 1

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        return map(fn, items)

    def close(self) -> None:
        pass


class Processes:
    """A pool of `workers` local processes."""

    name = "processes"

    def __init__(self, workers: int) -> None:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if ctx.get_start_method() == "forkserver":
            # imported once in the fork server, so that each worker starts in milliseconds
            ctx.set_forkserver_preload(["rukp.ingest.pipeline"])
        self.workers = workers
        self._pool = ctx.Pool(workers)

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        return self._pool.imap(fn, items, chunksize=1)

    def close(self) -> None:
        self._pool.terminate()
        self._pool.join()


def _folders_seen(folders: list[str]) -> bool:
    return all(os.path.isdir(f) for f in folders)


def dask_client(scheduler: Any) -> Any:
    """A dask.distributed Client for `scheduler`: a Client (used as it is), a scheduler address
    ("tcp://host:8786") or a scheduler file (JSON, as `dask scheduler --scheduler-file` writes)."""
    try:
        from dask.distributed import Client
    except ImportError as exc:
        raise MissingDependency(
            f"running the ingest on Dask needs dask and distributed: {DASK_INSTALL}"
        ) from exc
    if isinstance(scheduler, Client):
        return scheduler
    text = str(scheduler)
    if text.endswith(".json") and Path(text).is_file():
        return Client(scheduler_file=text)
    return Client(text)


class Dask:
    """Tasks on a Dask cluster: one task per partition, results gathered in partition order."""

    name = "dask"

    def __init__(self, scheduler: Any) -> None:
        self._client = dask_client(scheduler)
        self._own = self._client is not scheduler
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))

    def check_paths(self, *folders: str) -> None:
        """Every worker must see the raw and work folders: a `path-not-shared` incident naming
        the workers that do not."""
        seen = self._client.run(_folders_seen, list(folders))
        blind = sorted(w for w, ok in seen.items() if not ok)
        if blind:
            raise RukpError.single(
                "path-not-shared",
                f"Dask workers {', '.join(blind)} do not see {' or '.join(folders)}",
                hint="put --raw and --out on a file system every worker mounts at the same path",
            )

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        futures = self._client.map(fn, items, pure=False)
        try:
            for i in range(len(futures)):
                yield futures[i].result()
                futures[i] = None  # release the result on the cluster
        finally:
            self._client.cancel([f for f in futures if f is not None])

    def close(self) -> None:
        if self._own:
            self._client.close()
