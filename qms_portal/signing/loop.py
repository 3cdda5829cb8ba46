"""Run pyHanko's synchronous API from any thread.

pyHanko's synchronous functions call asyncio.run(), which refuses to start inside a running event loop: an
ASGI request, gevent or Playwright's sync API (the browser tests keep one running for the whole session).
There the call runs on a short-lived thread of its own, with its own loop.
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(function, /, *args, **kwargs):
    """`function(*args, **kwargs)`, on a separate thread when this one has a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(function, *args, **kwargs).result()
