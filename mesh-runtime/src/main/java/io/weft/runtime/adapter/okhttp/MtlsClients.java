package io.weft.runtime.adapter.okhttp;

import io.weft.runtime.security.UpstreamTls;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.internal.connection.RealCall;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The clients that send mTLS attempts: OkHttp fixes the TLS socket factory per client, so an attempt to a service
 * that takes mTLS goes through a client derived from the app's (same dispatcher, connection pool, event listener
 * and network interceptors) with the destination's {@link UpstreamTls}. One is made per app client and
 * destination, and kept as long as the app's client lives. Connections never mix: OkHttp's pool keys them by
 * socket factory as well as by address.
 */
final class MtlsClients {

    private static final Map<OkHttpClient, Map<SSLContext, OkHttpClient>> DERIVED =
            java.util.Collections.synchronizedMap(new WeakHashMap<>());

    private MtlsClients() {
    }

    static OkHttpClient of(Interceptor.Chain chain, UpstreamTls tls) throws IOException {
        Call call = chain.call();
        if (!(call instanceof RealCall real)) {
            throw new IOException("weft: cannot send an mTLS attempt from a call of type " + call.getClass().getName()
                    + " (needs OkHttp's own RealCall)");
        }
        OkHttpClient base = real.getClient();
        Map<SSLContext, OkHttpClient> byContext = DERIVED.computeIfAbsent(base, b -> new ConcurrentHashMap<>());
        return byContext.computeIfAbsent(tls.context(), ctx -> derive(base, tls));
    }

    private static OkHttpClient derive(OkHttpClient base, UpstreamTls tls) {
        OkHttpClient.Builder b = base.newBuilder()
                .sslSocketFactory(tls.context().getSocketFactory(), tls.trustManager())
                // The trust manager checks the destination's SPIFFE ID; an endpoint's address is no identity.
                .hostnameVerifier((host, session) -> true)
                .connectionSpecs(List.of(ConnectionSpec.MODERN_TLS));
        // The attempt has been through the mesh already.
        b.interceptors().removeIf(i -> i instanceof MeshInterceptor);
        return b.build();
    }
}
