"""Forgetting files: their calls, rejects, texts, Batch requests, billed costs and ledger rows go, in
the caller's transaction, so a file can be ingested again with corrected flags (`ftaudit forget`,
`ftaudit ingest --replace`).

A file is found by the path it was ingested under, by its content (sha256: the same export copied
elsewhere was ingested once), or, for a folder, by every ledger path under it. It never touches a
file on disk, and never forgets anything when a named path matches nothing.
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ftaudit.errors import UsageError
from ftaudit.store.connection import Store

# Every table with rows of an ingested file, the ledger last.
_DELETES = ("forget_calls", "forget_rejects", "forget_call_texts", "forget_batch_requests", "forget_billed_costs",
            "forget_ingested_files")


@dataclass
class ForgetResult:
    files: list[dict[str, Any]] = field(default_factory=list)  # {file_id, path, calls, rejects}

    @property
    def calls(self) -> int:
        return sum(int(f["calls"]) for f in self.files)

    @property
    def rejects(self) -> int:
        return sum(int(f["rejects"]) for f in self.files)

    def summary(self) -> dict[str, Any]:
        return {"files": self.files, "files_forgotten": len(self.files), "calls": self.calls, "rejects": self.rejects}


def forget(store: Store, paths: Iterable[str | Path]) -> ForgetResult:
    """Forget every file `paths` name, in one transaction; a path that matches nothing is an error
    and nothing is forgotten."""
    paths = list(paths)
    with store.transaction():
        result = ForgetResult()
        for path in paths:
            found = _matching(store, [path])
            if not found:
                raise UsageError(f"{path}: no ingested file has this path or content", hint=_nearest(store, path))
            result.files += [f for f in found if f["file_id"] not in {g["file_id"] for g in result.files}]
        _delete(store, [f["file_id"] for f in result.files])
    return result


def forget_for_replace(store: Store, path: Path, sha256: str) -> ForgetResult:
    """Inside the caller's transaction: the earlier ingests of this path or content, before it is read again."""
    result = ForgetResult(_rows(store, paths=_names(Path(path)), sha256s=[sha256], folders=[]))
    _delete(store, [f["file_id"] for f in result.files])
    return result


def forget_replaced(store: Store, path: Path, sha256: str, replace: bool) -> list[int]:
    """`ingest --replace`: forget_for_replace, the file ids it forgot; nothing without --replace. Run again
    after a rollback in the same ingest (it undid the forgetting too)."""
    return [f["file_id"] for f in forget_for_replace(store, path, sha256).files] if replace else []


def _matching(store: Store, paths: list[str | Path]) -> list[dict[str, Any]]:
    names: list[str] = []
    sha256s: list[str] = []
    folders: list[str] = []
    for raw in paths:
        path = Path(raw)
        names += _names(path)
        if path.is_dir():
            folders += [f"{name.rstrip('/')}/" for name in _names(path)]
        elif path.is_file():
            sha256s.append(file_sha256(path))
    return _rows(store, paths=names, sha256s=sha256s, folders=folders)


def _names(path: Path) -> list[str]:
    """The spellings a ledger may hold for `path`: as given, and absolute."""
    return sorted({str(path), str(path.absolute()), str(path.resolve())})


def _rows(store: Store, *, paths: list[str], sha256s: list[str], folders: list[str]) -> list[dict[str, Any]]:
    rows = store.rows("forget_matching_files", paths=paths, sha256s=sha256s, folders=folders)
    return [{"file_id": int(i), "path": str(p), "calls": int(c), "rejects": int(r)} for i, p, c, r in rows]


def _delete(store: Store, file_ids: list[int]) -> None:
    if not file_ids:
        return
    for name in _DELETES:
        store.run(name, file_ids=file_ids)


def _nearest(store: Store, path: str | Path) -> str:
    known = [str(p) for (p,) in store.rows("ingested_paths")]
    close = difflib.get_close_matches(str(path), known, n=1, cutoff=0.5)
    if close:
        return f"did you mean {close[0]}? (paths are matched as ingested, or by the file's content)"
    return "ftaudit forget takes the path a file was ingested under, the file itself, or a folder of them"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()
