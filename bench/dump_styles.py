#!/usr/bin/env python3
"""Render the benchmark pages into extra plain-text dump styles.

A line classifier trained on one flattener's output learns that tool's quirks. This script
renders every page of the wcxb and scrapinghub benches into several more dump styles so the
training/evaluation data covers how different tools lay the same page out as text:

  lynx      lynx -dump -nolist -width=200 (stdin, forced HTML, utf-8 in and out)
  links     links -dump -width 200 (utf-8 in and out)
  tagtext   every body text node on its own line (inline elements split, as in real dumps);
            <noscript> is skipped unless the page has no other text (Discourse forums)
  html2text the html2text package: markdown-ish, links and images dropped, no wrapping
  wrapped   the existing inscriptis dump, each line re-wrapped at 72 columns
  noblank   the w3m dump, blank lines dropped and indentation stripped (scrapinghub has no
            w3m dump in the bench, so one is made here with w3m -dump -cols 2000)
  lynx80    lynx -dump -nolist at its default width (80 columns: paragraphs wrapped)
  w3m80     w3m -dump at its default width (80 columns)
  elinks    elinks -dump at its default width (80 columns: paragraphs wrapped, body indented),
            without link numbers and the references list
  pandoc    pandoc -f html -t plain with its defaults (paragraphs wrapped at 72 columns, tables
            drawn in ASCII, list markers as "-")
  lynxrefs  lynx -dump with all its defaults: 80 columns, every link numbered ("[12]Home") and the
            closing "References" list of their URLs
  elinksrefs elinks -dump with all its defaults: 80 columns, numbered links, "References" list
  markdown  the html2text package with its defaults: Markdown links and images, wrapped at 78
  pandocmd  pandoc -f html -t markdown with its defaults: Markdown links, "::: {.class}" div fences and
            attribute blocks, wrapped at 72
  gfm       pandoc -f html -t gfm with its defaults: GitHub Markdown, every element it has no syntax for
            written as raw HTML tags, wrapped at 72
  debhtml2text  html2text, the C++ converter Debian and Ubuntu install under that name (apt package
            html2text, not the Python package), with its defaults: wrapped at 79, headings between runs
            of stars, underlined text (links) with underscores for spaces
  resiliparse  resiliparse's extract_plain_text of the whole page (not its main content)
  htmltext  Zyte's html-text extract_text with its defaults (a block a line, blank lines between)
  markdownify  markdownify with its defaults: Markdown links and images, unwrapped
  pandocsetext pandoc -f html -t markdown --markdown-headings=setext: its Markdown as pandoc wrote it
            by default before 2.11.2 (2020), headings of levels 1 and 2 underlined
  turndown  turndown (npm, bench/html_to_text.js) with its defaults: Markdown, headings underlined,
            scripts and styles removed first; needs node and NODE_PATH at turndown's node_modules
  htmltotext  html-to-text (npm, bench/html_to_text.js) with its defaults: wrapped at 80, headings
            upper-cased, a link's address in brackets after its text ("Menus [https://…]"), an image as
            its address in brackets; needs node and NODE_PATH at html-to-text's node_modules
  nodehtmlmarkdown  node-html-markdown (npm, bench/html_to_text.js) with its defaults: Markdown,
            "#" headings, inline links (their text padded with spaces: "[ Home ](/)"), not wrapped;
            needs node and NODE_PATH at node-html-markdown's node_modules
  htmltomarkdown  html-to-markdown (pip, the Rust converter) with its defaults: Markdown opening with
            YAML front matter that holds the page's <title> and meta tags
  textcontent  the body's text content as a scraper takes it (DOM textContent, BeautifulSoup's
            get_text(), lxml's text_content()), scripts, styles and templates removed first: the text
            nodes joined as they stand, so a line breaks only where the page's source has a line
            break (a page written on one line is one line; blocks glued or apart by indentation)

Output: OUT/<corpus>/<style>/<ID>.txt.gz (gzip mtime 0, so reruns give identical bytes).
Existing outputs are skipped, so the script can be rerun after an interruption. A page whose
rendering fails or exceeds --timeout seconds is skipped for that style and counted (and listed
in OUT/<corpus>/_failed.tsv); a rerun retries it.

Needs: lynx, links, w3m, elinks, pandoc, html2text (apt), lxml, html2text, html-text, markdownify and
html-to-markdown (pip),
node with turndown, html-to-text and node-html-markdown (npm) for the turndown, htmltotext and nodehtmlmarkdown
styles.

    python bench/dump_styles.py --out /work/data/dumps [--styles a,b] [--corpus all] [--jobs 2]
    python bench/dump_styles.py --out /work/data/dumps --stats   # pages and median lines per style
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import multiprocessing as mp
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

BENCH = Path(os.environ.get("NEWSCLEAN_BENCH", "/work/shared/bench"))

# corpus -> (html dir, inscriptis dump pattern, w3m dump pattern or None)
CORPORA = {
    "wcxb": ("wcxb/html", "wcxb/flat-inscriptis/{id}.txt.gz", "wcxb/flat-w3m/{id}.txt.gz"),
    "scrapinghub": ("scrapinghub/html", "scrapinghub/flat/{id}.txt", None),
}

STYLES = ("lynx", "links", "tagtext", "html2text", "wrapped", "noblank", "lynx80", "w3m80", "elinks", "pandoc",
          "lynxrefs", "elinksrefs", "markdown", "pandocmd", "gfm", "debhtml2text", "resiliparse", "htmltext",
          "markdownify", "pandocsetext", "turndown", "textcontent", "htmltotext", "nodehtmlmarkdown",
          "htmltomarkdown")

_TMPDIR: str | None = None  # per-worker scratch dir (links needs a file; HOME for the browsers)


# --------------------------------------------------------------------------- input


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.suffix == ".gz" else data


_DECL_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""", re.I)


def decode_html(raw: bytes) -> str:
    """Strict utf-8 first (every stored page is valid utf-8, even the six that declare
    latin-1/cp1252/macintosh, so the declaration would garble them), then the declared
    charset, then utf-8 with replacement."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
        m = _DECL_RE.search(raw[:16384])
        if m:
            enc = (m.group(1) or m.group(2)).decode("ascii", "replace")
            try:
                text = raw.decode(codecs.lookup(enc).name, errors="replace")
            except LookupError:
                pass
        if text is None:
            text = raw.decode("utf-8", errors="replace")
    return text.replace("\x00", "")


_META_RE = re.compile(r"<meta\b[^>]*>", re.I)
_META_CS_RE = re.compile(r"""charset\s*=\s*["']?\s*[A-Za-z0-9_.:-]+""", re.I)
_XML_DECL_RE = re.compile(r"<\?xml[^>]*\?>", re.I)


def utf8_html(html: str) -> bytes:
    """The page as utf-8 bytes whose in-page charset declarations say utf-8 (lynx and w3m
    obey <meta charset> over their command-line defaults)."""
    html = _META_RE.sub(lambda m: _META_CS_RE.sub("charset=utf-8", m.group(0)), html)
    html = _XML_DECL_RE.sub("", html, count=1)
    return html.encode("utf-8", errors="replace")


def tidy(text: str) -> str:
    """Common output normalisation: \\n line ends, no trailing spaces, one final newline."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = [ln.rstrip() for ln in text.split("\n")]
    while lines and not lines[-1]:
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    return "\n".join(lines) + "\n" if lines else ""


# --------------------------------------------------------------------------- styles


def _env() -> dict:
    home = _TMPDIR or tempfile.gettempdir()
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "LANG": "C.UTF-8",
            "LC_ALL": "C.UTF-8", "TERM": "dumb", "TZ": "UTC", "NODE_PATH": os.environ.get("NODE_PATH", "")}


def run_tool(cmd: list[str], data: bytes | None, timeout: float) -> str:
    p = subprocess.run(cmd, input=data, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=timeout, env=_env(), cwd=_TMPDIR)
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} rc={p.returncode}: {p.stderr[:200]!r}")
    return p.stdout.decode("utf-8", errors="replace")


_LYNX_TMP_RE = re.compile(r"file://localhost/\S*?lynxXXXX\S*?TMP\.html")


def _lynx(page: "Page", timeout: float, *options: str) -> str:
    text = run_tool(["lynx", "-dump", *options, "-assume_charset=utf-8",
                 "-display_charset=utf-8", "-force_html", "-stdin"], page.utf8, timeout)
    # lynx names its stdin temp file in meta-refresh lines: make the output deterministic
    return _LYNX_TMP_RE.sub("file://localhost/stdin.html", text)


def style_lynx(page: "Page", timeout: float) -> str:
    return _lynx(page, timeout, "-nolist", "-width=200")


def style_lynx80(page: "Page", timeout: float) -> str:
    return _lynx(page, timeout, "-nolist")  # its default width


def style_lynxrefs(page: "Page", timeout: float) -> str:
    return _lynx(page, timeout)  # numbered links and their references list


def style_w3m80(page: "Page", timeout: float) -> str:
    return _w3m(page, timeout)  # its default width


def _w3m(page: "Page", timeout: float, *cols: str) -> str:
    return run_tool(["w3m", "-dump", *cols, "-T", "text/html", "-I", "UTF-8", "-O", "UTF-8"], page.utf8, timeout)


def style_links(page: "Page", timeout: float) -> str:
    path = os.path.join(_TMPDIR or tempfile.gettempdir(), f"page-{os.getpid()}.html")
    with open(path, "wb") as f:
        f.write(page.utf8)
    try:
        return run_tool(["links", "-dump", "-width", "200", "-codepage", "utf-8",
                     "-html-assume-codepage", "utf-8", "-html-hard-assume", "1", path], None, timeout)
    finally:
        os.unlink(path)


SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "head", "title", "iframe",
              "object", "math"}
_WS_RE = re.compile(r"\s+")


def style_elinks(page: "Page", timeout: float) -> str:
    return _elinks(page, timeout, "-no-numbering", "-no-references")


def style_elinksrefs(page: "Page", timeout: float) -> str:
    return _elinks(page, timeout)  # numbered links and their references list


def _elinks(page: "Page", timeout: float, *options: str) -> str:
    return run_tool(["elinks", "-dump", *options, "-force-html", "-dump-charset", "utf-8",
                 "-eval", "set document.codepage.assume = \"utf-8\"",
                 "-eval", "set document.codepage.force_assumed = 1"], page.utf8, timeout)


def style_pandoc(page: "Page", timeout: float) -> str:
    return run_tool(["pandoc", "-f", "html", "-t", "plain"], page.utf8, timeout)


def style_pandocmd(page: "Page", timeout: float) -> str:
    return run_tool(["pandoc", "-f", "html", "-t", "markdown"], page.utf8, timeout)


def style_pandocsetext(page: "Page", timeout: float) -> str:
    return run_tool(["pandoc", "-f", "html", "-t", "markdown", "--markdown-headings=setext"], page.utf8, timeout)


def _node(page: "Page", timeout: float, converter: str) -> str:
    """A page through one of the npm converters of bench/html_to_text.js."""
    return run_tool(["node", str(Path(__file__).with_name("html_to_text.js")), converter], page.utf8, timeout)


def style_turndown(page: "Page", timeout: float) -> str:
    return _node(page, timeout, "turndown")


def style_htmltotext(page: "Page", timeout: float) -> str:
    return _node(page, timeout, "htmltotext")


def style_nodehtmlmarkdown(page: "Page", timeout: float) -> str:
    return _node(page, timeout, "nodehtmlmarkdown")


def style_gfm(page: "Page", timeout: float) -> str:
    return run_tool(["pandoc", "-f", "html", "-t", "gfm"], page.utf8, timeout)


def style_debhtml2text(page: "Page", timeout: float) -> str:
    return run_tool([NEEDS["debhtml2text"], "-utf8"], page.utf8, timeout)  # the apt package's binary, by its path


def _body(page: "Page", strip: tuple[str, ...] = ()):
    """The page's body parsed by lxml (the whole document when it has none), the `strip` elements taken out first
    (their tails stay); None when lxml cannot parse the page."""
    import lxml.etree
    import lxml.html

    try:
        root = lxml.html.document_fromstring(page.utf8, parser=lxml.html.HTMLParser(encoding="utf-8"))
    except (lxml.etree.ParserError, ValueError):
        return None
    if strip:
        lxml.etree.strip_elements(root, *strip, with_tail=False)
    body = root.find(".//body")
    return root if body is None else body


def style_tagtext(page: "Page", timeout: float) -> str:
    body = _body(page)
    if body is None:
        return ""
    text = tagtext_walk(body, SKIP_TAGS)
    if not text:  # e.g. Discourse pages keep the whole thread inside <noscript>
        text = tagtext_walk(body, SKIP_TAGS - {"noscript"})
    return text


def tagtext_walk(body, skip: set[str]) -> str:
    out: list[str] = []

    def emit(s: str | None, pre: bool) -> None:
        if not s:
            return
        if pre:
            out.extend(ln.strip() for ln in s.split("\n") if ln.strip())
        else:
            s = _WS_RE.sub(" ", s).strip()
            if s:
                out.append(s)

    # iterative walk: (element, inside_pre); tails are emitted after the element's subtree
    stack: list[tuple[object, bool, bool]] = [(body, False, False)]  # (node, pre, is_tail_marker)
    while stack:
        node, pre, tail_marker = stack.pop()
        if tail_marker:
            emit(node.tail, pre)
            continue
        tag = node.tag if isinstance(node.tag, str) else ""
        tag = tag.lower().rsplit("}", 1)[-1]
        if node is not body:
            stack.append((node, pre, True))  # tail belongs to the parent's context
        if not tag or tag in skip:  # comments, PIs, skipped elements: tail only
            continue
        inner_pre = pre or tag in ("pre", "textarea", "listing", "plaintext", "xmp")
        emit(node.text, inner_pre)
        for child in reversed(node):
            stack.append((child, inner_pre, False))
    return "\n".join(out)


def style_html2text(page: "Page", timeout: float) -> str:
    import html2text

    h = html2text.HTML2Text()
    h.ignore_links = True
    h.ignore_images = True
    h.body_width = 0
    h.unicode_snob = True
    return h.handle(page.html)


def style_resiliparse(page: "Page", timeout: float) -> str:
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    return extract_plain_text(HTMLTree.parse(page.html), main_content=False)


def style_htmltext(page: "Page", timeout: float) -> str:
    import html_text

    return html_text.extract_text(page.html)


def style_markdownify(page: "Page", timeout: float) -> str:
    import markdownify

    return markdownify.markdownify(page.html)


def style_htmltomarkdown(page: "Page", timeout: float) -> str:
    import html_to_markdown

    return html_to_markdown.convert(page.html).content or ""


def style_markdown(page: "Page", timeout: float) -> str:
    import html2text

    return html2text.HTML2Text().handle(page.html)  # its defaults: Markdown links and images, 78 columns


def style_wrapped(page: "Page", timeout: float) -> str:
    src = page.inscriptis()
    out: list[str] = []
    for line in src.split("\n"):
        line = line.rstrip()
        if not line.strip():
            out.append("")
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.extend(textwrap.wrap(line, width=72, subsequent_indent=indent,
                                 break_long_words=False, break_on_hyphens=False) or [""])
    return "\n".join(out)


def style_textcontent(page: "Page", timeout: float) -> str:
    body = _body(page, strip=("script", "style", "template"))
    return "" if body is None else body.text_content()  # text nodes only: comments add nothing


def style_noblank(page: "Page", timeout: float) -> str:
    src = page.w3m(timeout)
    return "\n".join(ln.strip() for ln in src.split("\n") if ln.strip())


STYLE_FUNCS = {"lynx": style_lynx, "links": style_links, "tagtext": style_tagtext,
               "html2text": style_html2text, "wrapped": style_wrapped, "noblank": style_noblank,
               "lynx80": style_lynx80, "w3m80": style_w3m80, "elinks": style_elinks, "pandoc": style_pandoc,
               "lynxrefs": style_lynxrefs, "elinksrefs": style_elinksrefs, "markdown": style_markdown,
               "pandocmd": style_pandocmd, "gfm": style_gfm, "debhtml2text": style_debhtml2text,
               "resiliparse": style_resiliparse, "htmltext": style_htmltext, "markdownify": style_markdownify,
               "pandocsetext": style_pandocsetext, "turndown": style_turndown, "textcontent": style_textcontent,
               "htmltotext": style_htmltotext, "nodehtmlmarkdown": style_nodehtmlmarkdown,
               "htmltomarkdown": style_htmltomarkdown}
NEEDS = {"lynx": "lynx", "links": "links", "noblank": "w3m", "elinks": "elinks", "pandoc": "pandoc",
         "lynx80": "lynx", "w3m80": "w3m", "lynxrefs": "lynx", "elinksrefs": "elinks", "pandocmd": "pandoc",
         "gfm": "pandoc", "debhtml2text": "/usr/bin/html2text", "pandocsetext": "pandoc",
         "turndown": "node", "htmltotext": "node", "nodehtmlmarkdown": "node"}  # external binaries (the Python package's html2text
# script, in a virtual environment's PATH, shadows the apt package's one: that one by its path)


class Page:
    """One page, decoded lazily."""

    def __init__(self, corpus: str, pid: str):
        self.corpus, self.id = corpus, pid
        self._html: str | None = None
        self._utf8: bytes | None = None

    @property
    def html(self) -> str:
        if self._html is None:
            self._html = decode_html(_read(BENCH / CORPORA[self.corpus][0] / f"{self.id}.html.gz"))
        return self._html

    @property
    def utf8(self) -> bytes:
        if self._utf8 is None:
            self._utf8 = utf8_html(self.html)
        return self._utf8

    def inscriptis(self) -> str:
        return _read(BENCH / CORPORA[self.corpus][1].format(id=self.id)).decode("utf-8", "replace")

    def w3m(self, timeout: float) -> str:
        pattern = CORPORA[self.corpus][2]
        if pattern:
            return _read(BENCH / pattern.format(id=self.id)).decode("utf-8", "replace")
        return _w3m(self, timeout, "-cols", "2000")


# --------------------------------------------------------------------------- driver


class _Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise _Timeout()


def _init_worker(tmp_root: str) -> None:
    global _TMPDIR
    _TMPDIR = tempfile.mkdtemp(prefix="w", dir=tmp_root)
    signal.signal(signal.SIGALRM, _alarm)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def out_path(out: Path, corpus: str, style: str, pid: str) -> Path:
    return out / corpus / style / f"{pid}.txt.gz"


def render_page(task: tuple) -> list[tuple]:
    """Render the missing styles of one page; returns [(corpus, id, style, status, secs, msg)]."""
    out, corpus, pid, styles, timeout = task
    page = Page(corpus, pid)
    results = []
    for style in styles:
        dest = out_path(Path(out), corpus, style, pid)
        t0 = time.monotonic()
        status, msg = "ok", ""
        # SIGALRM guards the in-process (pure Python) work; subprocesses have their own timeout.
        signal.alarm(int(timeout) + 5)
        try:
            text = tidy(STYLE_FUNCS[style](page, timeout))
        except (_Timeout, subprocess.TimeoutExpired):
            status, msg = "timeout", f">{timeout}s"
        except Exception as e:  # noqa: BLE001 - one bad page must not stop the run
            status, msg = "failed", f"{type(e).__name__}: {str(e)[:200]}"
        finally:
            signal.alarm(0)
        if status == "ok":
            tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
            tmp.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=6, mtime=0))
            os.replace(tmp, dest)
        results.append((corpus, pid, style, status, time.monotonic() - t0, msg))
    return results


def page_ids(corpus: str) -> list[str]:
    return sorted(p.name[: -len(".html.gz")] for p in (BENCH / CORPORA[corpus][0]).glob("*.html.gz"))


def available_styles(styles: list[str]) -> list[str]:
    ok = []
    for s in styles:
        if s in NEEDS and shutil.which(NEEDS[s]) is None:
            print(f"skipping style {s}: `{NEEDS[s]}` not installed (apt-get install -y {Path(NEEDS[s]).name})",
                  file=sys.stderr)
            continue
        mod = {"tagtext": "lxml", "textcontent": "lxml", "html2text": "html2text", "markdown": "html2text", "resiliparse": "resiliparse",
               "htmltext": "html_text", "markdownify": "markdownify", "htmltomarkdown": "html_to_markdown"}.get(s)
        if mod:
            try:
                __import__(mod)
            except ImportError:
                print(f"skipping style {s}: python module {mod} not installed", file=sys.stderr)
                continue
        ok.append(s)
    return ok


def run(out: Path, corpora: list[str], styles: list[str], jobs: int, timeout: float) -> int:
    styles = available_styles(styles)
    tasks = []
    todo = {}
    for corpus in corpora:
        for style in styles:
            (out / corpus / style).mkdir(parents=True, exist_ok=True)
        ids = page_ids(corpus)
        for pid in ids:
            missing = [s for s in styles if not out_path(out, corpus, s, pid).exists()]
            for s in missing:
                todo[(corpus, s)] = todo.get((corpus, s), 0) + 1
            if missing:
                tasks.append((str(out), corpus, pid, missing, timeout))
        print(f"{corpus}: {len(ids)} pages; to render: "
              + ", ".join(f"{s}={todo.get((corpus, s), 0)}" for s in styles), file=sys.stderr)
    counts: dict[tuple, dict[str, int]] = {}
    secs: dict[str, float] = {}
    failures: dict[str, list[str]] = {}
    t0 = time.monotonic()
    tmp_root = tempfile.mkdtemp(prefix="dump_styles-")
    try:
        with mp.Pool(jobs, initializer=_init_worker, initargs=(tmp_root,)) as pool:
            done = 0
            for res in pool.imap_unordered(render_page, tasks, chunksize=1):
                for corpus, pid, style, status, dt, msg in res:
                    counts.setdefault((corpus, style), {}).setdefault(status, 0)
                    counts[(corpus, style)][status] += 1
                    secs[style] = secs.get(style, 0.0) + dt
                    if status != "ok":
                        failures.setdefault(corpus, []).append(f"{pid}\t{style}\t{status}\t{msg}")
                done += 1
                if done % 200 == 0 or done == len(tasks):
                    print(f"  {done}/{len(tasks)} pages, {time.monotonic() - t0:.0f}s", file=sys.stderr)
    finally:
        shutil.rmtree(tmp_root, ignore_errors=True)
    wall = time.monotonic() - t0
    for corpus, lines in failures.items():
        with open(out / corpus / "_failed.tsv", "a", encoding="utf-8") as f:
            f.write("".join(ln.replace("\n", " ") + "\n" for ln in sorted(lines)))
    for (corpus, style), c in sorted(counts.items()):
        print(f"{corpus:12s} {style:10s} " + " ".join(f"{k}={v}" for k, v in sorted(c.items())))
    if secs:
        print("cpu-side seconds per style: " + ", ".join(f"{s}={v:.0f}" for s, v in sorted(secs.items())))
    print(f"wall time {wall:.1f}s with {jobs} jobs")
    return 0


def stats(out: Path, corpora: list[str], styles: list[str]) -> None:
    for corpus in corpora:
        n_pages = len(page_ids(corpus))
        for style in styles:
            files = sorted((out / corpus / style).glob("*.txt.gz"))
            if not files:
                print(f"{corpus:12s} {style:10s} pages=0/{n_pages}")
                continue
            nlines = [len(gzip.decompress(p.read_bytes()).decode("utf-8").splitlines()) for p in files]
            empty = sum(1 for n in nlines if n == 0)
            print(f"{corpus:12s} {style:10s} pages={len(files)}/{n_pages} "
                  f"median_lines={statistics.median(nlines):.0f} empty={empty}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True, help="output root, outside the repo")
    ap.add_argument("--styles", default=",".join(STYLES), help="comma list from: " + ",".join(STYLES))
    ap.add_argument("--corpus", default="all", choices=[*CORPORA, "all"])
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds per page and style")
    ap.add_argument("--stats", action="store_true", help="only report pages and median lines per style")
    a = ap.parse_args(argv)
    styles = [s.strip() for s in a.styles.split(",") if s.strip()]
    bad = [s for s in styles if s not in STYLES]
    if bad:
        ap.error(f"unknown styles {bad}; known: {', '.join(STYLES)}")
    corpora = list(CORPORA) if a.corpus == "all" else [a.corpus]
    if a.stats:
        stats(a.out, corpora, styles)
        return 0
    return run(a.out, corpora, styles, a.jobs, a.timeout)


if __name__ == "__main__":
    sys.exit(main())
