"""RTS1 with fasteners locks and counting semaphores."""

import threading

import fasteners


class Cache:
    def __init__(self):
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(5)
        self.entries = {}
        self.hits = 0

    @fasteners.locked
    def put(self, key, value):
        self.entries[key] = value

    @fasteners.locked(lock="_lock")
    def evict(self, key):
        self.entries.pop(key, None)

    def clear(self):
        self.entries.clear()  # RTS101

    def count(self):
        # Five holders at once are no exclusion: a Semaphore(5) guards nothing.
        with self._slots:
            self.hits += 1

    def reset(self):
        self.hits = 0

    @fasteners.locked
    def reenter(self):
        with self._lock:  # RTS103
            pass


class Files:
    """A process lock taken by most writes guards the attribute."""

    def __init__(self):
        self.paths = []

    @fasteners.interprocess_locked("/var/lock/files")
    def add(self, path):
        self.paths.append(path)

    @fasteners.interprocess_locked("/var/lock/files")
    def remove(self, path):
        self.paths.remove(path)

    def forget(self):
        self.paths.clear()  # RTS101
