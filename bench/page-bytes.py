#!/usr/bin/env python3
"""Bytes of a built site's HTML: per page on average, per kind of page, per
part of the page (what the header, footer, cards, forms… cost over the whole
site), and the heaviest pages with their gzip size.

    python3 bench/page-bytes.py public/            # a built site
    python3 bench/page-bytes.py OUT --kinds-only   # just the totals per kind
    python3 bench/page-bytes.py OUT --minified     # and what a minifier would give

`--minified` needs the `minify-html` Python package (the binding of the Rust
crate Zola uses): `python3 -m venv /tmp/mh && /tmp/mh/bin/pip install
minify-html==0.18.1`, then run this script with /tmp/mh/bin/python.

Parts are found by their markup in the default theme (and the Hugo templates
of bench/hugo/, which write the same markup); they overlap where one holds
another (the consent box is inside the form, cards inside the main content).
"""
import collections
import gzip
import os
import re
import sys

TAXONOMIES = ("industries", "districts", "audiences", "stages", "areas")
SECTIONS = ("facilities", "equipment", "programmes", "policies", "jobs", "notices")
PARTS = [
    ("head (without JSON-LD)", r"<head>.*?</head>"),
    ("JSON-LD", r'<script type="application/ld\+json">.*?</script>'),
    ("header", r'<header class="site-header">.*?</header>'),
    ("breadcrumb", r'<nav class="breadcrumb.*?</nav>'),
    ("footer", r'<footer class="site-footer">.*?</footer>'),
    ("list filters", r'<nav class="filters".*?</nav>'),
    ("cards", r'<li class="card">.*?</li>(?=<li class="card">|\s*</ul>)'),
    ("pagination", r'<nav class="pagination".*?</nav>'),
    ("forms", r'<div class="sbiz-form".*?</form>\s*</div>'),
    ("consent box", r'<fieldset class="consent".*?</fieldset>'),
    ("Markdown text", r'<div class="prose">.*?</div>'),
    ("layout whitespace", r"\n\s+"),
]


def kind(rel):
    segs = rel.split("/")[:-1]
    if not segs:
        return "home"
    first = segs[0]
    if "_" in first:  # Hugo's per-kind taxonomies: programmes_industries/…
        first, rest = first.split("_", 1)
        segs = [first, rest] + segs[1:]
    if len(segs) == 1 and first not in SECTIONS:
        return f"/{first}/ page"
    if len(segs) == 1 or segs[1] == "page":
        return f"{first} (list)"
    if first in TAXONOMIES:
        return "term"
    if segs[1] in TAXONOMIES + ("status",):
        return f"{first} (filtered list)"
    return f"{first} (detail)"


def main():
    root = sys.argv[1]
    kinds = collections.defaultdict(lambda: [0, 0])
    parts = collections.Counter()
    pages = []
    minified = [0, 0, 0, 0, 0.0]  # keep-closing bytes, full bytes, gzip before, gzip after, seconds
    minify = None
    if "--minified" in sys.argv:
        import minify_html
        import time

        minify = minify_html.minify
    for dirpath, _, files in os.walk(root):
        for f in files:
            if not f.endswith(".html"):
                continue
            path = os.path.join(dirpath, f)
            rel = os.path.relpath(path, root)
            data = open(path, "rb").read()
            k = kinds[kind(rel)]
            k[0] += 1
            k[1] += len(data)
            pages.append((len(data), rel))
            if "--kinds-only" in sys.argv:
                continue
            text = data.decode()
            if minify:
                t = time.perf_counter()
                full = minify(text).encode()
                minified[4] += time.perf_counter() - t
                minified[0] += len(minify(text, keep_closing_tags=True, keep_html_and_head_opening_tags=True).encode())
                minified[1] += len(full)
                minified[2] += len(gzip.compress(data, 6))
                minified[3] += len(gzip.compress(full, 6))
            head_ld = 0
            for name, rx in PARTS:
                n = sum(len(m.group(0).encode()) for m in re.finditer(rx, text, re.S))
                if name == "JSON-LD":
                    head_ld = n
                parts[name] += n
            parts["head (without JSON-LD)"] -= head_ld
    n = len(pages)
    total = sum(p[0] for p in pages)
    print(f"{n} HTML pages, {total} bytes, {total / n:.0f} bytes per page on average")
    print("\nby kind of page:            pages   bytes/page")
    for k, (c, b) in sorted(kinds.items(), key=lambda x: -x[1][1]):
        print(f"  {k:27} {c:6} {b / c:9.0f}")
    if parts:
        print("\nby part, over all pages:    bytes/page   share")
        for name, _ in PARTS:
            print(f"  {name:27} {parts[name] / n:9.0f} {100 * parts[name] / total:6.1f}%")
    if minify:
        print("\nminified (minify-html), bytes per page:")
        print(f"  keeping closing tags       {minified[0] / n:9.0f}")
        print(f"  every safe option          {minified[1] / n:9.0f}  ({minified[4]:.2f} s of CPU for all pages)")
        print(f"  gzip -6 before, after      {minified[2] / n:9.0f} {minified[3] / n:9.0f}")
    pages.sort(reverse=True)
    print("\nheaviest pages:")
    for size, rel in pages[:3]:
        gz = len(gzip.compress(open(os.path.join(root, rel), "rb").read(), 9))
        print(f"  {rel}: {size} bytes, gzip -9 {gz} bytes")


if __name__ == "__main__":
    main()
