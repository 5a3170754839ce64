"""A clock that moves only when a test moves it, for code that takes a ``clock``."""

import time


class FakeClock:
    """Starts at the real time, so files written by the test have sensible mtimes against it."""

    def __init__(self) -> None:
        self.now = time.time()
        self.elapsed = 1000.0  # monotonic: any start will do, as long as it is not 0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.elapsed

    def advance(self, seconds: float) -> None:
        self.now += seconds
        self.elapsed += seconds
