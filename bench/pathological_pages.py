"""CPU seconds of the HTML path and the fast mode on generated pages whose shape makes a parser, a query or a
pass over lines slow as the page grows: tens of thousands of siblings, misnested or unclosed elements, one tag
of 100,000 attributes, hundreds of thousands of lines. Each page runs in a process of its own, stopped after
--timeout seconds; the time should grow with the page's size, not its square.

Usage: python bench/pathological_pages.py [--timeout 120] [--only NAME,...]
"""
from __future__ import annotations

import argparse
import multiprocessing
import time
from dataclasses import replace

N = 50_000
PAGES = {
    "unclosed <b>": "<b>x " * N,
    "misnested <b><i>": "<b><i>x</b></i> " * N,
    "unclosed <a>": "<a href=#>x " * N,
    "table with stray text": "<table>" + "<tr><td>x<p>y</td></tr>junk " * N + "</table>",
    "paragraphs": "<p>Short para text here.</p>" * (4 * N),
    "entities": "<p>" + "&amp;&#x41;&nbsp;" * (4 * N) + "</p>",
    "line breaks": "<p>" + "word<br>" * (4 * N) + "</p>",
    "nested lists": "<ul><li>item " * 5000,
    "sibling divs": "".join(f'<div id="d" class="c{i % 7} card">item {i}</div>' for i in range(N)),
    "unclosed <option>": "<select>" + "<option>o" * N + "</select>",
    "comments": "<!-- c --><p>x</p>" * N,
    "scripts": "<script>var a=1;</script><p>x</p>" * N,
    "one long word": "<p>" + "a" * 2_000_000 + "</p>",
    "headings": "<h2>Heading</h2><p>Some text of a paragraph here.</p>" * N,
    "forum posts": "<main>" + "".join(f'<div class="post"><span class="author">user{i}</span><p>Reply number {i} with '
                                      "some words.</p></div>" for i in range(N)) + "</main>",
    "list items": "<ul>" + "<li>item</li>" * (4 * N) + "</ul>",
    "one tag, 100,000 attributes": "<p " + " ".join(f'a{i}="{i}"' for i in range(100_000)) + ">hi</p>",
}


def page(name: str) -> str:
    return f"<html><body>{PAGES[name]}</body></html>"


def clean(name: str, fast: bool, out) -> None:
    from newsclean.document import Document
    from newsclean.extract.html import HtmlConfig
    from newsclean.pipeline import CleanConfig, clean_html

    config = replace(CleanConfig(), html=replace(HtmlConfig(), fast=fast))
    start = time.process_time()
    doc = clean_html(Document(text="", html=page(name)), config)
    out.put((time.process_time() - start, len(doc.text.split())))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--timeout", type=float, default=120.0)
    ap.add_argument("--only", help="comma-separated page names")
    a = ap.parse_args()
    names = a.only.split(",") if a.only else list(PAGES)
    print(f"{'page':30s} {'MB':>5s}   HTML path (CPU s, words)   fast mode")
    for name in names:
        cells = []
        for fast in (False, True):
            out = multiprocessing.Queue()
            worker = multiprocessing.Process(target=clean, args=(name, fast, out))
            worker.start()
            worker.join(a.timeout)
            if worker.is_alive():
                worker.kill()
                cells.append(f"over {a.timeout:.0f} s")
            elif out.empty():
                cells.append(f"failed (exit {worker.exitcode})")
            else:
                seconds, words = out.get()
                cells.append(f"{seconds:7.2f} s, {words:>9,d}")
        print(f"{name:30s} {len(page(name)) / 1e6:5.1f}   {cells[0]:26s} {cells[1]}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
