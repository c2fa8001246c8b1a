import pytest

from swarmbridge.storage import db


def test_migrations_apply_once_in_order(tmp_path):
    conn = db.connect(tmp_path / "x.db")
    migs = [("001_a", "CREATE TABLE a (x INTEGER);"), ("002_b", "CREATE TABLE b (y TEXT); INSERT INTO b VALUES ('hi;there');")]
    assert db.migrate(conn, "t", migs) == ["001_a", "002_b"]
    assert db.migrate(conn, "t", migs) == []
    assert conn.execute("SELECT y FROM b").fetchone()[0] == "hi;there"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_failed_migration_rolls_back_and_is_not_recorded(tmp_path):
    conn = db.connect(tmp_path / "x.db")
    with pytest.raises(Exception):
        db.migrate(conn, "t", [("001", "CREATE TABLE a (x); INSERT INTO nope VALUES (1);")])
    assert conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master WHERE name='a'").fetchone()[0] == 0


def test_duplicate_names_rejected(tmp_path):
    with pytest.raises(ValueError):
        db.migrate(db.connect(tmp_path / "x.db"), "t", [("a", ""), ("a", "")])
