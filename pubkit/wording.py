"""Counts in messages: "1 copy", "2 copies", "1,200 segments"."""


def counted(number: int, one: str, many: str) -> str:
    return f"{number:,} {one if number == 1 else many}"
