"""The peers that bench/speed.py measures wiretrace against, as standalone scripts.

Each runs in its own fresh process (``python bench/peers.py ...``) and never imports
wiretrace, so its time and peak memory are its own:

``lsh``: the classic near-duplicate pass with datasketch. Read the JSONL, build the set of
word 5-shingles of each text (lower-cased ``\\w+`` tokens), MinHash with 128 permutations,
insert every signature into ``MinHashLSH(threshold=0.5, num_perm=128)``, query every
document and count the distinct candidate pairs. The permutations are generated once
and shared by every ``MinHash`` (datasketch's fastest documented use: passing
``permutations=``; a fresh ``MinHash()`` per document would regenerate them each time).

``store``: the floor of ingest, a bare ``json.loads`` of every line and one SQLite insert
of id and text per record (a transaction per 500 records, like wiretrace's ingest).
It does none of wiretrace's extraction, segmentation or bookkeeping; it says how much of
the ingest time is just reading and storing.

Both print their stage times as one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from collections.abc import Iterator

WORD = re.compile(r"\w+")
SHINGLE_WORDS = 5


def records(path: str, text_field: str, id_field: str) -> Iterator[tuple[str, str]]:
    """``(id, text)`` of every JSONL record whose text field is a non-empty string."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            text = record.get(text_field)
            if isinstance(text, str) and text.strip():
                yield str(record.get(id_field)), text


def word_shingles(text: str, n: int = SHINGLE_WORDS) -> set[str]:
    """The distinct runs of ``n`` lower-cased words (all words if there are fewer)."""
    words = WORD.findall(text.lower())
    if len(words) <= n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + n]) for i in range(len(words) - n + 1)}


def lsh_pass(path: str, text_field: str, id_field: str, threshold: float, num_perm: int) -> dict:
    """The datasketch MinHash-LSH near-duplicate pass; stage seconds and counts."""
    from datasketch import MinHash, MinHashLSH

    started = time.perf_counter()
    docs = list(records(path, text_field, id_field))
    read_s = time.perf_counter() - started

    t0 = time.perf_counter()
    shingles = [word_shingles(text) for _, text in docs]
    shingle_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    template = MinHash(num_perm=num_perm)
    signatures = []
    for items in shingles:
        m = MinHash(num_perm=num_perm, permutations=template.permutations, scheme=template.scheme)
        m.update_batch([s.encode("utf-8") for s in items])
        signatures.append(m)
    minhash_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    with lsh.insertion_session() as session:
        for (doc_id, _), m in zip(docs, signatures, strict=True):
            session.insert(doc_id, m, check_duplication=False)
    insert_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    pairs: set[tuple[str, str]] = set()
    for (doc_id, _), m in zip(docs, signatures, strict=True):
        for other in lsh.query(m):
            if other != doc_id:
                pairs.add((doc_id, other) if doc_id < other else (other, doc_id))
    query_s = time.perf_counter() - t0
    return {
        "documents": len(docs),
        "candidate_pairs": len(pairs),
        "read_s": read_s,
        "shingle_s": shingle_s,
        "minhash_s": minhash_s,
        "insert_s": insert_s,
        "query_s": query_s,
        "total_s": time.perf_counter() - started,
    }


def store_pass(path: str, text_field: str, id_field: str, db: str) -> dict:
    """json.loads + SQLite insert of every record: the floor under any ingest."""
    started = time.perf_counter()
    con = sqlite3.connect(db)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("CREATE TABLE IF NOT EXISTS doc (id TEXT PRIMARY KEY, text TEXT NOT NULL)")
    read = stored = 0
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            read += 1
            record = json.loads(line)
            text = record.get(text_field)
            if isinstance(text, str) and text.strip():
                con.execute(
                    "INSERT OR REPLACE INTO doc VALUES (?, ?)", (str(record.get(id_field)), text)
                )
                stored += 1
            if read % 500 == 0:
                con.commit()
    con.commit()
    con.close()
    return {"read": read, "stored": stored, "total_s": time.perf_counter() - started}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    lsh = sub.add_parser("lsh", help="datasketch MinHash-LSH pass over a JSONL file")
    store = sub.add_parser("store", help="json.loads + SQLite insert of a JSONL file")
    for p in (lsh, store):
        p.add_argument("jsonl")
        p.add_argument("--text-field", default="text")
        p.add_argument("--id-field", default="id")
    lsh.add_argument("--threshold", type=float, default=0.5)
    lsh.add_argument("--num-perm", type=int, default=128)
    store.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    if args.command == "lsh":
        result = lsh_pass(args.jsonl, args.text_field, args.id_field, args.threshold, args.num_perm)
    else:
        result = store_pass(args.jsonl, args.text_field, args.id_field, args.db)
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
