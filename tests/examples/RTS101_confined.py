# rtsec-options: --rtsec-confined-methods=set_service_ref,Tracker.start*
"""RTS101: lifecycle methods named in --rtsec-confined-methods are exempt."""

import threading


class Tracker:
    def __init__(self):
        self._lock = threading.Lock()
        self.service_ref = None
        self.nodes = {}

    def update(self, ref, nodes):
        with self._lock:
            self.service_ref = ref
            self.nodes = nodes

    def set_service_ref(self, ref):
        # Called once at startup, before any other thread sees the tracker.
        self.service_ref = ref
        self._reset()

    def _reset(self):
        # Only reached from a confined method: confined too.
        self.nodes = {}

    def start_up(self):
        self.nodes = {}

    def later(self, ref):
        self.service_ref = ref  # RTS101
