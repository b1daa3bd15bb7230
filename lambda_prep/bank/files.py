"""Finding and reading bank files without surprises.

A path is looked at (stat) before anything is read, so a FIFO, a device, a symlink loop or a name
too long is reported as what it is instead of hanging, reading forever or being called missing.
A folder is searched with bounds, so `validate /` answers in a moment instead of walking the whole
file system. File names that are not valid UTF-8 are shown with escapes, never crash a command.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from lambda_prep.bank.nodes import MAX_FILE_BYTES
from lambda_prep.bank.model import Problem

BANK_SUFFIXES = (".yaml", ".yml")
MAX_WALK_ENTRIES = 10_000  # files and folders looked at under one folder given
MAX_WALK_DEPTH = 8  # folder levels searched below one folder given
SKIPPED_FOLDERS = {"__pycache__", "node_modules"}  # and any hidden folder (.git, .venv...)

_KINDS = [(stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")]


class BankFileError(Exception):
    """A bank path that cannot be read as a bank; the message says what it is instead."""


def printable(path: Path | str) -> str:
    """A path as text that can always be printed: undecodable bytes and control characters escaped."""
    text = os.fsencode(str(path)).decode("utf-8", "backslashreplace")
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def describe_error(exc: OSError, path: Path | str) -> str:
    """What an OSError met while looking at a path means, in words."""
    code = exc.errno
    if code == errno.ENOENT:
        try:
            if stat.S_ISLNK(os.lstat(path).st_mode):
                return f"a symbolic link to something missing ({printable(os.readlink(path))})"
        except OSError:
            pass
        return "no such file or folder"
    if code == errno.ELOOP:
        return "too many levels of symbolic links (a symlink loop?)"
    if code == errno.ENAMETOOLONG:
        return "file name too long (at most 255 bytes per name)"
    if code in (errno.EACCES, errno.EPERM):
        return "cannot read: permission denied"
    if code == errno.ENOTDIR:
        return "no such file or folder (a part of the path is a file)"
    return f"cannot read: {exc.strerror or exc}"


def kind(path: Path | str) -> tuple[str, str]:
    """("file" | "folder" | "other", what it is in words), without reading anything."""
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        return "other", describe_error(exc, path)
    except ValueError:  # a NUL byte in the name
        return "other", "not a valid file name"
    if stat.S_ISREG(mode):
        return "file", "a file"
    if stat.S_ISDIR(mode):
        return "folder", "a folder"
    return "other", f"not a regular file: {_special(mode)}"


def _special(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "a special file")


def read_bank(path: Path | str) -> bytes:
    """The bytes of a bank file, refusing anything that is not a regular file of a bank's size.

    Opened without blocking, then checked on the open file, so a FIFO swapped in after a check
    still cannot make the command wait forever.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise BankFileError(describe_error(exc, path)) from None
    except ValueError:
        raise BankFileError("not a valid file name") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise BankFileError("a folder" if stat.S_ISDIR(info.st_mode) else f"not a regular file: {_special(info.st_mode)}")
        if info.st_size > MAX_FILE_BYTES:
            raise BankFileError(_too_big(info.st_size))
        chunks, size = [], 0
        while size <= MAX_FILE_BYTES:  # the size may have changed since fstat
            chunk = os.read(fd, min(1 << 20, MAX_FILE_BYTES + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise BankFileError(_too_big(size))
        return b"".join(chunks)
    except OSError as exc:
        raise BankFileError(describe_error(exc, path)) from None
    finally:
        os.close(fd)


def _too_big(size: int) -> str:
    return (f"the file is over {MAX_FILE_BYTES // 1024 // 1024} MB ({size / 1024 / 1024:.1f} MB); "
            "split it into several banks")


def discover(paths: list[Path]) -> tuple[list[Path], list[Problem]]:
    """Bank files under the given files and folders (folders: every .yaml/.yml inside).

    A file named twice (a built-in bank also given on the command line) is loaded once.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()
    for path in paths:
        what, words = kind(path)
        if what == "folder":
            candidates, trouble = _walk(path)
            problems.extend(trouble)
        elif what == "file":
            candidates = [path]
        else:
            problems.append(Problem(printable(path), 1, 1, words))
            continue
        for candidate in candidates:
            try:
                info = os.stat(candidate)
                identity = (info.st_dev, info.st_ino)
            except (OSError, ValueError):
                identity = (-1, len(seen))  # reported when read
            if identity not in seen:
                seen.add(identity)
                found.append(candidate)
    return found, problems


def _walk(root: Path) -> tuple[list[Path], list[Problem]]:
    """The bank files under a folder, looking at no more than MAX_WALK_ENTRIES entries.

    Symbolic links to folders are not followed (no loops); hidden folders are skipped.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    stack: list[tuple[Path, int]] = [(root, 0)]
    looked_at = 0
    too_deep = 0
    while stack:
        folder, depth = stack.pop()
        try:
            with os.scandir(folder) as entries:
                listing = []
                for entry in entries:
                    looked_at += 1
                    if looked_at > MAX_WALK_ENTRIES:
                        return [], [Problem(printable(root), 1, 1, (
                            f"a folder with more than {MAX_WALK_ENTRIES:,} files and folders in it; "
                            "give the folder that holds your banks"))]
                    listing.append(entry)
        except FileNotFoundError:
            continue  # gone since it was listed
        except OSError as exc:
            problems.append(Problem(printable(folder), 1, 1, f"folder: {describe_error(exc, folder)}"))
            continue
        for entry in sorted(listing, key=lambda e: e.name, reverse=True):
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                is_folder = False
            if is_folder:
                if entry.name.startswith(".") or entry.name in SKIPPED_FOLDERS:
                    continue
                if depth + 1 > MAX_WALK_DEPTH:
                    too_deep += 1
                    continue
                stack.append((Path(entry.path), depth + 1))
            elif entry.name.endswith(BANK_SUFFIXES) and not entry.name.startswith("."):
                files.append(Path(entry.path))
    if too_deep:
        problems.append(Problem(printable(root), 1, 1, (
            f"{too_deep} folder(s) more than {MAX_WALK_DEPTH} levels down were not searched; "
            "give them on their own")))
    return sorted(files), problems
