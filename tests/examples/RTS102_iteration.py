"""RTS102: iterating a container that is written under a lock, outside it."""

import threading

import fasteners


class Registry:
    def __init__(self):
        self._lock = threading.Lock()
        self.hosts = {}
        self.names = []
        # Construction is exempt.
        for name in self.hosts:
            self.names.append(name)

    def add(self, host, info):
        with self._lock:
            self.hosts[host] = info
            self.names.append(host)

    def report(self):
        for host in self.hosts:  # RTS102
            print(host)
        total = sum(len(info) for info in self.hosts.values())  # RTS102
        ordered = sorted(self.names)  # RTS102
        everything = dict(self.hosts)  # RTS102
        return total, ordered, everything

    def report_safely(self):
        with self._lock:
            snapshot = list(self.hosts.items())
            ordered = sorted(self.names)
        # A copy made under the lock is the method's own.
        for host, info in snapshot:
            print(host, info)
        return ordered

    def lookup(self, host):
        # Reading one key is not an iteration.
        return self.hosts.get(host), len(self.names)

    def view(self):
        hosts = self.hosts
        return [h for h in hosts]  # RTS102


class NeverLocks:
    def __init__(self):
        self.items = {}

    def add(self, key):
        self.items[key] = 1

    def walk(self):
        return list(self.items)


class LockGuard:
    """A read lock keeps writers out: iterating under it is safe, writing is not."""

    def __init__(self):
        self._rw = fasteners.ReaderWriterLock()
        self.locks = []

    def acquired(self, locks):
        with self._rw.write_lock():
            self.locks = locks

    def is_locked(self):
        with self._rw.read_lock():
            return all(lock.is_writer() for lock in self.locks)

    def sneaky(self, lock):
        with self._rw.read_lock():
            self.locks.append(lock)  # RTS101
