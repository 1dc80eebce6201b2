"""A stand-in for jwilder/whoami: answers every GET with "I'm <hostname>" on port 8000 ($PORT)."""
import os
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = "I'm {}\n".format(socket.gethostname()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


port = int(os.environ.get("PORT", "8000"))
print("Listening on :{}".format(port), flush=True)
ThreadingHTTPServer(("", port), Handler).serve_forever()
