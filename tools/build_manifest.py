"""Regenerate ``src/myomap/data/MANIFEST.json``: the atlas version and a SHA-256 per data file.

Run after any change under ``src/myomap/data`` (and bump ``atlas/atlas.json`` when clinical
content changes). The content tests fail while the manifest is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from myomap.knowledge.loader import atlas_version, data_root, file_hashes


def main() -> None:
    path = Path(str(data_root())) / "MANIFEST.json"
    manifest = {
        "generated_by": "tools/build_manifest.py",
        "atlas_version": atlas_version(),
        "files": file_hashes(),
    }
    path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(manifest['files'])} files)")  # noqa: T201


if __name__ == "__main__":
    main()
