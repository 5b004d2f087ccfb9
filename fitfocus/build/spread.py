"""A hint to the file system: the folders made in a folder that will hold many (the staging folder
of a site and its sections, the caches) are spread over the disk, not packed beside their parent.

Why: ext4 puts a new folder near its parent, and a new file in its folder's part of the disk (its
block group). Without a journal, ext4 also passes over every inode of that group freed in the last
minutes, one by one, each time it hands out a new one. After `rm -rf site`, a build that makes its
thousands of folders and pages in the same place therefore pays, for each one it makes, for every
one deleted: back-to-back clean builds of 1,000 posts (8,200 files and folders each) spent 7.7 s
in the kernel, and 1.4 s with the mark.

A folder marked as a "top of a hierarchy" (the flag `chattr +T` sets) has its subfolders placed
where the disk is least used, as ext4 does for folders at the root of a disk. The mark changes
nothing of what the folder holds or who may read it; it only guides where ext4 puts new folders.
On a file system, kernel or machine that does not know it, `spread` does nothing.
"""

from __future__ import annotations

import array
import os
import platform
import struct
import sys

_TOPDIR = 0x00020000  # FS_TOPDIR_FL (linux/fs.h)
# FS_IOC_GETFLAGS and FS_IOC_SETFLAGS, _IOR('f', 1, long) and _IOW('f', 2, long), in the generic
# encoding of ioctl numbers; the machines that encode them otherwise are left out.
_GENERIC = {"x86_64", "amd64", "i386", "i686", "aarch64", "arm64", "armv7l", "armv8l", "riscv64", "s390x"}
_SIZE = struct.calcsize("l") << 16
_GET, _SET = 0x80006601 | _SIZE, 0x40006602 | _SIZE


def spread(folder: str | os.PathLike[str]) -> None:
    """Mark `folder` so that the folders made in it are spread over the disk (see the module)."""
    _flags(folder, add=_TOPDIR)


def is_spread(folder: str | os.PathLike[str]) -> bool | None:
    """Whether `folder` carries the mark, or None when its file system cannot say."""
    flags = _flags(folder)
    return None if flags is None else bool(flags & _TOPDIR)


def _flags(folder: str | os.PathLike[str], add: int = 0) -> int | None:
    """The flags of `folder` once `add` is added to them, or None where they cannot be read, or
    `add` cannot be added (not Linux; a file system without the flag, such as tmpfs, XFS or
    btrfs; a folder that is not ours)."""
    if sys.platform != "linux" or platform.machine().lower() not in _GENERIC:
        return None
    import fcntl
    try:
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        flags = array.array("i", [0])  # the kernel reads and writes an int, whatever the number says
        fcntl.ioctl(descriptor, _GET, flags, True)
        if flags[0] & add != add:
            flags[0] |= add
            fcntl.ioctl(descriptor, _SET, flags, True)
        return flags[0]
    except OSError:
        return None
    finally:
        os.close(descriptor)
