"""The throwaway PostgreSQL database of the benches (import_bench.py, web_bench.py, profile_pages.py).

A bench drops and re-creates its database, so its name must contain «bench»: the developer's own
database can never be the one dropped."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit


class BenchError(Exception):
    pass


def database_name(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise BenchError(f"--database-url must be a PostgreSQL URL, not {parts.scheme}://")
    name = parts.path.lstrip("/")
    if not name or "bench" not in name:
        raise BenchError(f"The bench drops and re-creates its database: its name must contain «bench» (got {name!r}).")
    return name


def _maintenance_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.replace("pgsql", "postgresql"), parts.netloc, "/postgres", parts.query, ""))


def _maintenance(statement, *, url: str) -> None:
    import psycopg

    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        conn.execute(statement)


def database_exists(url: str) -> bool:
    import psycopg

    with psycopg.connect(_maintenance_url(url), autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database_name(url)]).fetchone() is not None


def recreate_database(url: str) -> None:
    from psycopg import sql

    name = sql.Identifier(database_name(url))
    _maintenance(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name), url=url)
    _maintenance(sql.SQL("CREATE DATABASE {}").format(name), url=url)


def drop_database(url: str) -> None:
    from psycopg import sql

    _maintenance(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database_name(url))), url=url)
