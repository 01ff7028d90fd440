#!/usr/bin/python3
# A worn memory card, as far as listing it goes: a read-only FUSE view of a
# folder that answers EIO where it is told to, as the kernel's FAT driver does
# when a directory's cluster or an entry's sector cannot be read. Everything
# else passes through unchanged (names, kinds, sizes, times, bytes), so the
# station reads the folder as it would read a card.
#
#   faulty-fs.py <source> <mountpoint> [--eio-list REL]... [--eio-list-after REL=N]... [--eio-stat REL]...
#
#   --eio-list REL          listing the folder REL fails with EIO (opening it works)
#   --eio-list-after REL=N  listing REL gives its first N entries, then fails with EIO
#                           (a directory whose first cluster reads and whose second does not)
#   --eio-stat REL          looking up REL (stat, open) fails with EIO; it is still listed
#
# REL is relative to the source, '/'-separated. Runs in the foreground: killing
# it is pulling the card out; `umount -l` detaches what is left. Needs python3-fusepy.
import errno
import os
import sys
import threading

from fusepy import FUSE, FuseOSError, Operations


class Faulty(Operations):
    def __init__(self, source, eio_list, eio_list_after, eio_stat):
        self.source = os.path.realpath(source)
        self.eio_list = eio_list
        self.eio_list_after = eio_list_after
        self.eio_stat = eio_stat
        # Not `lock`: fusepy takes any attribute named after a FUSE operation for its handler.
        self.mutex = threading.Lock()
        self.next_dir = 1
        self.dir_calls = {}

    def _full(self, path):
        return os.path.join(self.source, path.lstrip('/'))

    @staticmethod
    def _rel(path):
        return path.lstrip('/')

    def getattr(self, path, fh=None):
        if self._rel(path) in self.eio_stat:
            raise FuseOSError(errno.EIO)
        try:
            st = os.lstat(self._full(path))
        except OSError as e:
            raise FuseOSError(e.errno)
        return {k: getattr(st, k) for k in ('st_mode', 'st_nlink', 'st_size', 'st_uid', 'st_gid', 'st_atime', 'st_mtime', 'st_ctime')}

    def opendir(self, path):
        with self.mutex:
            fh = self.next_dir
            self.next_dir += 1
            self.dir_calls[fh] = 0
        return fh

    def releasedir(self, path, fh):
        with self.mutex:
            self.dir_calls.pop(fh, None)
        return 0

    def readdir(self, path, fh):
        rel = self._rel(path)
        if rel in self.eio_list:
            raise FuseOSError(errno.EIO)
        full = self._full(path)
        names = sorted(os.listdir(full))
        # Each entry with its kind (d_type), as a FAT driver gives it, so the reader needs no stat to walk.
        entries = [('.', None), ('..', None)] + [(n, {'st_mode': os.lstat(os.path.join(full, n)).st_mode}) for n in names]
        if rel not in self.eio_list_after:
            return [(name, attrs, 0) for name, attrs in entries]
        # With offsets, libfuse asks again for what follows: the first request gets the first N
        # entries of the folder, every later one of the same opening fails.
        with self.mutex:
            calls = self.dir_calls.get(fh, 0)
            self.dir_calls[fh] = calls + 1
        if calls > 0:
            raise FuseOSError(errno.EIO)
        first = entries[: 2 + self.eio_list_after[rel]]
        return [(name, attrs, i + 1) for i, (name, attrs) in enumerate(first)]

    def readlink(self, path):
        return os.readlink(self._full(path))

    def open(self, path, flags):
        if self._rel(path) in self.eio_stat:
            raise FuseOSError(errno.EIO)
        if flags & (os.O_WRONLY | os.O_RDWR):
            raise FuseOSError(errno.EROFS)
        return os.open(self._full(path), os.O_RDONLY | os.O_NOFOLLOW)

    def read(self, path, size, offset, fh):
        return os.pread(fh, size, offset)

    def release(self, path, fh):
        os.close(fh)
        return 0

    def statfs(self, path):
        sv = os.statvfs(self._full(path))
        return {k: getattr(sv, k) for k in ('f_bavail', 'f_bfree', 'f_blocks', 'f_bsize', 'f_favail', 'f_ffree', 'f_files', 'f_flag', 'f_frsize', 'f_namemax')}


def main(argv):
    if len(argv) < 2:
        sys.stderr.write(__doc__ or 'usage: faulty-fs.py <source> <mountpoint> [options]\n')
        return 2
    source, mountpoint, rest = argv[0], argv[1], argv[2:]
    eio_list, eio_list_after, eio_stat = set(), {}, set()
    while rest:
        flag, value, rest = rest[0], rest[1], rest[2:]
        if flag == '--eio-list':
            eio_list.add(value)
        elif flag == '--eio-list-after':
            rel, n = value.rsplit('=', 1)
            eio_list_after[rel] = int(n)
        elif flag == '--eio-stat':
            eio_stat.add(value)
        else:
            sys.stderr.write(f'unknown option {flag}\n')
            return 2
    FUSE(Faulty(source, eio_list, eio_list_after, eio_stat), mountpoint, foreground=True, ro=True, nothreads=True, fsname='faulty-card')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
