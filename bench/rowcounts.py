"""Exact row counts of every table of a PostgreSQL database, to show that a migration loses nothing.

    .venv/bin/python bench/rowcounts.py > before.json        # on the database before `migrate`
    .venv/bin/python manage.py migrate
    .venv/bin/python bench/rowcounts.py --compare before.json

Without `DATABASE_URL` it reads the benchmark's database. `--renamed old=new` names a table that a
migration renamed. Exits non-zero when a table lost or gained rows (django_migrations aside) or went
missing."""

from __future__ import annotations

import argparse
import json
import os
import sys

import psycopg

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/digibank_bench"


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
        return {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in sorted(tables)}  # type: ignore[index]


def compare(before: dict[str, int], after: dict[str, int], renamed: dict[str, str]) -> list[str]:
    problems = []
    for table, rows in before.items():
        now = after.get(renamed.get(table, table))
        if now is None:
            problems.append(f"{table}: gone")
        elif now != rows and table != "django_migrations":
            problems.append(f"{table}: {rows} rows before, {now} after")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--compare", metavar="BEFORE_JSON", help="compare with counts written earlier")
    parser.add_argument("--renamed", action="append", default=[], metavar="OLD=NEW")
    args = parser.parse_args()
    now = counts(os.environ.get("DATABASE_URL", DEFAULT_URL))
    if not args.compare:
        print(json.dumps(now, indent=1))
        return
    with open(args.compare) as f:
        before = json.load(f)
    problems = compare(before, now, dict(r.split("=", 1) for r in args.renamed))
    print(f"{len(before)} tables, {sum(before.values()):,} rows before; {len(now)} tables, {sum(now.values()):,} after")
    print("\n".join(problems) or "every table kept its rows")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
