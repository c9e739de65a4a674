package io.weft.runtime.reliability;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;

/**
 * A real HTTP/1.1 backend on 127.0.0.1 whose life and speed the test controls. {@link #kill()} closes the listening
 * socket and every connection at once, as a crashed process's kernel would (the port then refuses);
 * {@link #restart()} listens again on the same port. It records the {@code x-request-id} of every request it has
 * read in full, before answering: a request recorded here was executed, whatever the client later saw.
 *
 * <p>Hand-made rather than MockWebServer so that a kill is immediate and nothing else is kept per request.
 */
public final class ControlledBackend implements AutoCloseable {

    /** A request a backend read in full; {@code nanos} is {@link System#nanoTime()} on arrival. */
    public record Receipt(String backend, String id, String method, long nanos) {
    }

    private static final int MAX_HEAD_BYTES = 16 * 1024;
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final String name;
    private final Queue<Receipt> receipts = new ConcurrentLinkedQueue<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private volatile long delayMillis;
    private volatile boolean dieOnNextRequest;
    private volatile boolean dropConnectionOnNextRequest;
    private volatile ServerSocket listener;
    private volatile ExecutorService workers;
    private volatile Thread acceptor;
    private int port;

    private ControlledBackend(String name) {
        this.name = name;
    }

    public static ControlledBackend start(String name) throws IOException {
        ControlledBackend b = new ControlledBackend(name);
        b.listen(0);
        return b;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public String address() {
        return "127.0.0.1:" + port;
    }

    /** Every request read so far, across restarts, in arrival order. */
    public List<Receipt> receipts() {
        return List.copyOf(receipts);
    }

    /** Holds each answer this long from now on (0: at once). */
    public void delay(Duration d) {
        this.delayMillis = d.toMillis();
    }

    /** The next request is read (and recorded: executed), then the backend dies before answering it. */
    public void dieOnNextRequest() {
        this.dieOnNextRequest = true;
    }

    /** The next request is read (and recorded: executed), then its connection is closed unanswered; others live. */
    public void dropConnectionOnNextRequest() {
        this.dropConnectionOnNextRequest = true;
    }

    /** Closes the port and every connection now; requests being handled get no answer. */
    public synchronized void kill() {
        ServerSocket l = listener;
        listener = null;
        closeQuietly(l);
        for (Socket s : connections) {
            closeQuietly(s);
        }
        connections.clear();
        workers.shutdownNow();
        awaitAcceptorExit();
    }

    /**
     * The JDK defers closing a listening socket that a thread is blocked accepting on until that thread wakes: until
     * then the kernel still completes handshakes, and a client calling right after {@link #kill()} would get a
     * connection that is closed under it instead of a refusal. Waiting for the acceptor makes the kill complete.
     */
    private void awaitAcceptorExit() {
        Thread t = acceptor;
        if (t == null || t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Listens again on the same port, retrying briefly while the kernel still holds it. */
    public synchronized void restart() throws IOException, InterruptedException {
        IOException last = null;
        for (int i = 0; i < 50; i++) {
            try {
                listen(port);
                return;
            } catch (IOException e) {
                last = e;
                Thread.sleep(20);
            }
        }
        throw last;
    }

    @Override
    public synchronized void close() {
        if (listener != null) {
            kill();
        }
    }

    private void listen(int onPort) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), onPort), 1024);
        port = s.getLocalPort();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "backend-" + name);
            t.setDaemon(true);
            return t;
        });
        workers = pool;
        listener = s;
        Thread t = new Thread(() -> accept(s, pool), "backend-" + name + "-acceptor");
        t.setDaemon(true);
        acceptor = t;
        t.start();
    }

    private void accept(ServerSocket s, ExecutorService pool) {
        while (!s.isClosed()) {
            Socket c;
            try {
                c = s.accept();
            } catch (IOException e) {
                return; // killed
            }
            connections.add(c);
            try {
                c.setTcpNoDelay(true);
                // A kill racing this accept has already swept the connections: this one would stay open.
                if (s.isClosed()) {
                    throw new IOException("killed");
                }
                pool.execute(() -> serve(c));
            } catch (IOException | RejectedExecutionException e) {
                connections.remove(c);
                closeQuietly(c);
                return;
            }
        }
    }

    private void serve(Socket c) {
        try (c) {
            InputStream in = new BufferedInputStream(c.getInputStream());
            OutputStream out = c.getOutputStream();
            Request r;
            while ((r = Request.read(in)) != null) {
                receipts.add(new Receipt(name, r.id, r.method, System.nanoTime()));
                if (dieOnNextRequest) {
                    dieOnNextRequest = false;
                    kill();
                    return;
                }
                if (dropConnectionOnNextRequest) {
                    dropConnectionOnNextRequest = false;
                    return; // closes this connection
                }
                long d = delayMillis;
                if (d > 0) {
                    Thread.sleep(d);
                }
                byte[] body = name.getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException | InterruptedException | NumberFormatException e) {
            // The client went away, sent nonsense, or the backend was killed.
        } finally {
            connections.remove(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // Closing is all that is wanted.
        }
    }

    /** The little of an HTTP/1.1 request this backend needs: method, request id, and the body read off the wire. */
    private record Request(String method, String id) {

        /** The next request on the connection, or null at its end. */
        static Request read(InputStream in) throws IOException {
            String line = line(in);
            if (line == null) {
                return null;
            }
            String method = line.substring(0, Math.max(0, line.indexOf(' ')));
            String id = null;
            int length = 0;
            int headBytes = line.length();
            for (String h = headerLine(in); !h.isEmpty(); h = headerLine(in)) {
                headBytes += h.length();
                if (headBytes > MAX_HEAD_BYTES) {
                    throw new IOException("request head too large");
                }
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    continue;
                }
                String key = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = h.substring(colon + 1).trim();
                if (key.equals("x-request-id")) {
                    id = value;
                } else if (key.equals("content-length")) {
                    length = Integer.parseInt(value);
                }
            }
            if (length < 0 || length > MAX_BODY_BYTES || in.readNBytes(length).length != length) {
                throw new IOException("bad or cut body");
            }
            return new Request(method, id);
        }

        /** Past the request line, the end of the stream means a request cut short: an error, never a receipt. */
        private static String headerLine(InputStream in) throws IOException {
            String h = line(in);
            if (h == null) {
                throw new EOFException("request cut short");
            }
            return h;
        }

        /**
         * One CRLF-terminated ASCII line without its terminator; null when the stream ends where a request could
         * start.
         */
        private static String line(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b = in.read(); ; b = in.read()) {
                if (b < 0) {
                    if (sb.length() == 0) {
                        return null;
                    }
                    throw new EOFException("request cut short");
                }
                if (b == '\n') {
                    int n = sb.length();
                    return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
                }
                if (sb.length() >= MAX_HEAD_BYTES) {
                    throw new IOException("line too long");
                }
                sb.append((char) b);
            }
        }
    }
}
