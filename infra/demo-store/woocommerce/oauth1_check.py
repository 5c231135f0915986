#!/usr/bin/env python3
"""Checks the demo store's WooCommerce-compatible REST API (/wp-json/wc/v3/) from the outside.

The OAuth 1.0a signer below is written from RFC 5849 and WooCommerce's authentication docs, independently of
DemoStore.java: one-legged (no token), parameters = query string + oauth_* (the JSON body is not signed),
percent-encoding per RFC 3986 (unreserved A-Z a-z 0-9 - . _ ~ kept), pairs sorted by encoded name then value,
base string = METHOD & enc(base URL without query) & enc(param string), key = enc(consumer secret) + "&".

Usage (python3 only, no packages):
  python3 oauth1_check.py --base http://127.0.0.1:18090              # runs every check against a FRESH store
  python3 oauth1_check.py --base http://127.0.0.1:18090 get 'products?per_page=2'   # one signed request
  python3 oauth1_check.py --base ... put products/103 '{"stock_quantity": 7}'

The full check run mutates the store (price/stock changes, a trashed and a deleted product, an order status
change, webhooks), so run it against a freshly started store. It starts a local webhook listener itself.
"""

import argparse
import base64
import hashlib
import hmac
import http.server
import json
import os
import queue
import secrets
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

DEFAULT_KEY = "ck_5d1f0c3b9a8e7d6c5b4a39281706f5e4d3c2b1a0"
DEFAULT_SECRET = "cs_0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3"


def enc(value):
    """RFC 3986 percent-encoding (RFC 5849 section 3.6)."""
    return urllib.parse.quote(str(value), safe="~")


def oauth_sign(method, url, consumer_key, consumer_secret, sig_method="HMAC-SHA1", timestamp=None, nonce=None,
               extra_oauth=None):
    """Returns the oauth_* parameters (including oauth_signature) for a request to url (which may carry a query)."""
    parts = urllib.parse.urlsplit(url)
    base_url = urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, "", ""))
    oauth = {
        "oauth_consumer_key": consumer_key,
        "oauth_nonce": nonce or secrets.token_hex(16),
        "oauth_signature_method": sig_method,
        "oauth_timestamp": str(int(time.time()) if timestamp is None else timestamp),
    }
    oauth.update(extra_oauth or {})
    pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True) + list(oauth.items())
    encoded = sorted((enc(k), enc(v)) for k, v in pairs)
    param_string = "&".join(f"{k}={v}" for k, v in encoded)
    base_string = "&".join([method.upper(), enc(base_url), enc(param_string)])
    digest = {"HMAC-SHA1": hashlib.sha1, "HMAC-SHA256": hashlib.sha256}[sig_method]
    key = enc(consumer_secret) + "&"
    oauth["oauth_signature"] = base64.b64encode(hmac.new(key.encode(), base_string.encode(), digest).digest()).decode()
    return oauth


class Client:
    def __init__(self, base, key, secret):
        self.base = base.rstrip("/")
        self.key = key
        self.secret = secret

    def url(self, route):
        return route if route.startswith("http") else f"{self.base}/wp-json/wc/v3/{route.lstrip('/')}"

    def raw(self, method, url, body=None, headers=None):
        data = None
        headers = dict(headers or {})
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers.setdefault("Content-Type", "application/json")
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=10) as resp:
                return resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def signed(self, method, route, body=None, in_header=False, sig_method="HMAC-SHA1", **sign_kwargs):
        url = self.url(route)
        oauth = oauth_sign(method, url, self.key, self.secret, sig_method=sig_method, **sign_kwargs)
        headers = {}
        if in_header:
            headers["Authorization"] = "OAuth " + ", ".join(f'{k}="{enc(v)}"' for k, v in sorted(oauth.items()))
        else:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(oauth, quote_via=urllib.parse.quote)
        status, hdrs, raw = self.raw(method, url, body, headers)
        return status, hdrs, (json.loads(raw) if raw else None), oauth


FAILURES = []


def check(name, condition, detail=""):
    print(("PASS " if condition else "FAIL ") + name + ("" if condition or not detail else f"  -- {detail}"))
    if not condition:
        FAILURES.append(name)


class Listener(http.server.BaseHTTPRequestHandler):
    received = queue.Queue()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        Listener.received.put((dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def next_delivery(timeout=10):
    try:
        return Listener.received.get(timeout=timeout)
    except queue.Empty:
        return None, None


def run_checks(c):
    # --- index / routing / errors -----------------------------------------------------------------
    status, _, body = c.raw("GET", c.url("no_such_route"))
    check("unknown route -> 404 rest_no_route", status == 404 and json.loads(body)["code"] == "rest_no_route", body)
    status, _, body = c.raw("GET", c.url("products"))
    check("no credentials -> 401 woocommerce_rest_cannot_view",
          status == 401 and json.loads(body)["code"] == "woocommerce_rest_cannot_view", body)
    basic = base64.b64encode(f"{c.key}:{c.secret}".encode()).decode()
    status, _, body = c.raw("GET", c.url("products"), headers={"Authorization": "Basic " + basic})
    check("HTTP Basic over plain http refused (401 woocommerce_rest_cannot_view)",
          status == 401 and json.loads(body)["code"] == "woocommerce_rest_cannot_view", body)
    status, _, body = c.raw("GET", c.url(f"products?consumer_key={c.key}&consumer_secret={c.secret}"))
    check("consumer_key/secret query over plain http refused", status == 401, body)

    # --- OAuth 1.0a ---------------------------------------------------------------------------------
    status, hdrs, body, _ = c.signed("GET", "products")
    check("OAuth1 HMAC-SHA1 in query string accepted", status == 200 and isinstance(body, list), body)
    status, _, body, _ = c.signed("GET", "products?per_page=3&orderby=id&order=asc", sig_method="HMAC-SHA256")
    check("OAuth1 HMAC-SHA256 with extra query params accepted", status == 200 and len(body) == 3, body)
    status, _, body, _ = c.signed("GET", "products?search=pump%20head&sku=CS-PU-TRK", in_header=True)
    check("OAuth1 in Authorization header (encoded query values) accepted", status == 200, body)
    status, _, body, _ = c.signed("GET", "products", extra_oauth={"oauth_signature_method": "PLAINTEXT"})
    check("OAuth1 PLAINTEXT refused", status == 401, body)
    bad = Client(c.base, c.key, c.secret + "x")
    status, _, body, _ = bad.signed("GET", "products")
    check("wrong signature -> 401 'Invalid signature - provided signature does not match.'",
          status == 401 and body["code"] == "woocommerce_rest_authentication_error" and "does not match" in body["message"], body)
    status, _, body, _ = Client(c.base, "ck_wrong", c.secret).signed("GET", "products")
    check("unknown consumer key -> 401 'Consumer key is invalid.'", status == 401 and body["message"] == "Consumer key is invalid.", body)
    status, _, body, _ = c.signed("GET", "products", timestamp=int(time.time()) - 16 * 60)
    check("timestamp 16 min old -> 401 'Invalid timestamp.'", status == 401 and body["message"] == "Invalid timestamp.", body)
    status, _, body, _ = c.signed("GET", "products", timestamp=int(time.time()) + 16 * 60)
    check("timestamp 16 min ahead -> 401", status == 401 and body["message"] == "Invalid timestamp.", body)
    status, _, body, _ = c.signed("GET", "products", timestamp=int(time.time()) - 10 * 60)
    check("timestamp 10 min old accepted", status == 200, body)
    nonce = secrets.token_hex(16)
    s1, _, _, _ = c.signed("GET", "orders", nonce=nonce)
    s2, _, body, _ = c.signed("GET", "orders", nonce=nonce)
    check("replayed nonce -> 401 'Invalid nonce - nonce has already been used.'",
          s1 == 200 and s2 == 401 and "nonce has already been used" in body["message"], body)
    url = c.url("products") + "?oauth_consumer_key=" + c.key + "&oauth_nonce=abc"
    status, _, body = c.raw("GET", url)
    check("incomplete OAuth params -> 401 woocommerce_rest_authentication_missing_parameter",
          status == 401 and json.loads(body)["code"] == "woocommerce_rest_authentication_missing_parameter", body)
    # signed for one URL, sent to another (query tampering)
    oauth = oauth_sign("GET", c.url("products?per_page=2"), c.key, c.secret)
    status, _, body = c.raw("GET", c.url("products?per_page=5") + "&" + urllib.parse.urlencode(oauth))
    check("tampered query parameter -> 401", status == 401, body)

    # --- products, pagination -----------------------------------------------------------------------
    status, hdrs, body, _ = c.signed("GET", "products?per_page=4")
    total, pages = int(hdrs["X-WP-Total"]), int(hdrs["X-WP-TotalPages"])
    check("products page 1: X-WP-Total=11 (10 published + 1 draft), X-WP-TotalPages=3",
          (total, pages, len(body)) == (11, 3, 4), (total, pages, len(body)))
    link = hdrs.get("Link", "")
    check("page 1 Link has rel=next only", 'rel="next"' in link and 'rel="prev"' not in link and "page=2" in link
          and "oauth_" not in link, link)
    seen = [p["id"] for p in body]
    status, hdrs, body2, _ = c.signed("GET", "products?per_page=4&page=2")
    link = hdrs.get("Link", "")
    check("page 2 Link has prev and next", 'rel="prev"' in link and 'rel="next"' in link, link)
    seen += [p["id"] for p in body2]
    next_url = link.split(", ")[-1].split(">")[0].lstrip("<")
    status, hdrs, body3, _ = c.signed("GET", next_url)
    check("following Link rel=next (re-signed) gives page 3 with prev only",
          status == 200 and len(body3) == 3 and 'rel="next"' not in hdrs.get("Link", ""), (status, hdrs.get("Link")))
    seen += [p["id"] for p in body3]
    check("pages cover all 11 products once", sorted(seen) == sorted(set(seen)) and len(seen) == 11, seen)
    status, hdrs, body, _ = c.signed("GET", "products?per_page=4&page=9")
    check("page past the end -> 200 []", status == 200 and body == [], body)
    status, _, body, _ = c.signed("GET", "products?per_page=101")
    check("per_page=101 -> 400 rest_invalid_param", status == 400 and body["code"] == "rest_invalid_param", body)
    status, _, body, _ = c.signed("GET", "products?status=publish&per_page=100")
    check("status=publish -> 10 products", status == 200 and len(body) == 10, len(body))
    status, _, body, _ = c.signed("GET", "products?status=draft")
    check("status=draft -> the draft Cedar Cargo L1", [p["sku"] for p in body] == ["CS-BK-CRG1"], body)
    status, _, body, _ = c.signed("GET", "products?sku=CS-BK-GR2")
    p = body[0] if body else {}
    check("sku=CS-BK-GR2 -> Cedar Gravel GR2, variable, outofstock, price 1649.00",
          (p.get("name"), p.get("type"), p.get("stock_status"), p.get("price")) ==
          ("Cedar Gravel GR2", "variable", "outofstock", "1649.00"), p)
    check("permalink is the page URL on the store's base", p.get("permalink") == c.base + "/products/cedar-gravel-gr2/",
          p.get("permalink"))
    status, _, body, _ = c.signed("GET", "products?search=pump&orderby=price&order=asc")
    check("search=pump orderby=price asc", [x["sku"] for x in body] == ["CS-PU-MINI", "CS-PU-TRK"], [x["sku"] for x in body])
    status, _, body, _ = c.signed("GET", "products?modified_after=2026-11-01T00:00:00")
    check("modified_after=2026-11-01 -> 4 products", status == 200 and len(body) == 4, [x["id"] for x in body])
    status, _, body, _ = c.signed("GET", "products?modified_after=yesterday")
    check("modified_after=yesterday -> 400", status == 400, body)
    status, _, body, _ = c.signed("GET", "products/101")
    required = ["id", "name", "slug", "permalink", "date_created", "date_created_gmt", "date_modified", "date_modified_gmt",
                "type", "status", "sku", "price", "regular_price", "sale_price", "on_sale", "purchasable",
                "short_description", "description", "manage_stock", "stock_quantity", "stock_status", "categories",
                "images", "attributes", "variations", "meta_data", "_links"]
    check("GET products/101 has the WooCommerce fields", status == 200 and all(k in body for k in required),
          [k for k in required if k not in body])
    check("products/101 variations [201..204]", body.get("variations") == [201, 202, 203, 204], body.get("variations"))
    status, _, body, _ = c.signed("GET", "products/999")
    check("products/999 -> 404 woocommerce_rest_product_invalid_id 'Invalid ID.'",
          status == 404 and body == {"code": "woocommerce_rest_product_invalid_id", "message": "Invalid ID.",
                                      "data": {"status": 404}}, body)
    status, hdrs, body, _ = c.signed("GET", "products/101/variations")
    check("variations of 101: 4, XL on backorder", len(body) == 4 and hdrs["X-WP-Total"] == "4"
          and [v["stock_status"] for v in body][-1] == "onbackorder", [v["stock_status"] for v in body])
    status, _, body, _ = c.signed("GET", "products/108/variations/224")
    check("variation 224 (helmet M Sand) outofstock", status == 200 and body["sku"] == "CS-HM-ARC-M-SND"
          and body["stock_status"] == "outofstock", body)
    status, _, body, _ = c.signed("GET", "products/101/variations/224")
    check("variation of another product -> 404", status == 404, body)

    # --- orders ---------------------------------------------------------------------------------------
    status, hdrs, body, _ = c.signed("GET", "orders?per_page=4")
    check("orders: total 6, 2 pages", (hdrs["X-WP-Total"], hdrs["X-WP-TotalPages"], len(body)) == ("6", "2", 4),
          (hdrs["X-WP-Total"], hdrs["X-WP-TotalPages"]))
    status, _, body, _ = c.signed("GET", "orders/1043")
    meta = {m["key"]: m["value"] for m in body["meta_data"]}
    items = meta.get("_wc_shipment_tracking_items", [])
    check("order 1043 completed with two shipment tracking items", body["status"] == "completed" and len(items) == 2
          and all({"tracking_provider", "tracking_number", "date_shipped"} <= set(i) for i in items), items)
    status, _, body, _ = c.signed("GET", "orders?status=completed,processing")
    check("orders status=completed,processing -> 4", status == 200 and len(body) == 4, [o["id"] for o in body])
    status, _, body, _ = c.signed("GET", "orders/1")
    check("orders/1 -> 404 woocommerce_rest_shop_order_invalid_id", status == 404
          and body["code"] == "woocommerce_rest_shop_order_invalid_id", body)
    status, _, body, _ = c.signed("GET", "system_status")
    check("system_status home_url and currency", status == 200 and body["environment"]["home_url"] == c.base
          and body["settings"]["currency"] == "EUR", body.get("environment", {}).get("home_url"))

    # --- webhooks ---------------------------------------------------------------------------------------
    port = free_port()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Listener)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    hook_secret = "demo-webhook-secret"
    status, _, hook, _ = c.signed("POST", "webhooks", body={"name": "Product updated", "topic": "product.updated",
                                                             "delivery_url": f"http://127.0.0.1:{port}/hook",
                                                             "secret": hook_secret})
    check("POST webhooks -> 201", status == 201 and hook["topic"] == "product.updated" and "secret" not in hook, hook)
    headers, raw = next_delivery()
    check("ping delivered: form body webhook_id=<id>", raw == f"webhook_id={hook['id']}".encode(), raw)
    status, _, body, _ = c.signed("PUT", "products/103", body={"regular_price": "39.95", "stock_quantity": 0})
    check("PUT products/103 price/stock -> 200, outofstock, date_modified bumped",
          status == 200 and body["price"] == "39.95" and body["stock_status"] == "outofstock"
          and body["date_modified_gmt"] > "2026-11-20", body)
    headers, raw = next_delivery()
    if raw is None:
        check("product.updated delivered", False, "nothing received")
    else:
        h = {k.lower(): v for k, v in headers.items()}
        expected_sig = base64.b64encode(hmac.new(hook_secret.encode(), raw, hashlib.sha256).digest()).decode()
        check("webhook X-WC-Webhook-Signature = base64 HMAC-SHA256(raw body, secret)",
              h.get("x-wc-webhook-signature") == expected_sig, h.get("x-wc-webhook-signature"))
        check("webhook headers Source/Topic/Resource/Event/ID/Delivery-ID",
              h.get("x-wc-webhook-source") == c.base + "/" and h.get("x-wc-webhook-topic") == "product.updated"
              and h.get("x-wc-webhook-resource") == "product" and h.get("x-wc-webhook-event") == "updated"
              and h.get("x-wc-webhook-id") == str(hook["id"]) and len(h.get("x-wc-webhook-delivery-id", "")) > 0, h)
        payload = json.loads(raw)
        check("webhook payload is the product JSON", payload["id"] == 103 and payload["price"] == "39.95", payload.get("id"))
    status, _, body, _ = c.signed("PUT", "products/103", body={"stock_status": "sometimes"})
    check("invalid stock_status -> 400 rest_invalid_param", status == 400 and body["code"] == "rest_invalid_param", body)
    status, _, del_hook, _ = c.signed("POST", "webhooks", body={"topic": "product.deleted", "secret": hook_secret,
                                                                 "delivery_url": f"http://127.0.0.1:{port}/del"})
    next_delivery()  # ping
    status, _, body, _ = c.signed("DELETE", "products/110")
    check("DELETE products/110 (no force) -> trashed", status == 200 and body["status"] == "trash", body)
    headers, raw = next_delivery()
    check("product.deleted payload is {\"id\": 110}", raw is not None and json.loads(raw) == {"id": 110}, raw)
    status, _, body, _ = c.signed("DELETE", "products/110")
    check("second DELETE -> 410 woocommerce_rest_already_trashed", status == 410, body)
    status, _, body, _ = c.signed("DELETE", "products/110?force=true")
    check("DELETE ?force=true -> 200", status == 200, body)
    status, _, body, _ = c.signed("GET", "products/110")
    check("force-deleted product -> 404", status == 404, body)
    next_delivery(3)
    status, _, order_hook, _ = c.signed("POST", "webhooks", body={"topic": "order.updated", "secret": hook_secret,
                                                                   "delivery_url": f"http://127.0.0.1:{port}/orders"})
    next_delivery()  # ping
    status, _, body, _ = c.signed("PUT", "orders/1044", body={"status": "processing"})
    check("PUT orders/1044 status processing", status == 200 and body["status"] == "processing", body)
    headers, raw = next_delivery()
    check("order.updated delivered with the order", raw is not None and json.loads(raw)["status"] == "processing"
          and {k.lower(): v for k, v in headers.items()}.get("x-wc-webhook-topic") == "order.updated", raw)
    status, _, body, _ = c.signed("PUT", "orders/1044", body={"status": "shipped"})
    check("invalid order status -> 400", status == 400 and body["code"] == "rest_invalid_param", body)
    status, hdrs, body, _ = c.signed("GET", "webhooks")
    check("GET webhooks lists 3", status == 200 and hdrs["X-WP-Total"] == "3", body)
    status, _, body, _ = c.signed("DELETE", f"webhooks/{order_hook['id']}")
    check("DELETE webhook without force -> 501 woocommerce_rest_trash_not_supported", status == 501, body)
    status, _, body, _ = c.signed("DELETE", f"webhooks/{order_hook['id']}?force=true")
    check("DELETE webhook ?force=true -> 200", status == 200, body)
    status, _, body, _ = c.signed("POST", "webhooks", body={"topic": "product.exploded", "delivery_url": "http://x/"})
    check("invalid topic -> 400 woocommerce_rest_webhook_invalid_topic", status == 400
          and body["code"] == "woocommerce_rest_webhook_invalid_topic", body)
    server.shutdown()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default=os.environ.get("WC_BASE", "http://127.0.0.1:8090"))
    ap.add_argument("--key", default=os.environ.get("WC_KEY", DEFAULT_KEY))
    ap.add_argument("--secret", default=os.environ.get("WC_SECRET", DEFAULT_SECRET))
    ap.add_argument("--sha256", action="store_true", help="sign with HMAC-SHA256 instead of HMAC-SHA1")
    ap.add_argument("method", nargs="?")
    ap.add_argument("route", nargs="?")
    ap.add_argument("body", nargs="?")
    args = ap.parse_args()
    c = Client(args.base, args.key, args.secret)
    if args.method:
        body = json.loads(args.body) if args.body else None
        status, hdrs, data, _ = c.signed(args.method.upper(), args.route or "", body=body,
                                         sig_method="HMAC-SHA256" if args.sha256 else "HMAC-SHA1")
        print(status)
        for h in ("X-WP-Total", "X-WP-TotalPages", "Link"):
            if hdrs.get(h):
                print(f"{h}: {hdrs[h]}")
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0 if status < 400 else 1
    run_checks(c)
    print(f"\n{len(FAILURES)} failure(s)" + (": " + "; ".join(FAILURES) if FAILURES else ""))
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
