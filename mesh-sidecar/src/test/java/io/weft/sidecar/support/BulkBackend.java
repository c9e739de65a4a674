package io.weft.sidecar.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A backend for big bodies, one connection at a time on plain sockets: {@code POST} bodies are counted (after a
 * pause once the first 64 KiB arrived, so that a proxy without backpressure would pile the rest up in memory),
 * {@code GET /bytes/<n>} answers n zero bytes.
 */
public final class BulkBackend implements AutoCloseable {

    private final ServerSocket server;
    private final Thread thread;

    public BulkBackend() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        thread = new Thread(this::serve, "bulk-backend");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                handle(s);
            } catch (IOException | InterruptedException e) {
                // next connection
            }
        }
    }

    private static void handle(Socket s) throws IOException, InterruptedException {
        InputStream in = s.getInputStream();
        String head = readHead(in);
        String[] requestLine = head.split("\r\n")[0].split(" ");
        OutputStream out = s.getOutputStream();
        if (requestLine[0].equals("GET")) {
            long n = Long.parseLong(requestLine[1].substring("/bytes/".length()));
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            byte[] chunk = new byte[64 * 1024];
            for (long sent = 0; sent < n; sent += chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, n - sent));
            }
            out.flush();
            return;
        }
        long length = 0;
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Long.parseLong(line.substring(15).trim());
            }
        }
        byte[] buf = new byte[64 * 1024];
        long received = in.readNBytes(buf, 0, (int) Math.min(buf.length, length));
        Thread.sleep(300); // a slow consumer, for a moment
        while (received < length) {
            int r = in.read(buf);
            if (r < 0) {
                break;
            }
            received += r;
        }
        byte[] body = ("received " + received).getBytes(StandardCharsets.UTF_8);
        out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed before the end of the head");
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
