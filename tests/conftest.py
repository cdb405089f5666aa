"""Shared fixtures: sample inputs written on the fly, and one Prefect test harness per session."""
from __future__ import annotations

import gzip
import io
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"

STORY = (
    "The regional water board approved a plan on Monday to replace the oldest pipes in the eastern district, "
    "where leaks have caused three street closures since January.\n"
    "Work will start in the autumn and is expected to take eighteen months, the board said, with each street "
    "closed for no more than two weeks at a time.\n"
    "Residents will be offered bottled water during the short interruptions that connecting the new pipes requires.\n"
    "The board estimates the project will cut water lost to leaks by a quarter and pay for itself within twelve years."
)
OTHER_STORY = (
    "A new bus route linking the university campus with the train station will start running next week, "
    "the transport authority announced on Thursday.\n"
    "Buses will run every ten minutes during the day and every half hour in the evening, and students will ride free "
    "with their university card until the end of the year.\n"
    "The route replaces two older lines that passengers had complained were slow and unreliable, often arriving "
    "bunched together after long gaps."
)


def html_page(title: str, body: str, site: str = "Example Gazette", date: str = "2025-03-04") -> str:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f'<meta property="og:site_name" content="{site}"><meta property="article:published_time" content="{date}">'
        f'</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article><h1>{title}</h1>{paras}</article>'
        f"<footer>Copyright 2025 {site}</footer></body></html>"
    )


def text_dump(title: str, body: str) -> str:
    return f"logo\n{title}\n\n{title}\n\nExample Gazette04-03-2025\n\n{body}\nComments\n\nRelated Articles\n\nSomething else happened\n"


def warc_bytes(pages: list[tuple[str, bytes]], compress: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=compress)
    for url, body in pages:
        headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body), http_headers=headers))
    return buf.getvalue()


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A folder with one input of every format, good and bad, including a cross-format duplicate."""
    d = tmp_path / "inputs"
    d.mkdir()
    (d / "water.txt").write_text(text_dump("Water board approves pipe plan", STORY), encoding="utf-8")
    (d / "water.html").write_text(html_page("Water board approves pipe plan", STORY), encoding="utf-8")
    (d / "bus.html.gz").write_bytes(gzip.compress(html_page("New bus route", OTHER_STORY).encode()))
    (d / "export.jsonl").write_text(
        json.dumps({"url": "https://example.org/a", "title": "Bus", "text": OTHER_STORY}) + "\n" + "{not json\n",
        encoding="utf-8",
    )
    (d / "crawl.warc.gz").write_bytes(warc_bytes([("https://example.org/water", html_page("Water", STORY).encode())]))
    (d / "empty.txt").write_bytes(b"")
    (d / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (d / "cut.txt.gz").write_bytes(gzip.compress(" ".join(str(i * 7919 % 10007) for i in range(5000)).encode())[:2000])
    return d


@pytest.fixture
def corpus_db(tmp_path: Path) -> Path:
    """A DuckDB file with the newsclean schema and no documents."""
    from newsclean.store.duck import Store

    db = tmp_path / "corpus.duckdb"
    Store(db).close()
    return db


@pytest.fixture(scope="session")
def prefect_harness():
    """A real, temporary Prefect server for the whole session (flows are slow to start: run few)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
