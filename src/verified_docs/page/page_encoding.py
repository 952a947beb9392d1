"""Refuse a page that is not valid UTF-8, naming the line of the first bad byte."""

from pathlib import Path


def utf8_problem(path: Path, where: str) -> str | None:
    """`where:LINE: ...` when the file at `path` is not valid UTF-8, else None."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        column = error.start - data.rfind(b"\n", 0, error.start)
        return (
            f"{where}:{line}: not valid UTF-8 (byte {data[error.start]:#04x} at column "
            f"{column}); save the page as UTF-8"
        )
    return None
