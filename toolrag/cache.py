"""The on-disk cache shared by every stage: converted and unpacked models live here."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def cache_root() -> Path:
    """``$TOOLRAG_CACHE`` or ``~/.cache/toolrag``."""
    return Path(os.environ.get("TOOLRAG_CACHE", Path.home() / ".cache" / "toolrag"))


@contextmanager
def staged_folder(target: Path, *, replace: bool = False) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target`` and rename it to ``target`` on success.

    A crash leaves no half-written ``target``. Without ``replace``, if another process published
    ``target`` first, its copy wins and the staging folder is dropped; with ``replace``, an
    existing ``target`` is moved aside, replaced, then deleted.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
        if replace and target.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
            os.replace(target, backup)
            staging.rename(target)
            shutil.rmtree(backup, ignore_errors=True)
            return
        try:
            staging.rename(target)
        except OSError:
            if not target.exists():
                raise
            shutil.rmtree(staging, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def file_sha256(*paths: Path) -> str:
    """sha256 of the files' bytes, read in order (one digest over all of them)."""
    digest = hashlib.sha256()
    for path in paths:
        with Path(path).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 22), b""):
                digest.update(block)
    return digest.hexdigest()


def file_stamp(path: Path) -> list[int]:
    """Size and modification time: what a manifest records so that an unchanged file need not
    be hashed again at every load."""
    st = Path(path).stat()
    return [st.st_size, st.st_mtime_ns]


def first_changed(
    folder: Path, digests: dict[str, str], stamps: dict[str, list[int]]
) -> str | None:
    """The first of ``digests``' files in ``folder`` that is missing or whose sha256 differs,
    or ``None``. A file whose stamp (:func:`file_stamp`) is still the recorded one is not
    hashed: loading a cached model then costs no pass over its weights."""
    for name, digest in digests.items():
        path = folder / name
        if not path.is_file():
            return name
        if stamps.get(name) != file_stamp(path) and file_sha256(path) != digest:
            return name
    return None
