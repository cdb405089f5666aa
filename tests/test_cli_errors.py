"""Usage and environment errors: one line saying what is wrong and what to do, a non-zero exit, no traceback."""
from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import REPO
from tests.test_cli import newsclean


def one_line_error(out, code: int = 2) -> str:
    """The single stderr line of a refused command, after checking its exit code and that nothing else was said."""
    lines = out.stderr.strip().splitlines()
    assert out.returncode == code, out.stderr[-2000:]
    assert "Traceback" not in out.stderr and len(lines) == 1, out.stderr[-2000:]
    assert lines[0].startswith("newsclean: ")
    return lines[0]


def test_run_on_a_missing_path(tmp_path):
    line = one_line_error(newsclean("run", "/no/such/path", "--db", str(tmp_path / "c.duckdb")))
    assert "nothing to read: no file, folder or glob match for '/no/such/path'" in line and "give files, folders" in line


def test_run_on_standard_input_says_which_command_reads_it(tmp_path):
    line = one_line_error(newsclean("run", "-", "--db", str(tmp_path / "c.duckdb")))
    assert "no file, folder or glob match for '-'" in line and "standard input (-) is read by `newsclean clean -`" in line


def test_run_on_a_folder_without_supported_files(tmp_path):
    (tmp_path / "notes.csv").write_text("a,b\n")
    line = one_line_error(newsclean("run", str(tmp_path), "--db", str(tmp_path / "c.duckdb")))
    assert f"nothing to read: no supported files in {tmp_path}" in line


@pytest.mark.parametrize("command", ["run", "clean"])
def test_a_config_value_of_the_wrong_type(tmp_path, command):
    (tmp_path / "a.txt").write_text("A sentence of text.")
    (tmp_path / "n.toml").write_text('[dedup]\nthreshold = "high"\n')
    out = newsclean(command, str(tmp_path / "a.txt"), "--config", str(tmp_path / "n.toml"), "--db", str(tmp_path / "c.duckdb")) \
        if command == "run" else newsclean(command, str(tmp_path / "a.txt"), "--config", str(tmp_path / "n.toml"))
    line = one_line_error(out)
    assert line == f"newsclean: [dedup] threshold = 'high' in {tmp_path / 'n.toml'} should be a number; fix it or remove the key"


def test_a_bad_settings_file_under_run_is_refused_before_prefect_starts(tmp_path):
    (tmp_path / "a.txt").write_text("A sentence of text.")
    (tmp_path / "n.toml").write_text("[text]\nno_such_knob = 1\n")
    line = one_line_error(newsclean("run", str(tmp_path / "a.txt"), "--config", str(tmp_path / "n.toml"), "--db", str(tmp_path / "c.duckdb")))
    assert "[text] in" in line and "unknown keys ['no_such_knob']" in line
    assert not (tmp_path / "c.duckdb").exists()


def test_a_missing_url_list(tmp_path):
    line = one_line_error(newsclean("run", "--urls", str(tmp_path / "sources.txt"), "--db", str(tmp_path / "c.duckdb")))
    assert "cannot read the URL list" in line and "give --urls a file" in line


@pytest.mark.parametrize("what, why", [("binary", "it is not UTF-8 text"), ("folder", "it is a folder")])
def test_a_url_list_that_is_not_text(tmp_path, what, why):
    urls = tmp_path / "sources.txt"
    if what == "folder":
        urls.mkdir()
    else:
        urls.write_bytes(b"\xa2\x00\xff" * 100)
    line = one_line_error(newsclean("run", "--urls", str(urls), "--db", str(tmp_path / "c.duckdb")))
    assert line == f"newsclean: cannot read the URL list {urls}: {why}; give --urls a file of URLs, one a line"
    assert not (tmp_path / "c.duckdb").exists()


def test_run_db_under_a_path_that_is_a_file(tmp_path):
    (tmp_path / "a.txt").write_text("A sentence of text.")
    (tmp_path / "plain").write_text("x")
    line = one_line_error(newsclean("run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "plain" / "c.duckdb")))
    assert line == f"newsclean: cannot create the database {tmp_path / 'plain' / 'c.duckdb'}: a part of its folder is a file; give --db a path inside a folder"


def test_export_since_not_a_date_leaves_no_file(tmp_path, corpus_db):
    out = tmp_path / "out.parquet"
    line = one_line_error(newsclean("export", str(out), "--db", str(corpus_db), "--since", "yesterday"))
    assert line == "newsclean: --since 'yesterday' is not a date; give it as YYYY-MM-DD, e.g. --since 2025-01-01"
    assert not out.exists()


def test_export_to_an_unknown_format(tmp_path, corpus_db):
    line = one_line_error(newsclean("export", str(tmp_path / "out.csv"), "--db", str(corpus_db)))
    assert "cannot tell the format of" in line and "--format parquet|jsonl" in line
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("command", ["export", "run"])
def test_db_that_is_a_json_lines_export(tmp_path, command):
    """DuckDB opens an existing .jsonl or .json file as data in an in-memory database: a run's writes would vanish."""
    export = tmp_path / "export.jsonl"
    export.write_text('{"text": "a stored document"}\n')
    args = ["export", str(tmp_path / "o.jsonl")] if command == "export" else ["run", str(REPO / "raw" / "harbor-bridge.txt")]
    line = one_line_error(newsclean(*args, "--db", str(export)))
    assert line == f"newsclean: {export} is not a DuckDB database; give --db the file `newsclean run` writes"
    assert export.read_text() == '{"text": "a stored document"}\n'


def test_export_from_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "notes.duckdb").write_text("these are notes\n" * 100)
    line = one_line_error(newsclean("export", str(tmp_path / "o.jsonl"), "--db", str(tmp_path / "notes.duckdb")))
    assert line == f"newsclean: {tmp_path / 'notes.duckdb'} is not a DuckDB database; give --db the file `newsclean run` writes"


def test_export_from_a_database_without_a_corpus(tmp_path):
    duckdb.connect(str(tmp_path / "other.duckdb")).close()
    line = one_line_error(newsclean("export", str(tmp_path / "o.jsonl"), "--db", str(tmp_path / "other.duckdb")))
    assert "holds no newsclean corpus" in line and not (tmp_path / "o.jsonl").exists()


def test_export_from_a_missing_database(tmp_path):
    line = one_line_error(newsclean("export", str(tmp_path / "o.jsonl"), "--db", str(tmp_path / "none.duckdb")))
    assert "no database at" in line and "run `newsclean run` first" in line


def test_a_locked_database(tmp_path, corpus_db):
    (tmp_path / "a.txt").write_text("A sentence of text.")
    holder = duckdb.connect(str(corpus_db))
    try:
        for args in (["export", str(tmp_path / "o.jsonl")], ["run", str(tmp_path / "a.txt")]):
            line = one_line_error(newsclean(*args, "--db", str(corpus_db), "--wait", "0.3"), code=3)
            assert line == f"newsclean: {corpus_db} is locked by process {os.getpid()}; gave up after waiting 0.3 s"
    finally:
        holder.close()


def test_a_run_whose_inputs_are_all_unreadable_exits_1(tmp_path):
    (tmp_path / "inputs").mkdir()
    (tmp_path / "inputs" / "empty.txt").write_bytes(b"")
    (tmp_path / "inputs" / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    db = tmp_path / "c.duckdb"
    out = newsclean("run", str(tmp_path / "inputs"), "--db", str(db))
    assert out.returncode == 1 and "Traceback" not in out.stderr, out.stderr[-2000:]
    last = out.stderr.strip().splitlines()[-1]
    assert last.startswith("newsclean: nothing could be read, 2 errors recorded: SELECT * FROM input_errors WHERE run_id = '")
    assert last.endswith(f"' in {db}")


def test_schedule_with_a_bad_cron(tmp_path):
    line = one_line_error(newsclean("schedule", str(tmp_path), "--cron", "every hour", "--db", str(tmp_path / "c.duckdb")))
    assert line == "newsclean: --cron 'every hour' is not a cron expression; give five fields, e.g. --cron \"0 */6 * * *\""


def test_schedule_on_a_missing_folder(tmp_path):
    line = one_line_error(newsclean("schedule", str(tmp_path / "incoming"), "--cron", "* * * * *", "--db", str(tmp_path / "c.duckdb")))
    assert line == f"newsclean: {tmp_path / 'incoming'}: no such file or folder; give folders to watch or files to read"


def test_schedule_without_a_prefect_server(tmp_path):
    home = {"PREFECT_HOME": str(tmp_path / "home"), "PREFECT_API_URL": ""}
    line = one_line_error(newsclean("schedule", str(tmp_path), "--cron", "* * * * *", "--db", str(tmp_path / "c.duckdb"), env=home))
    assert line == "newsclean: schedule needs a Prefect server: run `prefect server start`, then set PREFECT_API_URL=http://127.0.0.1:4200/api"
    unreachable = home | {"PREFECT_API_URL": "http://127.0.0.1:9/api"}
    line = one_line_error(newsclean("schedule", str(tmp_path), "--cron", "* * * * *", "--db", str(tmp_path / "c.duckdb"), env=unreachable))
    assert line.startswith("newsclean: cannot reach the Prefect server at http://127.0.0.1:9/api (")
    assert line.endswith("start it with `prefect server start` or fix PREFECT_API_URL")


def test_clean_on_a_missing_path():
    line = one_line_error(newsclean("clean", "/no/such/path"))
    assert line.startswith("newsclean: nothing to read: no file, folder or glob match for '/no/such/path'; give files")


def test_db_that_is_a_folder(tmp_path):
    (tmp_path / "a.txt").write_text("A sentence of text.")
    line = one_line_error(newsclean("run", str(tmp_path / "a.txt"), "--db", str(tmp_path)))
    assert line == f"newsclean: {tmp_path} is a folder; give --db a file such as {tmp_path / 'corpus.duckdb'}"


def test_a_batch_size_below_one():
    out = newsclean("run", "raw", "--batch-size", "0")
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines()[-1] == "newsclean run: error: argument --batch-size: 0 is below 1"


def test_the_deploy_alias_passes_on_to_schedule(tmp_path):
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    out = subprocess.run([sys.executable, "-m", "newsclean_flows.deploy", "--urls-file", str(tmp_path / "sources.txt"),
                          "--cron", "* * * * *", "--db", str(tmp_path / "c.duckdb")], capture_output=True, text=True, env=env, timeout=300)
    assert one_line_error(out) == f"newsclean: cannot read the URL list {tmp_path / 'sources.txt'}: no such file; give --urls a file of URLs, one a line"


def test_clean_messages_read_as_english(tmp_path):
    (tmp_path / "a.jsonl").write_text('{"text": "unterminated', encoding="utf-8")
    out = newsclean("clean", str(tmp_path / "a.jsonl"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert out.stderr.splitlines() == [
        f"newsclean: {tmp_path / 'a.jsonl'} (record 1): invalid_json: line 1 is not valid JSON: Unterminated string starting at: column 10",
        "newsclean: 0 documents from 1 input, 1 error",
    ]


def test_run_when_the_temporary_prefect_server_cannot_start(tmp_path):
    (tmp_path / "a.txt").write_text("A sentence of text, long enough to be kept as a line of prose.\n")
    broken = {"PREFECT_HOME": str(tmp_path / "home"), "PREFECT_API_URL": "",
              "PREFECT_SERVER_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{tmp_path}/no/such/dir/prefect.db"}
    line = one_line_error(newsclean("run", str(tmp_path / "a.txt"), "--db", str(tmp_path / "c.duckdb"), env=broken))
    assert "the temporary Prefect server on 127.0.0.1:" in line and "exited with code" in line
    assert "unable to open database file" in line and line.endswith("or set PREFECT_API_URL to a running server)")
