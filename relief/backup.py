"""Back the database up to one file and bring it back, with the database's own tools.

PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore --clean`` (consistent snapshots, no locks on writers).
SQLite: the online backup API of sqlite3, page by page, also consistent while the app runs.
"""

import os
import sqlite3
import subprocess

from django.db import connection


def _pg_args():
    settings = connection.settings_dict
    args = ["--host", settings["HOST"] or "localhost", "--username", settings["USER"] or "postgres"]
    if settings["PORT"]:
        args += ["--port", str(settings["PORT"])]
    env = {**os.environ, "PGPASSWORD": settings["PASSWORD"] or ""}
    return args, settings["NAME"], env


def backup(path):
    """Write a consistent copy of the database to ``path``."""
    if connection.vendor == "postgresql":
        args, name, env = _pg_args()
        subprocess.run(
            ["pg_dump", *args, "--format=custom", "--no-owner", "--file", str(path), name], env=env, check=True
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
    else:
        raise NotImplementedError(connection.vendor)


def restore(path):
    """Replace the database's contents with the backup at ``path``."""
    if connection.vendor == "postgresql":
        args, name, env = _pg_args()
        connection.close()  # pg_restore --clean drops tables; our idle connection must not hold them
        subprocess.run(
            ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--dbname", name,
             str(path)],
            env=env, check=True,
        )  # fmt: skip
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(path) as source:
            source.backup(connection.connection)
        source.close()
    else:
        raise NotImplementedError(connection.vendor)
