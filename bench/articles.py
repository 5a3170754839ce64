"""Generated articles for the benchmarks: Markdown prose drawn from the reference article."""

import os
import random
import re
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = re.findall(
    r"[A-Za-z][a-z]+",
    (ROOT / "content").joinpath("why-open-source-ai-models-are-winning-in-2026.md").read_text(),
)
FEW_TAGS = ["AI", "Latency", "Open Source", "Databases", "Caching", "Python", "Ops", "Design"]


def prose(rng: random.Random, words: int) -> str:
    """Markdown of about ``words`` words: paragraphs, headings, a list, code and a table."""
    parts, count = [], 0
    while count < words:
        if count and count % 600 < 120:
            parts.append(f"## {rng.choice(WORDS).title()} {rng.choice(WORDS)}")
        parts.append(" ".join(rng.choices(WORDS, k=120)) + ".")
        count += 120
    parts += [
        "- one\n- two\n- three",
        "```python\nprint(sum([12, 38, 96]))\n```",
        "| step | ms |\n|---|---|\n| DNS | 12 |\n| TLS | 38 |",
    ]
    return "\n\n".join(parts)


def generate(
    target: Path, count: int, words: int = 500, tags: list[str] = FEW_TAGS, per_article: int = 2
) -> None:
    """The shipped articles plus ``count`` generated ones of about ``words`` words, each with
    ``per_article`` of ``tags``, dates spread over ten years, files dated a day back as on a
    real server (settled, so read once)."""
    shutil.copytree(ROOT / "content", target)
    rng = random.Random(count)
    for n in range(count):
        chosen = ", ".join(rng.sample(tags, per_article))
        day = f"{2015 + n % 10}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        path = target / f"generated-{n:05d}.md"
        path.write_text(
            f"---\ntitle: Generated article {n}\ndate: {day}\ntags: [{chosen}]\n---\n"
            + prose(rng, words)
        )
        os.utime(path, (time.time() - 86400,) * 2)


def many_tags(count: int = 200) -> list[str]:
    """``count`` distinct tag names, as a large site has."""
    return [f"Topic {n}" for n in range(count)]
