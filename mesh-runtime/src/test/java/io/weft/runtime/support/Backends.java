package io.weft.runtime.support;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Real HTTP backends on 127.0.0.1 (OkHttp's MockWebServer). Each answers with its own name and counts what it
 * received; its behaviour can be swapped at any time (fail, slow down).
 */
public final class Backends implements AutoCloseable {

    private final List<Backend> backends = new ArrayList<>();

    public static Backends start(int count) throws IOException {
        Backends b = new Backends();
        for (int i = 0; i < count; i++) {
            b.backends.add(Backend.start("b" + i));
        }
        return b;
    }

    public Backend get(int i) {
        return backends.get(i);
    }

    public List<Backend> all() {
        return backends;
    }

    public int[] counts() {
        return backends.stream().mapToInt(Backend::count).toArray();
    }

    public void resetCounts() {
        backends.forEach(Backend::resetCount);
    }

    @Override
    public void close() throws IOException {
        for (Backend b : backends) {
            b.close();
        }
    }

    /**
     * MockWebServer writes headers and body in separate small segments; with Nagle on, the body waits for the
     * client's delayed ACK (tens of ms a call on Linux loopback). Real servers set TCP_NODELAY; so do these.
     */
    private static final class NoDelayServerSocketFactory extends javax.net.ServerSocketFactory {
        @Override
        public java.net.ServerSocket createServerSocket() throws IOException {
            return new java.net.ServerSocket() {
                @Override
                public java.net.Socket accept() throws IOException {
                    java.net.Socket s = super.accept();
                    s.setTcpNoDelay(true);
                    return s;
                }
            };
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog) throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.net.ServerSocket createServerSocket(int port, int backlog, InetAddress ifAddress) throws IOException {
            throw new UnsupportedOperationException();
        }
    }

    public static final class Backend implements AutoCloseable {
        private final String name;
        private final MockWebServer server = new MockWebServer();
        private final AtomicInteger count = new AtomicInteger();
        private volatile Function<RecordedRequest, MockResponse> behaviour;

        private Backend(String name) {
            this.name = name;
            this.behaviour = r -> ok();
        }

        static Backend start(String name) throws IOException {
            Backend b = new Backend(name);
            b.server.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    b.count.incrementAndGet();
                    return b.behaviour.apply(request);
                }
            });
            b.server.setServerSocketFactory(new NoDelayServerSocketFactory());
            b.server.start(InetAddress.getByName("127.0.0.1"), 0);
            return b;
        }

        public String name() {
            return name;
        }

        public int port() {
            return server.getPort();
        }

        public String address() {
            return "127.0.0.1:" + port();
        }

        public int count() {
            return count.get();
        }

        public void resetCount() {
            count.set(0);
        }

        public MockResponse ok() {
            return new MockResponse().setResponseCode(200).setBody(name);
        }

        public void respond(Function<RecordedRequest, MockResponse> behaviour) {
            this.behaviour = behaviour;
        }

        public void respondStatus(int status) {
            respond(r -> new MockResponse().setResponseCode(status).setBody(name + " " + status));
        }

        public void respondOk() {
            respond(r -> ok());
        }

        public MockWebServer server() {
            return server;
        }

        @Override
        public void close() throws IOException {
            server.shutdown();
        }
    }
}
