"""Work done in a child process that is killed when it runs past its time budget.

Python cannot stop a thread from outside, and a thread stuck in quadratic Markdown holds its
worker's GIL; a child process can be killed, and waiting on it leaves the GIL to the threads
that serve cached pages.

Each call has a child of its own, talked to over a pipe by the calling thread itself: measured
against a pool library that hands work through manager threads, this adds no measurable time
to a render (``bench/render_budget.py``). Idle children are kept for the next call. Children
are forked from a forkserver, not from the caller: a gunicorn worker runs several threads, and
a fork of it could inherit a lock another thread holds. Everything is created on first use and
belongs to the process that created it, so a gunicorn master that preloads the app starts
nothing for its workers to inherit.
"""

import multiprocessing
import os
import threading
import traceback
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any, TypeVar

T = TypeVar("T")
PROOF_SECONDS = 30.0  # for a first child to answer: far more than starting one ever takes


class OverBudget(Exception):
    """The work ran longer than its budget; the child doing it was killed."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"stopped after {seconds:g} s")
        self.seconds = seconds


class ChildLost(Exception):
    """The work was not done for a reason of the child process, not of the work itself: the
    same call may well succeed later, so its failure must not be kept as its result."""


class ChildDied(ChildLost):
    """The child doing the work ended before answering (killed from outside, out of memory)."""

    def __init__(self, exitcode: int | None) -> None:
        super().__init__(f"the worker process ended with exit code {exitcode}")
        self.exitcode = exitcode


class NoChildStarted(ChildLost):
    """No child could be started for this call (fork refused: too many processes, no memory)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(f"no worker process could be started ({error})")


class NoChildren(Exception):
    """Child processes cannot run here: the first one started died or hung before answering.

    Children re-import the main module, as under ``spawn``; a main module that cannot be
    imported again (a script read from stdin) or that does its work on import kills them.
    """


class RemoteTraceback(Exception):
    """The traceback of an exception raised in a child, as text: the cause of the re-raised one."""

    def __str__(self) -> str:
        return str(self.args[0])


def _serve(connection: Connection) -> None:
    """A child's loop: run each (function, args) it is sent and send back what came of it."""
    while True:
        try:
            function, args = connection.recv()
        except EOFError:  # the parent is gone
            return
        try:
            answer: tuple[Any, ...] = (True, function(*args))
        except Exception as exc:
            answer = (False, exc, traceback.format_exc())
        try:
            connection.send(answer)
        except Exception as exc:  # the value or exception would not pickle
            connection.send((False, RuntimeError(repr(exc)), traceback.format_exc()))


class _Child:
    def __init__(self, context: multiprocessing.context.BaseContext) -> None:
        self.connection, theirs = context.Pipe()
        self.process = context.Process(target=_serve, args=(theirs,), daemon=True)
        try:
            self.process.start()
        except BaseException:  # a refused fork must not leak this pipe's descriptors
            self.connection.close()
            raise
        finally:
            theirs.close()

    def call(self, seconds: float, function: Callable[..., Any], args: tuple[Any, ...]) -> tuple:
        try:
            self.connection.send((function, args))
            if not self.connection.poll(seconds):
                raise OverBudget(seconds)
            return self.connection.recv()
        except (EOFError, OSError):  # the pipe broke: the child is gone
            self.process.join(1)
            raise ChildDied(self.process.exitcode) from None

    def idle_and_alive(self) -> bool:
        """Whether this idle child can take work. One killed while idle (``kill -9``, the
        out-of-memory killer) has closed its end of the pipe, which then reads as ready: an idle
        child sends nothing unasked, so anything readable means it is gone."""
        try:
            return not self.connection.poll(0)
        except OSError:
            return False

    def kill(self) -> None:
        self.process.kill()
        self.process.join()
        self.connection.close()


class ChildPool:
    """Runs functions in child processes, each call stopped at its budget.

    ``preload`` names modules the forkserver imports once, so that a new child starts with them
    loaded instead of importing them on its first call. At most ``keep_idle`` idle children are
    kept; a call finding none idle starts one, so calls never queue behind each other.
    """

    def __init__(self, preload: Sequence[str] = (), keep_idle: int = 2) -> None:
        self._preload = list(preload)
        self._keep_idle = keep_idle
        self._lock = threading.Lock()
        self._pid = 0
        self._idle: list[_Child] = []
        self._proven: bool | None = None  # whether children work in this process

    def _context(self) -> multiprocessing.context.BaseContext:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(self._preload)  # read only when the server starts
        return context

    def _take(self) -> _Child:
        found: _Child | None = None
        dead: list[_Child] = []
        with self._lock:
            if self._pid != os.getpid():  # children of the parent process are not ours
                self._pid, self._idle, self._proven = os.getpid(), [], None
            while self._idle:
                child = self._idle.pop()
                if child.idle_and_alive():
                    found = child
                    break
                dead.append(child)
            proven = self._proven
        for child in dead:  # handing one out would fail its call with ChildDied
            child.process.join(1)  # its exit code, so that kill() signals no reused pid
            child.kill()
        if found is not None:
            return found
        try:
            child = _Child(self._context())
        # Fork refused (EAGAIN, ENOMEM): the machine, not the work. Refused to the forkserver,
        # it ends, and the pipe it would have answered on closes: EOFError here.
        except (OSError, EOFError) as exc:
            raise NoChildStarted(exc) from exc
        if proven is None:
            proven = self._prove(child)
        if not proven:
            child.kill()
            raise NoChildren("child processes die before they answer in this process")
        return child

    def _prove(self, child: _Child) -> bool:
        """Whether a first child answers at all; said once per process."""
        try:
            child.call(PROOF_SECONDS, os.getpid, ())
        except (ChildDied, OverBudget):
            proven = False
        else:
            proven = True
        with self._lock:
            self._proven = proven
        return proven

    def _give_back(self, child: _Child) -> None:
        with self._lock:
            if self._pid == os.getpid() and len(self._idle) < self._keep_idle:
                self._idle.append(child)
                return
        child.kill()

    def run(self, seconds: float, function: Callable[..., T], *args: Any) -> T:
        """``function(*args)`` (a module-level function: it is pickled) in a child process.

        Raises ``OverBudget`` once ``seconds`` have passed, with the child killed;
        ``ChildDied`` if the child ended without answering; ``NoChildStarted`` if no child
        could be started for this call; ``NoChildren`` if no child can run in this process at
        all; else what ``function`` raised.
        """
        child = self._take()
        try:
            answer = child.call(seconds, function, args)
        except BaseException:  # over budget, ended, or interrupted while waiting: kill it
            child.kill()
            raise
        self._give_back(child)
        if answer[0]:
            return answer[1]
        _, exc, text = answer
        raise exc from RemoteTraceback(text)
