"""SQLite storage: one database file, named forward-only migrations, repositories per subsystem.

SQL lives in this package. Each subsystem owns a namespace of migrations (``swarm``, ``scheduler``,
...) applied in order on open and recorded in ``_migrations``.
"""
