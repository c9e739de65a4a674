"""The sidecar tests' non-JVM app: answers who it is, what it got, and (on /close-delimited) ends its body by
closing the connection, as HTTP/1.0 servers do. Usage: app.py <port, 0 for any> <name>."""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        text = "%s from python: %s %s body=%d host=%s" % (
            sys.argv[2], self.command, self.path, len(body), self.headers.get("Host"))
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        if not self.path.startswith("/close-delimited"):
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = _answer
    do_POST = _answer

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print("PORT %d" % server.server_address[1], flush=True)
server.serve_forever()
