#!/usr/bin/env python3
"""Writes a Singer message stream for the benchmark: one SCHEMA, N RECORDs, one STATE.

Usage: gen_records.py N OUT_FILE

One stream, `events`, append-only (key_properties []), 10 fields of mixed types: integer id,
strings, a double, a boolean, a date-time, a date, a nullable string, a string enum, a small
nested object. Output is deterministic for a given N (fixed seed), about 300 bytes per line.
Standard library only.
"""
import json
import random
import sys

STREAM = "events"

SCHEMA = {
    "type": "SCHEMA",
    "stream": STREAM,
    "key_properties": [],
    "schema": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"},
            "name": {"type": "string"},
            "email": {"type": ["string", "null"]},
            "country": {"type": "string"},
            "amount": {"type": "number"},
            "active": {"type": "boolean"},
            "created_at": {"type": "string", "format": "date-time"},
            "birth_date": {"type": "string", "format": "date"},
            "note": {"type": ["null", "string"]},
            "attrs": {
                "type": "object",
                "properties": {
                    "source": {"type": "string"},
                    "score": {"type": "integer"},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}

FIRST = ["Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Ken", "Margaret", "Linus",
         "Radia", "Tim", "Sophie", "Guido", "Anita", "Dennis"]
LAST = ["Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen", "Thompson", "Hamilton",
        "Torvalds", "Perlman", "Berners-Lee", "Wilson", "van Rossum", "Borg", "Ritchie"]
COUNTRIES = ["DE", "FR", "US", "GB", "NL", "SE", "JP", "BR", "IN", "ZA", "CA", "ES"]
SOURCES = ["web", "ios", "android", "api", "import"]
TAGS = ['["new"]', '["vip","beta"]', '[]', '["churn-risk"]', '["beta","trial","promo"]']
NOTES = ["called back, wants an invoice", "prefers e-mail", "moved to the enterprise plan",
         "duplicate of an older account", 'asked about \\"data export\\" twice']
DIGITS = "0123456789"


def days_to_date(days):
    """Days since 1970-01-01 -> (y, m, d), proleptic Gregorian (Howard Hinnant's algorithm)."""
    z = days + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + 1 if m <= 2 else y), m, d


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: gen_records.py N OUT_FILE")
    n = int(sys.argv[1])
    out_path = sys.argv[2]
    rnd = random.Random(20240601)
    rand = rnd.random
    randrange = rnd.randrange
    base = 1_700_000_000  # 2023-11-14T22:13:20Z
    chunk = []
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write(json.dumps(SCHEMA, separators=(",", ":")) + "\n")
        for i in range(1, n + 1):
            first = FIRST[i % 16]
            last = LAST[(i // 16) % 16]
            secs = base + i * 7 + randrange(60)
            days, rem = divmod(secs, 86400)
            y, mo, d = days_to_date(days)
            hh, rem = divmod(rem, 3600)
            mi, ss = divmod(rem, 60)
            by, bm, bd = days_to_date(-3650 + randrange(14000))
            r = rand()
            email = "null" if r < 0.05 else f'"{first.lower()}.{i}@example.com"'
            note = f'"{NOTES[i % 5]}"' if r > 0.6 else "null"
            chunk.append(
                f'{{"type":"RECORD","stream":"{STREAM}","record":{{"id":{i},"name":"{first} {last}",'
                f'"email":{email},"country":"{COUNTRIES[i % 12]}","amount":{randrange(1000000) / 100},'
                f'"active":{"true" if r < 0.7 else "false"},'
                f'"created_at":"{y:04d}-{mo:02d}-{d:02d}T{hh:02d}:{mi:02d}:{ss:02d}.{randrange(1000000):06d}+00:00",'
                f'"birth_date":"{by:04d}-{bm:02d}-{bd:02d}","note":{note},'
                f'"attrs":{{"source":"{SOURCES[i % 5]}","score":{randrange(100)},"tags":{TAGS[i % 5]}}}}}}}\n'
            )
            if len(chunk) == 65536:
                out.write("".join(chunk))
                chunk.clear()
        out.write("".join(chunk))
        state = {"type": "STATE", "value": {"bookmarks": {STREAM: {"replication_key": "id",
                                                                     "replication_key_value": n}}}}
        out.write(json.dumps(state, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
