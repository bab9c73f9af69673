"""Reading a user's JSON file (drawing, intake, rules) with one clear line per problem.

Every reader of a user-supplied JSON file goes through here so that a missing file, a folder,
an unreadable path, non-UTF-8 bytes and broken JSON get the same wording everywhere, and the
message never quotes the file's content.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from myomap.domain.errors import UsageError

# Far above any drawing, intake or rules file; a device like /dev/zero never ends.
MAX_BYTES = 20_000_000


def read_json_file(path: Path, what: str, *, give: str, not_found: str = "") -> Any:
    """Parse ``path``; ``what`` names the kind of file ("Drawing"), ``give`` what to pass
    instead of a folder, ``not_found`` a hint appended to the missing-file message.

    At most :data:`MAX_BYTES` are read, and JSON nested deeper than Python's parser can follow
    is refused like any other malformed file.
    """
    try:
        return json.loads(read_limited(path, what, give=give).decode("utf-8"))
    except RecursionError:
        raise UsageError(
            f"{what} file {path.name!r} is not usable JSON: it is nested too deeply."
        ) from None
    except FileNotFoundError:
        raise UsageError(f"{what} file {str(path)!r} not found{not_found}.") from None
    except IsADirectoryError:
        raise UsageError(f"{what} file {str(path)!r} is a folder; give {give}.") from None
    except OSError as exc:
        raise UsageError(
            f"Cannot read {what.lower()} file {str(path)!r} ({exc.strerror or type(exc).__name__})."
        ) from None
    except UnicodeDecodeError:
        raise UsageError(f"{what} file {path.name!r} is not valid JSON (not UTF-8 text).") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{what} file {path.name!r} is not valid JSON: {exc}.") from None


def read_limited(path: Path, what: str, *, give: str) -> bytes:
    """The bytes of ``path``, refusing more than :data:`MAX_BYTES` (a device never ends)."""
    with path.open("rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise UsageError(
            f"{what} file {path.name!r} is too large (more than "
            f"{MAX_BYTES // 1_000_000} MB); give {give}."
        )
    return data
