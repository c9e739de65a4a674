package io.weft.runtime.adapter.jdkhttp;

import io.weft.runtime.security.UpstreamTls;

import java.net.http.HttpClient;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The clients that send mTLS attempts: a JDK {@code HttpClient}'s SSL context is fixed when it is built, so an
 * attempt to a service that takes mTLS goes through a twin of the app's client (same executor, version,
 * redirects, proxy, cookies, authenticator, connect timeout) built with the destination's {@link UpstreamTls}.
 * One twin per app client and destination, kept as long as the app's client lives; each has the selector
 * thread every JDK client has. Adapters whose own client cannot take a per-destination TLS context (Spring's
 * request factories and connectors) send their mTLS attempts through one of these.
 */
public final class MtlsHttpClients {

    private static final Map<HttpClient, Map<SSLContext, HttpClient>> TWINS =
            java.util.Collections.synchronizedMap(new WeakHashMap<>());

    private MtlsHttpClients() {
    }

    /** The twin of {@code base} for mTLS calls to {@code tls}'s destination. */
    public static HttpClient of(HttpClient base, UpstreamTls tls) {
        Map<SSLContext, HttpClient> byContext = TWINS.computeIfAbsent(base, b -> new ConcurrentHashMap<>());
        return byContext.computeIfAbsent(tls.context(), ctx -> twin(base, ctx));
    }

    private static HttpClient twin(HttpClient base, SSLContext context) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .sslContext(context)
                .version(base.version())
                .followRedirects(base.followRedirects());
        base.executor().ifPresent(b::executor);
        base.connectTimeout().ifPresent(b::connectTimeout);
        base.proxy().ifPresent(b::proxy);
        base.cookieHandler().ifPresent(b::cookieHandler);
        base.authenticator().ifPresent(b::authenticator);
        return b.build();
    }
}
