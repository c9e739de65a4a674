package io.weft.runtime.security;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/** One client connection to a {@link TlsEchoServer}, kept open for as many calls as asked. */
public final class TlsTestClient implements AutoCloseable {

    private final SSLSocket socket;
    private final BufferedReader in;
    private final OutputStream out;

    private TlsTestClient(SSLContext context, int port) throws IOException {
        socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        socket.setSoTimeout(10_000);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
    }

    /** Connects and completes the handshake; a refused handshake throws here or at the first call. */
    public static TlsTestClient connect(SSLContext context, int port) throws IOException {
        TlsTestClient client = new TlsTestClient(context, port);
        try {
            client.socket.startHandshake();
        } catch (IOException e) {
            client.close();
            throw e;
        }
        return client;
    }

    /** Connects, calls once and closes. */
    public static String callOnce(SSLContext context, int port, String line) throws IOException {
        try (TlsTestClient client = connect(context, port)) {
            return client.call(line);
        }
    }

    /** Sends a line and returns the server's answer: the client's SPIFFE ID as the server saw it, and the line. */
    public String call(String line) throws IOException {
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        String answer = in.readLine();
        if (answer == null) {
            throw new IOException("the server closed the connection");
        }
        return answer;
    }

    /** The certificate the server presented on this connection. */
    public X509Certificate serverCertificate() {
        try {
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
