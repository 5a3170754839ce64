"""What only the benchmarks need of a server: a site's environment and its workers' memory."""

import re
from dataclasses import dataclass
from pathlib import Path

SITE_URL = "http://insights.example.org"


def site_env(content: Path, **extra: str) -> dict[str, str]:
    """The environment of a site over ``content``, plus ``extra`` settings."""
    return {"INSIGHTS_CONTENT_DIR": str(content), "INSIGHTS_SITE_URL": SITE_URL, **extra}


def workers_of(master: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{master}/task").iterdir():
        found += [int(pid) for pid in (task / "children").read_text().split()]
    return found


@dataclass
class Memory:
    rss: float  # MB resident, shared pages (libraries, preloaded code) included
    private: float  # MB resident in this process only: what one more worker costs


def memory(pid: int) -> Memory:
    rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    kb = {name: int(value) for name, value in re.findall(r"^(\w+):\s+(\d+) kB", rollup, re.M)}
    return Memory(kb["Rss"] / 1024, (kb["Private_Clean"] + kb["Private_Dirty"]) / 1024)


def biggest_worker(master: int) -> Memory:
    return max((memory(pid) for pid in workers_of(master)), key=lambda m: m.rss)
