"""The Redis index on a real redis-server: key prefixes keep indexes apart, band keys sit in
datasketch's own set storage, and a server that cannot be reached is one clear error."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import redis
from datasketch.storage import RedisSetStorage

from dedup.config import ScanConfig
from dedup.errors import StoreError
from dedup.incoming import check_documents, index_documents
from dedup.normalize import normalize_many
from dedup.readers import read_paths
from dedup.report import render
from dedup.sketch import sketch_units
from dedup.store import open_store
from dedup.store.redis import RedisStore, _key_bytes
from dedup.units import unit_id

CONFIG = ScanConfig()


def test_prefixes_keep_indexes_apart(redis_index: str, seed_path: str, excerpt_path: str) -> None:
    other = redis_index.replace("prefix=", "prefix=other-")
    for location, path in ((redis_index, seed_path), (other, excerpt_path)):
        store = open_store(location, create=True)
        index_documents(read_paths([path]), store, CONFIG)
        store.close()
    try:
        desk, archive = RedisStore(redis_index), RedisStore(other)
        assert desk.stats().documents == 6
        assert archive.stats().documents == len(list(read_paths([excerpt_path])))
        desk.close()
        archive.close()
    finally:
        client = redis.Redis.from_url(redis_index.partition("?")[0])
        prefix = other.partition("prefix=")[2]
        for key in list(client.scan_iter(match=f"{prefix}:*")):
            client.delete(key)
        client.close()


def test_band_keys_are_datasketch_set_storage(redis_index: str, seed_path: str) -> None:
    documents = list(read_paths([seed_path]))
    store = open_store(redis_index, create=True)
    index_documents(documents, store, CONFIG)
    store.close()
    text = normalize_many([documents[1].paragraphs[3].text], CONFIG.normalize)
    sketched = sketch_units(text, CONFIG.shingle, CONFIG.sketch, CONFIG.candidates)
    base, _, query = redis_index.partition("?")
    connection = redis.connection.parse_url(base)
    storage = RedisSetStorage(
        {"type": "redis", "redis": connection}, name=f"{query.partition('=')[2]}:pb:".encode()
    )
    buckets = storage.getmany(*_key_bytes(sketched.paragraphs.keys[0]))
    # Every band of the paragraph holds it, under its stable id.
    assert all(str(unit_id(text[0])).encode() in bucket for bucket in buckets)
    assert storage.size() > 0


def test_an_unreachable_server_is_one_clear_error() -> None:
    with pytest.raises(StoreError, match=r"redis://127\.0\.0\.1:9/0: cannot reach the Redis"):
        open_store("redis://127.0.0.1:9/0")


def test_a_prefix_holding_something_else_is_refused(redis_index: str) -> None:
    client = redis.Redis.from_url(redis_index.partition("?")[0])
    prefix = redis_index.partition("prefix=")[2]
    client.hset(f"{prefix}:meta", mapping={"owner": "the sports desk"})
    client.close()
    with pytest.raises(StoreError, match="holds something else"):
        open_store(redis_index)


def test_check_reads_the_same_from_redis_as_from_sqlite(
    redis_index: str, tmp_path: Path, excerpt_path: str
) -> None:
    documents = list(read_paths([excerpt_path]))
    reports = []
    for location in (redis_index, str(tmp_path / "desk.db")):
        store = open_store(location, create=True)
        index_documents(documents[:150], store, CONFIG)
        report = store.snapshot(lambda store=store: check_documents(documents[150:], store, CONFIG))
        store.close()
        # Only the times the documents were added may differ.
        indexed = tuple(replace(d, added=None) for d in report.indexed)
        reports.append(render(replace(report, indexed=indexed, seconds=None), "json"))
    redis_report, sqlite_report = reports
    assert '"kind": "near"' in redis_report
    assert redis_report == sqlite_report
