#!/usr/bin/env python3
"""Writes a synthetic shop of N pages (default 2,000) for the ingestion benchmark.

    python3 docs/bench/generate_site.py /tmp/bench-site 2000

Every page has the demo store's shape (header/nav, footer, cookie banner, <main> with an h1, two h2
sections, 120-250 words of text and a list), is linked from a paginated index and listed in sitemap.xml.
Deterministic (seeded), standard library only. Serve it with:
    java infra/demo-store/DemoStore.java --port 8091 --root /tmp/bench-site
"""
import pathlib
import random
import sys

WORDS = ("bike frame wheel tyre pump light helmet lock pannier chain brake gear saddle pedal fork rim spoke "
         "valve pressure battery charge commute gravel road city touring repair service warranty return refund "
         "shipping delivery order parcel store workshop size fit comfort weight steel aluminium carbon waterproof "
         "reflective winter summer rain night safety insurance price discount stock available colour").split()


def sentence(rng):
    n = rng.randint(8, 18)
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def page(rng, i, total):
    title = f"Product {i}: {rng.choice(WORDS).title()} {rng.choice(WORDS)}"
    paras = "\n".join(f"<p>{' '.join(sentence(rng) for _ in range(rng.randint(2, 4)))}</p>" for _ in range(3))
    items = "\n".join(f"<li>{sentence(rng)}</li>" for _ in range(4))
    nxt = f'<a href="/p/{(i + 1) % total}/">next</a>'
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title} | Bench Shop</title>
<meta name="description" content="{sentence(rng)}"></head><body>
<div class="cookie-banner">We use cookies. <button>OK</button></div>
<header><nav><a href="/">Home</a> <a href="/p/">All products</a></nav></header>
<main><h1>{title}</h1><h2>Description</h2>{paras}<h2>Specifications</h2><ul>{items}</ul>{nxt}</main>
<footer>© Bench Shop</footer></body></html>"""


def main():
    root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/bench-site")
    total = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    base = sys.argv[3] if len(sys.argv) > 3 else "http://127.0.0.1:8090"
    rng = random.Random(2000)
    (root / "p").mkdir(parents=True, exist_ok=True)
    for i in range(total):
        d = root / "p" / str(i)
        d.mkdir(exist_ok=True)
        (d / "index.html").write_text(page(rng, i, total))
    per_index = 100
    links = [f'<a href="/p/{i}/">Product {i}</a>' for i in range(total)]
    for n in range(0, total, per_index):
        idx = root / "p" if n == 0 else root / "list" / str(n // per_index)
        idx.mkdir(parents=True, exist_ok=True)
        more = f'<a href="/list/{n // per_index + 1}/">more</a>' if n + per_index < total else ""
        (idx / "index.html").write_text(f"<html><head><title>Products</title></head><body><main><h1>Products</h1><ul>"
                                        + "".join(f"<li>{l}</li>" for l in links[n:n + per_index]) + f"</ul>{more}</main></body></html>")
    (root / "index.html").write_text('<html><head><title>Bench Shop</title></head><body><main><h1>Bench Shop</h1>'
                                     '<p>Everything for your bike, in one place.</p><a href="/p/">All products</a></main></body></html>')
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n")
    urls = [f"{base}/"] + [f"{base}/p/{i}/" for i in range(total)]
    (root / "sitemap.xml").write_text('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                                      + "".join(f"  <url><loc>{u}</loc></url>\n" for u in urls) + "</urlset>\n")
    print(f"{total} product pages under {root}")


if __name__ == "__main__":
    main()
