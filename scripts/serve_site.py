#!/usr/bin/env python3
"""Serves the built page (build/wasm-release/site) on 127.0.0.1 only.

    scripts/serve_site.py [--port 8080] [--dir build/wasm-release/site]
    python3 serve.py [--port 8080]      (the copy inside a shipped site folder serves that folder)

Sends the headers the page wants: COOP/COEP (cross-origin isolation, so ONNX Runtime may use
threads), the same Content-Security-Policy as the page's meta tag (which also covers the
worker), no caching, and correct MIME types for .mjs and .wasm. Any static server works for
the folder; this one exists so the page is isolated and never reachable from another machine.
"""
import argparse
import functools
import http.server
import os
import sys

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
       "connect-src 'self'; img-src 'self' data: blob:; style-src 'self'; font-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'none'")


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".mjs": "text/javascript", ".js": "text/javascript", ".wasm": "application/wasm",
                      ".json": "application/json", ".onnx": "application/octet-stream",
                      ".ttf": "font/ttf", ".txt": "text/plain; charset=utf-8"}

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("SPEXLENS_SERVE_QUIET") != "1":
            super().log_message(fmt, *args)


def default_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    if os.path.isfile(os.path.join(here, "index.html")):
        return here  # the copy the build puts into the site folder
    return os.path.join(here, "..", "build", "wasm-release", "site")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080, help="0 picks a free port (printed)")
    parser.add_argument("--dir", default=default_dir())
    args = parser.parse_args()
    if not os.path.isfile(os.path.join(args.dir, "index.html")):
        sys.exit(f"serve: {args.dir} has no index.html; build the page first: "
                 "cmake --preset wasm-release && cmake --build --preset wasm-release")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port),
                                             functools.partial(Handler, directory=args.dir))
    print(f"spexlens: serving {os.path.relpath(args.dir)} at http://127.0.0.1:{server.server_address[1]}/ "
          "(this machine only; Ctrl+C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
