package io.weft.sidecar.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * One client connection that sends bytes as they are, then half-closes (so a request cut short ends there instead of
 * waiting for the header timeout) and reads everything until the proxy closes.
 *
 * @param received  what the proxy sent back
 * @param closed    the proxy closed the connection (or reset it) before the deadline
 */
public record WireExchange(byte[] received, boolean closed) {

    public static WireExchange run(int port, byte[] request, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) deadline.toMillis());
            try {
                s.getOutputStream().write(request);
                s.shutdownOutput();
            } catch (IOException e) {
                // The proxy refused early and closed: what it said is still to be read.
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            while (true) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return new WireExchange(got.toByteArray(), false);
                }
                s.setSoTimeout((int) Math.max(1, left / 1_000_000));
                int n;
                try {
                    n = in.read(buf);
                } catch (SocketTimeoutException e) {
                    return new WireExchange(got.toByteArray(), false);
                } catch (IOException e) {
                    return new WireExchange(got.toByteArray(), true); // reset: closed, with what came before
                }
                if (n < 0) {
                    return new WireExchange(got.toByteArray(), true);
                }
                got.write(buf, 0, n);
            }
        }
    }
}
