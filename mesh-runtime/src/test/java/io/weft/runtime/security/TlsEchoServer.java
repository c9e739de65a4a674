package io.weft.runtime.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A TLS server on 127.0.0.1 for tests: answers each line with the caller's SPIFFE ID and the line. Made from a
 * server context as is: whether it asks for client certificates is the context's business. Failed handshakes are
 * kept in {@link #failures()}.
 */
public final class TlsEchoServer implements AutoCloseable {

    private final SSLServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "tls-echo");
        t.setDaemon(true);
        return t;
    });
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<SpiffeId> peers = new CopyOnWriteArrayList<>();
    private final List<BigInteger> peerSerials = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    private TlsEchoServer(SSLContext context) throws IOException {
        socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket();
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        threads.execute(this::accept);
    }

    public static TlsEchoServer start(SSLContext context) {
        try {
            return new TlsEchoServer(context);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return socket.getLocalPort();
    }

    /** Handshakes or connections that failed on the server's side. */
    public List<Throwable> failures() {
        return failures;
    }

    /** The peer of every completed handshake. */
    public List<SpiffeId> peers() {
        return peers;
    }

    /** The serial of the client certificate of every connection, resumed or not. */
    public List<BigInteger> peerSerials() {
        return peerSerials;
    }

    private void accept() {
        while (!closed) {
            try {
                SSLSocket connection = (SSLSocket) socket.accept();
                threads.execute(() -> serve(connection));
            } catch (IOException e) {
                if (!closed) {
                    failures.add(e);
                }
            }
        }
    }

    private void serve(SSLSocket connection) {
        try (connection) {
            connection.setSoTimeout(15_000);
            connection.startHandshake();
            String peer = PeerIdentity.of(connection.getSession()).map(SpiffeId::toString).orElse("anonymous");
            PeerIdentity.of(connection.getSession()).ifPresent(peers::add);
            Certificate[] chain = connection.getSession().getPeerCertificates();
            peerSerials.add(((X509Certificate) chain[0]).getSerialNumber());
            BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(),
                    StandardCharsets.UTF_8));
            Writer out = new PrintWriter(new OutputStreamWriter(connection.getOutputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                out.write(peer + " " + line + "\n");
                out.flush();
            }
        } catch (SSLException e) {
            failures.add(e);
        } catch (SocketException e) {
            // the client went away
        } catch (IOException e) {
            failures.add(e);
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
        threads.shutdownNow();
    }
}
