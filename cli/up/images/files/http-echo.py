"""A stand-in for hashicorp/http-echo: serves -text (a line) on -listen (default :5678), /health answers {"status":"ok"}.

Flags as Go's flag package reads them: -name=value, -name value, --name=value.
"""
import argparse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser(prog="http-echo", prefix_chars="-")
parser.add_argument("-text", "--text", required=True, help="text to put on the webpage")
parser.add_argument("-listen", "--listen", default=":5678", help="address and port to listen on")
parser.add_argument("-status-code", "--status-code", dest="status", type=int, default=200, help="HTTP status code to respond with")
args = parser.parse_args()


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        health = self.path == "/health"
        body = (b'{"status":"ok"}\n' if health else (args.text + "\n").encode())
        self.send_response(200 if health else args.status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-App-Name", "http-echo")
        self.end_headers()
        self.wfile.write(body)


host, _, port = args.listen.rpartition(":")
print("Server is listening on {}".format(args.listen), flush=True)
ThreadingHTTPServer((host, int(port)), Handler).serve_forever()
