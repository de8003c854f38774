"""Draw the candidate pairs from which ``real_pairs.jsonl`` was labelled (by reading).

Reads ``$WIRETRACE_SHARED/data/{reuters21578,bbc-news}/articles.jsonl`` (default: the
``shared`` folder beside the repository) and writes candidate pairs, ids and scores only,
never text, one JSON object per line, grouped in pools named ``<strategy>`` and each pool
shuffled with a fixed seed. The labeller read the pools in this order and labelled what
they read; see ``README.md`` beside this file for which pools and how far.

Strategies (several, so that the set does not favour one detector):

- ``jaccard-high`` / ``jaccard-mid`` / ``jaccard-low``: exact Jaccard of word 5-shingles
  (lowercased word tokens, numbers kept whole) >= 0.8, 0.3-0.8, 0.02-0.3 (at least two
  shared shingles); pairs found through an inverted index of shingles held by at most
  ``MAX_DF`` documents, so pairs sharing only very common phrases are not drawn here.
  ``jaccard-low-contained`` is the part of the low band where one side's shingles are
  mostly (>= 0.5) inside the other's (trims, insertions).
- ``title``: Reuters: titles sharing >= 50% of their content words, dates within 3 days,
  same dateline place; BBC: titles sharing >= 40% of content words, same category.
- ``rare-entities``: pairs sharing >= 3 rare anchors (capitalised words and numbers held
  by 2-5 documents of the corpus).
- ``topic-date``: Reuters pairs with the same non-empty ``topics`` on the same day.
- ``topic-random``: random pairs with the same Reuters ``topics`` / BBC ``category``.
- ``frame``: Reuters pairs whose 3-shingle Jaccard with every number masked is >= 0.5
  while the 5-shingle Jaccard with numbers kept is < 0.5 (one frame, other figures).
- ``passage``: pairs of the low band (Jaccard < 0.3, containment < 0.5) that share one
  contiguous run of at least 25 words (a reused paragraph inside otherwise different text).
- ``rare-entities-near``: the ``rare-entities`` pairs dated at most 2 days apart whose
  5-shingle Jaccard is < 0.1 (same event, separately written), Reuters only.

Run: ``python bench/data/sample_pairs.py [--out FILE] [--per-pool N]``
"""

from __future__ import annotations

import argparse
import difflib
import itertools
import json
import os
import random
import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SEED = 14
MAX_DF = 50
TOKEN = re.compile(r"[a-z0-9]+(?:[.,'/-][a-z0-9]+)*")
CAP_OR_NUM = re.compile(r"\b(?:[A-Z][A-Za-z]{2,}|\d[\d.,]*\d|\d)\b")
STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "from",
        "by",
        "with",
        "and",
        "or",
        "vs",
        "says",
        "say",
        "said",
        "its",
        "it",
        "is",
        "be",
        "as",
        "up",
        "u.s",
        "us",
        "new",
    ]
)


def shared_dir() -> Path:
    return Path(os.environ.get("WIRETRACE_SHARED", REPO.parent / "shared")).resolve()


def load(shared: Path) -> dict[str, list[dict]]:
    """Both corpora as lists of {id, text, title, day, place, topic} (Reuters: with a body)."""
    out: dict[str, list[dict]] = {"reuters21578": [], "bbc-news": []}
    with open(shared / "data" / "reuters21578" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            if not r.get("body"):
                continue
            day = datetime.strptime(r["date"].split()[0], "%d-%b-%Y").date()
            place = (r.get("dateline") or "").split(",")[0].strip().upper()
            out["reuters21578"].append(
                {
                    "id": str(r["newid"]),
                    "text": r["body"],
                    "title": r.get("title") or "",
                    "day": day,
                    "place": place,
                    "topic": " ".join(sorted(r.get("topics") or [])),
                }
            )
    with open(shared / "data" / "bbc-news" / "articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            out["bbc-news"].append(
                {
                    "id": r["id"],
                    "text": r["text"],
                    "title": r.get("title") or "",
                    "day": None,
                    "place": "",
                    "topic": r["category"],
                }
            )
    return out


def tokens(text: str) -> list[str]:
    return TOKEN.findall(text.lower())


def shingles(toks: list[str], k: int) -> set[tuple[str, ...]]:
    return {tuple(toks[i : i + k]) for i in range(max(1, len(toks) - k + 1))}


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def key(docs: list[dict], i: int, j: int) -> tuple[int, int]:
    """Order a pair: Reuters by newid (roughly time order), BBC by id."""
    if docs[i]["id"].isdigit() and docs[j]["id"].isdigit():
        return (i, j) if int(docs[i]["id"]) < int(docs[j]["id"]) else (j, i)
    return (i, j) if docs[i]["id"] < docs[j]["id"] else (j, i)


def shingle_pairs(docs: list[dict], sh: list[set]) -> dict[tuple[int, int], int]:
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for i, s in enumerate(sh):
        for g in s:
            index[g].append(i)
    shared: Counter = Counter()
    for ids in index.values():
        if 2 <= len(ids) <= MAX_DF:
            for i, j in itertools.combinations(ids, 2):
                shared[key(docs, i, j)] += 1
    return shared


def content_words(title: str) -> set[str]:
    return {t for t in tokens(title) if t not in STOP and len(t) > 1}


def pools_for(corpus: str, docs: list[dict], rng: random.Random) -> dict[str, list[dict]]:
    pools: dict[str, list[dict]] = defaultdict(list)
    # pools added after the first reading round: shuffled with their own seed, so that the
    # order of the first pools (which share one generator) is unchanged
    extra: dict[str, list[dict]] = defaultdict(list)
    toks = [tokens(d["text"]) for d in docs]
    sh = [shingles(t, 5) for t in toks]
    shared = shingle_pairs(docs, sh)
    for (i, j), n in shared.items():
        if n < 2:
            continue
        inter = len(sh[i] & sh[j])
        jac = inter / (len(sh[i]) + len(sh[j]) - inter)
        cont = inter / min(len(sh[i]), len(sh[j]))
        rec = {
            "a": docs[i]["id"],
            "b": docs[j]["id"],
            "jaccard": round(jac, 3),
            "containment": round(cont, 3),
        }
        if jac < 0.3 and cont < 0.5 and inter >= 8:
            run = difflib.SequenceMatcher(
                None, toks[i], toks[j], autojunk=False
            ).find_longest_match()
            if run.size >= 25:
                extra["passage"].append({**rec, "run": run.size})
        if jac >= 0.8:
            pools["jaccard-high"].append(rec)
        elif jac >= 0.3:
            pools["jaccard-mid"].append(rec)
        elif jac >= 0.02:
            pools["jaccard-low-contained" if cont >= 0.5 else "jaccard-low"].append(rec)

    # title words (+ same place and 3 days for Reuters, same category for BBC)
    tw = [content_words(d["title"]) for d in docs]
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, w in enumerate(tw):
        for t in w:
            by_word[t].append(i)
    seen: set[tuple[int, int]] = set()
    for ids in by_word.values():
        if len(ids) > 300:
            continue
        for i, j in itertools.combinations(ids, 2):
            p = key(docs, i, j)
            if p in seen:
                continue
            seen.add(p)
            a, b = docs[p[0]], docs[p[1]]
            overlap = jaccard(tw[i], tw[j])
            if corpus == "reuters21578":
                ok = (
                    overlap >= 0.5
                    and a["place"] == b["place"]
                    and abs((a["day"] - b["day"]).days) <= 3
                )
            else:
                ok = overlap >= 0.4 and a["topic"] == b["topic"]
            if ok:
                pools["title"].append(
                    {"a": a["id"], "b": b["id"], "title_overlap": round(overlap, 3)}
                )

    # rare anchors: capitalised words and numbers held by 2-5 documents
    anchors = [set(CAP_OR_NUM.findall(d["text"])) for d in docs]
    df = Counter(t for s in anchors for t in s)
    by_anchor: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(anchors):
        for t in s:
            if 2 <= df[t] <= 5:
                by_anchor[t].append(i)
    rare: Counter = Counter()
    for ids in by_anchor.values():
        for i, j in itertools.combinations(ids, 2):
            rare[key(docs, i, j)] += 1
    for (i, j), n in rare.items():
        if n >= 3:
            rec = {"a": docs[i]["id"], "b": docs[j]["id"], "rare_shared": n}
            pools["rare-entities"].append(rec)
            near = docs[i]["day"] and abs((docs[i]["day"] - docs[j]["day"]).days) <= 2
            if near and jaccard(sh[i], sh[j]) < 0.1:
                extra["rare-entities-near"].append(rec)

    # same topic and day (Reuters), random within topic (both)
    by_topic: dict[str, list[int]] = defaultdict(list)
    for i, d in enumerate(docs):
        if d["topic"]:
            by_topic[d["topic"]].append(i)
    if corpus == "reuters21578":
        by_topic_day: dict[tuple, list[int]] = defaultdict(list)
        for i, d in enumerate(docs):
            if d["topic"]:
                by_topic_day[(d["topic"], d["day"])].append(i)
        groups = [g for g in by_topic_day.values() if len(g) >= 2]
        for _ in range(2000):
            g = rng.choice(groups)
            i, j = key(docs, *rng.sample(g, 2))
            pools["topic-date"].append(
                {"a": docs[i]["id"], "b": docs[j]["id"], "topic": docs[i]["topic"]}
            )
    topics = [t for t, g in by_topic.items() if len(g) >= 2]
    for _ in range(2000):
        g = by_topic[rng.choice(topics)]
        i, j = key(docs, *rng.sample(g, 2))
        pools["topic-random"].append(
            {"a": docs[i]["id"], "b": docs[j]["id"], "topic": docs[i]["topic"]}
        )

    # one frame, other figures (Reuters): masked 3-shingles
    if corpus == "reuters21578":
        masked = [
            shingles(["#" if any(c.isdigit() for c in t) else t for t in tokens(d["text"])], 3)
            for d in docs
        ]
        index: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for i, s in enumerate(masked):
            for g in s:
                index[g].append(i)
        frame: Counter = Counter()
        for ids in index.values():
            if 2 <= len(ids) <= 400:
                for i, j in itertools.combinations(ids, 2):
                    frame[key(docs, i, j)] += 1
        for (i, j), n in frame.items():
            if n < 4:
                continue
            mj = jaccard(masked[i], masked[j])
            if mj >= 0.5 and jaccard(sh[i], sh[j]) < 0.5:
                pools["frame"].append(
                    {"a": docs[i]["id"], "b": docs[j]["id"], "masked_jaccard": round(mj, 3)}
                )

    for name in pools:
        pools[name].sort(key=lambda r: (r["a"], r["b"]))
        rng.shuffle(pools[name])
    for name in extra:
        extra[name].sort(key=lambda r: (r["a"], r["b"]))
        random.Random(f"{SEED}-{corpus}-{name}").shuffle(extra[name])
    return {**pools, **extra}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=shared_dir())
    parser.add_argument("--out", type=Path, default=Path("candidates.jsonl"))
    parser.add_argument("--per-pool", type=int, default=400, help="keep the first N of each pool")
    args = parser.parse_args()
    data = load(args.shared)
    with open(args.out, "w", encoding="utf-8") as out:
        for corpus, docs in data.items():
            rng = random.Random(f"{SEED}-{corpus}")
            pools = pools_for(corpus, docs, rng)
            for name in sorted(pools):
                for rank, rec in enumerate(pools[name][: args.per_pool]):
                    out.write(
                        json.dumps({"corpus": corpus, "strategy": name, "rank": rank, **rec}) + "\n"
                    )
                print(f"{corpus:13} {name:22} {len(pools[name]):7} pairs")


if __name__ == "__main__":
    main()
