"""Helper processes that end with the process that started them.

An ingest's readers and its indexer are children of the ingest. If the ingest is killed (SIGKILL, an OOM
kill) nothing tells them, and they would wait for work forever, the indexer holding the index writer's
lock. Each watches its parent instead and leaves when it is gone; the archive needs nothing from them to
stay consistent (the store commits per file, and the index replays its log).
"""

from __future__ import annotations

import os
import threading
import time


def exit_with_parent(parent: int, every: float = 1.0) -> None:
    """Run in a child (a pool initializer): end it as soon as `parent` is no longer its parent."""

    def watch() -> None:
        while True:
            time.sleep(every)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()
