package io.weft.samples.spring;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Three stand-ins for the {@code orders} service on 127.0.0.1, each answering with its name: two of version v1,
 * one of v2. {@code java -cp ... OrdersBackends} starts them on 18081..18083, the addresses in mesh/orders.yaml.
 */
public final class OrdersBackends implements AutoCloseable {

    private static final String[] NAMES = {"orders-v1-a", "orders-v1-b", "orders-v2"};

    private final List<HttpServer> servers = new ArrayList<>();

    /** Starts the three on {@code firstPort}, +1, +2; 0 picks free ports. */
    public static OrdersBackends start(int firstPort) throws IOException {
        OrdersBackends backends = new OrdersBackends();
        for (int i = 0; i < NAMES.length; i++) {
            String name = NAMES[i];
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", firstPort == 0 ? 0 : firstPort + i), 0);
            server.createContext("/", exchange -> {
                byte[] body = (name + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            backends.servers.add(server);
        }
        return backends;
    }

    public List<String> addresses() {
        return servers.stream().map(s -> "127.0.0.1:" + s.getAddress().getPort()).toList();
    }

    @Override
    public void close() {
        servers.forEach(s -> s.stop(0));
    }

    public static void main(String[] args) throws IOException {
        OrdersBackends backends = start(18081);
        System.out.println("orders backends on " + backends.addresses() + "; Ctrl-C stops them");
    }
}
