"""Input made to hurt: shared by the tests that show each kind costs only what it should."""


def billion_laughs(levels: int = 9) -> str:
    """YAML whose last key expands to 9 ** ``levels`` values if aliases are followed as a tree:
    a few hundred bytes, gigabytes once walked."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"
