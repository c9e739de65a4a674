package okhttp3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 GET over a socket of its own: nothing the agent instruments (HttpURLConnection, the JDK's client)
 * is on the way, so what the app gets depends on this library alone. Reads a body of Content-Length bytes, or to
 * the end of the stream without one (no chunked bodies: the tests' backends send a length).
 */
final class PlainSocketCall implements Call {

    private final Request request;

    PlainSocketCall(Request request) {
        this.request = request;
    }

    @Override
    public Response execute() throws IOException {
        URI url = request.url;
        String target = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
        StringBuilder head = new StringBuilder("GET " + target + " HTTP/1.1\r\n")
                .append("Host: ").append(url.getRawAuthority()).append("\r\n")
                .append("User-Agent: fake-okhttp\r\n")
                .append("Connection: close\r\n");
        for (Map.Entry<String, String> h : request.headers.entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        try (Socket socket = new Socket(url.getHost(), url.getPort() == -1 ? 80 : url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            int code = Integer.parseInt(line(in).split(" ", 3)[1]);
            int length = -1;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0 && h.substring(0, colon).trim().equalsIgnoreCase("Content-Length")) {
                    length = Integer.parseInt(h.substring(colon + 1).trim());
                }
            }
            byte[] body = length < 0 ? in.readAllBytes() : in.readNBytes(length);
            if (body.length < length) {
                throw new EOFException("connection closed after " + body.length + " of " + length + " body bytes");
            }
            return new Response(code, new ResponseBody(new String(body, StandardCharsets.UTF_8)));
        }
    }

    /** One header-section line, without its CRLF. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("connection closed in the response head");
            }
            line.write(b);
        }
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }
}
