"""Rewrite the configuration table in README.md from ``settings.Settings``.

Run after adding or changing a setting: ``.venv/bin/python scripts/settings_table.py``.
``tests/test_settings.py`` fails while the README's table and the settings differ.
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from settings import readme_table  # noqa: E402


def main() -> None:
    readme = ROOT / "README.md"
    text = readme.read_text()
    section = text.index("\n## Configuration\n")
    start = text.index("| variable |", section)
    end = text.index("\n\n", start)
    readme.write_text(text[:start] + readme_table() + text[end + 1 :])


if __name__ == "__main__":
    main()
