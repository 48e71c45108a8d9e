"""The feeds' cache: written bytes and their ETag in Redis, shared by every API process, with a
copy in each process's memory that one small Redis read validates.

Each process listens on the channel `calfeed:changes`, where every deletion or rewrite of a feed
is announced; while it listens, a copy it took from Redis is served from memory with no Redis
read at all, until an announcement drops it. While it does not listen (Redis away, the channel
being joined again) a request reads the feed's current ETag from Redis (`HGET`) and answers
from memory only if it matches; joining the channel again drops every copy. A feed that is not in
Redis is written by the first request that misses it (one at a time in a process) and stored
for everyone.

Invalidation is the publisher's (`publishing.py`): it raises `calfeed:generation`, then deletes
every feed that depends on a changed owner or person (the sets `calfeed:deps:…`) and writes the
listing feeds again. A request's store only lands if the generation is still the one it read
before it read the database, so a feed written from data older than a change can never be
stored after that change was published.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import contextlib
import datetime as dt
import gzip
import hashlib
import logging
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

PREFIX = "calfeed:"
GENERATION = f"{PREFIX}generation"
#: the listing feeds' recipes, by key, that the publisher writes again after a change
LISTINGS = f"{PREFIX}listings"
#: where deletions and rewrites of feeds are announced: their keys, space-separated
CHANGES = f"{PREFIX}changes"
#: a stored feed lives this long without a change (its dependency sets as long)
FEED_SECONDS = 24 * 3600
#: each feed's last ETag and Last-Modified, kept past invalidations so Last-Modified only rises
LAST_SECONDS = 90 * 24 * 3600

#: KEYS: generation, feed, last; ARGV: generation read ("" for none, "*" to skip the check),
#: etag, modified (epoch seconds), body, gzip, ttl, last ttl, then the dependency sets
_STORE = """
if ARGV[1] ~= '*' and (redis.call('GET', KEYS[1]) or '') ~= ARGV[1] then return false end
local last = redis.call('HMGET', KEYS[3], 'etag', 'modified')
local modified = tonumber(ARGV[3])
if last[1] then
  if last[1] == ARGV[2] then modified = tonumber(last[2])
  elseif tonumber(last[2]) >= modified then modified = tonumber(last[2]) + 1 end
end
redis.call('HSET', KEYS[3], 'etag', ARGV[2], 'modified', modified)
redis.call('EXPIRE', KEYS[3], tonumber(ARGV[7]))
redis.call('HSET', KEYS[2], 'etag', ARGV[2], 'modified', modified, 'body', ARGV[4], 'gzip', ARGV[5])
redis.call('EXPIRE', KEYS[2], tonumber(ARGV[6]))
for i = 8, #ARGV do
  redis.call('SADD', ARGV[i], KEYS[2])
  redis.call('EXPIRE', ARGV[i], tonumber(ARGV[6]))
end
return modified
"""


def feed_key(key: str) -> str:
    return f"{PREFIX}feed:{key}"


def _last_key(key: str) -> str:
    return f"{PREFIX}last:{key}"


def owner_dependents(owner: uuid.UUID) -> str:
    return f"{PREFIX}deps:{owner}"


def person_dependents(person: uuid.UUID) -> str:
    return f"{PREFIX}deps:person:{person}"


@dataclass(frozen=True, slots=True)
class StoredFeed:
    #: the strong ETag's opaque part (of the identity bytes; the gzip bytes add "-gzip")
    etag: str
    #: Last-Modified, in epoch seconds
    modified: int
    body: bytes
    gzipped: bytes
    #: the feed's key in the store (its requests may then be answered by `fast_path`)
    key: str = ""


@dataclass(frozen=True, slots=True)
class Built:
    """A feed just written: its bytes, when what it shows last changed, and the dependency sets
    it joins (so that a change to any of them deletes it)."""

    body: bytes
    modified: dt.datetime
    dependents: tuple[str, ...] = ()
    #: how long it is kept unless a change deletes it first
    seconds: int = FEED_SECONDS


def etag_of(body: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(body).digest()[:18]).decode()


def compressed(body: bytes) -> bytes:
    """gzip with no timestamp, so that the same bytes always compress to the same bytes."""
    return gzip.compress(body, compresslevel=6, mtime=0)


class _LocalCopies:
    """This process's copies, least recently used first out, bounded in bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self.entries: collections.OrderedDict[str, StoredFeed] = collections.OrderedDict()

    def get(self, key: str) -> StoredFeed | None:
        found = self.entries.get(key)
        if found is not None:
            self.entries.move_to_end(key)
        return found

    def put(self, key: str, feed: StoredFeed) -> None:
        self.discard(key)
        self.entries[key] = feed
        self.size += len(feed.body) + len(feed.gzipped)
        while self.size > self.max_bytes and len(self.entries) > 1:
            _, oldest = self.entries.popitem(last=False)
            self.size -= len(oldest.body) + len(oldest.gzipped)

    def discard(self, key: str) -> None:
        old = self.entries.pop(key, None)
        if old is not None:
            self.size -= len(old.body) + len(old.gzipped)

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


class FeedStore:
    """The cache as one API process (or the publisher) uses it."""

    def __init__(self, redis: Redis, local_bytes: int = 256 * 1024 * 1024) -> None:
        self.redis = redis
        self.local = _LocalCopies(local_bytes)
        self._building: dict[str, asyncio.Lock] = {}
        self._store = redis.register_script(_STORE)
        #: copies served without asking Redis: taken while listening, not announced since
        self._trusted: set[str] = set()
        #: raised by every announcement and every (re)join of the channel: a copy read from
        #: Redis is trusted only if nothing was announced while it was being read
        self._epoch = 0
        self.listening = False
        self._stopping = False

    def trusted_copy(self, key: str) -> StoredFeed | None:
        """This process's copy of `key` if it may be served without asking Redis."""
        return self.local.get(key) if key in self._trusted else None

    async def listen(self, retry_seconds: float = 1.0) -> None:
        """Follow the announcements, for as long as the process runs (a task of the app's
        lifespan, ended by `stop_listening`); after a lost connection, join again and drop every
        copy."""
        while not self._stopping:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(CHANGES)
                while not self._stopping:
                    # a short wait of its own: the client's socket timeout would end a quiet
                    # wait, and a stop is seen within it (redis-py may swallow a cancellation)
                    message = await pubsub.get_message(timeout=0.25)
                    if message is None:
                        continue
                    if message["type"] == "subscribe":
                        self._forget_locally(None)  # what was read before may be stale
                        self.listening = True
                    elif message["type"] == "message":
                        self._forget_locally(message["data"].decode().split())
            except (RedisError, OSError):
                # (redis-py turns a cancellation while it waits into a connection error)
                if not self._stopping:
                    logger.warning("calendar feed announcements unavailable; asking Redis")
            finally:
                self.listening = False
                self._forget_locally(None)
                with contextlib.suppress(RedisError, OSError):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
            if not self._stopping:
                await asyncio.sleep(retry_seconds)

    def stop_listening(self) -> None:
        self._stopping = True

    def _forget_locally(self, keys: Iterable[str] | None) -> None:
        self._epoch += 1
        if keys is None:
            self._trusted.clear()
            self.local.clear()
            return
        for key in keys:
            self._trusted.discard(key)
            self.local.discard(key)

    def _keep(self, key: str, feed: StoredFeed, epoch: int) -> None:
        """Hold `feed`, read from Redis (or written) since `epoch`; trusted only if nothing was
        announced meanwhile and the channel is being followed."""
        self.local.put(key, feed)
        if self.listening and epoch == self._epoch and key in self.local.entries:
            self._trusted.add(key)
        else:
            self._trusted.discard(key)

    async def get(
        self, key: str, build: Callable[[], Awaitable[Built | None]], *, private: bool = False
    ) -> StoredFeed | None:
        """The feed `key`, from memory, Redis, or `build` (None: there is no such feed).

        While Redis is away a public feed is answered from this process's copy (or written
        without storing); a private one is always written from the database then, because only
        Redis says that its address was not revoked meanwhile."""
        try:
            return await self._get(key, build)
        except RedisError:
            logger.warning("calendar feed cache unavailable", extra={"feed": key.split(":")[0]})
            held = None if private else self.local.get(key)
            if held is not None:
                return held
            built = await build()
            return None if built is None else _feed(built, int(built.modified.timestamp()), key)

    async def _get(
        self, key: str, build: Callable[[], Awaitable[Built | None]]
    ) -> StoredFeed | None:
        held = self.local.get(key)
        if held is not None and key in self._trusted:
            return held
        epoch = self._epoch
        current = await self.redis.hget(feed_key(key), "etag")  # type: ignore[misc]
        if current is not None:
            if held is not None and held.etag == current.decode():
                self._keep(key, held, epoch)
                return held
            found = await self._read(key)
            if found is not None:
                return found
        lock = self._building.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                found = await self._read(key)  # another request of this process wrote it
                if found is not None:
                    return found
                generation = await self.redis.get(GENERATION)
                built = await build()
                if built is None:
                    self.local.discard(key)
                    return None
                return await self.store(key, built, generation=(generation or b"").decode())
        finally:
            # (a request still waiting keeps its lock; one arriving now may write it again)
            if not lock.locked():
                self._building.pop(key, None)

    async def _read(self, key: str) -> StoredFeed | None:
        epoch = self._epoch
        etag, modified, body, gzipped = await self.redis.hmget(  # type: ignore[misc]
            feed_key(key), ["etag", "modified", "body", "gzip"]
        )
        if etag is None or modified is None or body is None or gzipped is None:
            return None
        feed = StoredFeed(etag.decode(), int(modified), body, gzipped, key)
        self._keep(key, feed, epoch)
        return feed

    async def store(self, key: str, built: Built, *, generation: str | None) -> StoredFeed:
        """Store `built` as `key` (only if the generation is still `generation`; None stores it
        in any case: the publisher's own writes). Answers what was written, or, when a change
        was published meanwhile, `built` unstored (the next request writes it again)."""
        feed = _feed(built, int(built.modified.timestamp()), key)
        epoch = self._epoch
        modified = await self._store(
            keys=[GENERATION, feed_key(key), _last_key(key)],
            args=[
                "*" if generation is None else generation,
                feed.etag,
                feed.modified,
                feed.body,
                feed.gzipped,
                built.seconds,
                LAST_SECONDS,
                *built.dependents,
            ],
        )
        if modified is None:
            return feed
        stored = StoredFeed(feed.etag, int(modified), feed.body, feed.gzipped, key)
        if generation is None:  # the publisher's rewrite: processes holding the old one drop it
            await self.redis.publish(CHANGES, key)
        self._keep(key, stored, epoch)
        return stored

    async def forget(self, dependents: Iterable[str]) -> int:
        """Raise the generation, then delete every feed in the `dependents` sets, here at once
        and in every other process by announcing it."""
        sets = list(dependents)
        await self.redis.incr(GENERATION)
        if not sets:
            return 0
        async with self.redis.pipeline(transaction=False) as pipe:
            for name in sets:
                pipe.smembers(name)
            members = await pipe.execute()
        # the sets hold the feeds' Redis keys; processes hold them by their short keys
        stored = sorted({name.decode() for group in members for name in group})
        keys = [name.removeprefix(feed_key("")) for name in stored]
        await self.redis.delete(*stored, *sets)
        self._forget_locally(keys)
        if keys:
            await self.redis.publish(CHANGES, " ".join(keys))
        return len(keys)


def _feed(built: Built, modified: int, key: str) -> StoredFeed:
    return StoredFeed(etag_of(built.body), modified, built.body, compressed(built.body), key)
