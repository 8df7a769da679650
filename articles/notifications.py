"""Every worker hears of content changes from PostgreSQL instead of asking on each request.

The validators of the public pages (articles/freshness.py) change in two ways only: a
writer marks the content changed, or a scheduled article's time comes. So a writer also
sends NOTIFY on CHANNEL, which PostgreSQL delivers to every listening session when, and
only if, its transaction commits. Each process keeps one connection LISTENing, in a
daemon thread. While it listens, the validators the process read last stay good until a
notice arrives, the next scheduled article is due, or the listener stops answering: a
page-cache hit then runs no query, and neither does the 304 check of a public page.

Other databases (SQLite) have no notices: every request reads the validators, as before.
"""

import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

CHANNEL = "newsroom_content"

# How often a listener proves it still hears, by a notice to itself; one that has not
# for HEARTBEAT_LIMIT (a dead network can block without an error) is no longer trusted,
# and the process asks the database again.
HEARTBEAT_SECONDS = 5.0
HEARTBEAT_LIMIT = 3 * HEARTBEAT_SECONDS
RETRY_SECONDS = (0.5, 30.0)


class Listener:
    """One process's memory of the validators, kept good by LISTEN."""

    def __init__(self, alias=DEFAULT_DB_ALIAS):
        self.alias = alias
        self.pid = os.getpid()
        self.lock = threading.Lock()
        # Moves on every notice and every local change; a value read from the database
        # is kept only if no change came between asking and answering.
        self.epoch = 0
        self.remembered = None
        self.trusted_until = 0.0
        # The listening session's process id on the server, while there is one.
        self.backend_pid = None
        # This listener's own channel, for the notices that prove it hears.
        self.heartbeat_channel = f"{CHANNEL}_{uuid.uuid4().hex}"
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._listen, name="newsroom-listener", daemon=True)

    # Readers.

    def recall(self):
        """What was remembered, while nothing has changed since and the listener listens."""
        remembered = self.remembered
        if remembered is None or time.monotonic() >= self.trusted_until:
            return None
        epoch, value, valid_until = remembered
        if epoch != self.epoch or (valid_until is not None and timezone.now() >= valid_until):
            return None
        return value

    def remember(self, epoch, value, valid_until):
        """Keep `value`, read after `epoch` was current, until `valid_until` (or a change)."""
        with self.lock:
            if epoch == self.epoch:
                self.remembered = (epoch, value, valid_until)

    def changed(self):
        with self.lock:
            self.epoch += 1
            self.remembered = None

    # The listening thread.

    def start(self):
        self.thread.start()

    def stop(self, timeout=None):
        self.stopping.set()
        self.thread.join(timeout)

    def _listen(self):
        delay = RETRY_SECONDS[0]
        while not self.stopping.is_set():
            wrapper = connections.create_connection(self.alias)
            try:
                wrapper.ensure_connection()
                raw = wrapper.connection
                raw.execute(f"LISTEN {CHANNEL}")
                raw.execute(f"LISTEN {self.heartbeat_channel}")
                self.backend_pid = raw.info.backend_pid
                # Whatever was read before this moment may have missed a notice.
                self.changed()
                delay = RETRY_SECONDS[0]
                while not self.stopping.is_set():
                    # Trust comes only from a notice heard: a session that can run
                    # queries but not hear (a pooler in between, say) never earns it.
                    raw.execute("SELECT pg_notify(%s, '')", [self.heartbeat_channel])
                    for notice in raw.notifies(timeout=HEARTBEAT_SECONDS):
                        if notice.channel == self.heartbeat_channel:
                            self.trusted_until = time.monotonic() + HEARTBEAT_LIMIT
                        else:
                            self.changed()
                        if self.stopping.is_set():
                            break
            except Exception:
                if not self.stopping.is_set():
                    logger.warning("Listening for content changes failed; retrying.", exc_info=True)
            finally:
                self.trusted_until = 0.0
                self.backend_pid = None
                self.changed()
                wrapper.close()
            self.stopping.wait(delay)
            delay = min(2 * delay, RETRY_SECONDS[1])


_listener = {"current": None}
_start_lock = threading.Lock()


def is_supported(alias=DEFAULT_DB_ALIAS):
    return settings.NEWSROOM_LISTEN and connections[alias].vendor == "postgresql"


def listener():
    """This process's listener, started on first use (after gunicorn forks), or None."""
    current = _listener["current"]
    if current is not None and current.pid == os.getpid():
        return current
    if not is_supported():
        return None
    with _start_lock:
        current = _listener["current"]
        if current is None or current.pid != os.getpid():
            current = _listener["current"] = Listener()
            current.start()
    return current


def stop_listening():
    """End this process's listener and close its connection (tests, before the database goes)."""
    current = _listener["current"]
    _listener["current"] = None
    if current is not None and current.pid == os.getpid():
        current.stop()


def content_changed():
    """Tell every listener, this process's at once, that the content changed."""
    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        # Delivered at the commit, to every listener, the writer's own included; two in
        # one transaction arrive as one. Sent even when this process doesn't listen:
        # other servers may.
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [CHANNEL])
    current = _listener["current"]
    if current is not None:
        # This process learns at once, inside the transaction: its own reader may look
        # before the notice comes back (and in tests, whose transactions never commit,
        # it never does).
        current.changed()
        transaction.on_commit(current.changed)
