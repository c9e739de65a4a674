package io.weft.runtime.inbound;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import io.weft.runtime.security.PeerIdentity;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.WorkloadIdentity;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Puts a JDK {@code HttpServer}/{@code HttpsServer} behind the mesh's inbound rules: the template for any JVM
 * server (a servlet filter or a Netty handler does the same three steps: TLS from
 * {@link WorkloadIdentity#serverContext()}, the peer from {@link PeerIdentity}, the decision from
 * {@link InboundAuthorizer}).
 *
 * <pre>{@code
 * HttpsServer server = HttpsServer.create(new InetSocketAddress(8443), 0);
 * server.setHttpsConfigurator(JdkHttpServerSecurity.mtls(runtime.identity()));
 * server.createContext("/", handler).getFilters().add(JdkHttpServerSecurity.authorization(runtime.inboundAuthorizer()));
 * }</pre>
 */
public final class JdkHttpServerSecurity {

    private JdkHttpServerSecurity() {
    }

    /** mTLS with this workload's certificate (renewed in place); a client without a mesh certificate is refused. */
    public static HttpsConfigurator mtls(WorkloadIdentity identity) {
        return new HttpsConfigurator(identity.serverContext()) {
            @Override
            public void configure(HttpsParameters params) {
                javax.net.ssl.SSLParameters p = getSSLContext().getDefaultSSLParameters();
                p.setNeedClientAuth(true);
                params.setSSLParameters(p);
            }
        };
    }

    /** Answers 403 to requests the service's rules refuse; the others go on to the handler. */
    public static Filter authorization(InboundAuthorizer authorizer) {
        return new Filter() {
            @Override
            public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                InboundDecision decision = authorizer.authorize(describe(exchange));
                if (decision.allowed()) {
                    chain.doFilter(exchange);
                    return;
                }
                byte[] body = InboundDecision.DENIED_BODY.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(InboundDecision.DENIED_STATUS, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }

            @Override
            public String description() {
                return "Weft inbound authorization of " + authorizer.service();
            }
        };
    }

    static InboundRequest describe(HttpExchange exchange) {
        String method = exchange.getRequestMethod();
        // Normalized by InboundRequest once, from the text the caller sent.
        String path = exchange.getRequestURI().getRawPath();
        if (exchange instanceof HttpsExchange https) {
            SpiffeId peer = PeerIdentity.of(https.getSSLSession()).orElse(null);
            boolean mutual = peer != null || hasPeerCertificate(https);
            return new InboundRequest(peer, mutual, method, path);
        }
        return InboundRequest.plaintext(method, path);
    }

    private static boolean hasPeerCertificate(HttpsExchange https) {
        try {
            return https.getSSLSession() != null && https.getSSLSession().getPeerCertificates().length > 0;
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return false;
        }
    }
}
