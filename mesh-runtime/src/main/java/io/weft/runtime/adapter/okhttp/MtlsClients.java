package io.weft.runtime.adapter.okhttp;

import io.weft.runtime.security.UpstreamTls;
import okhttp3.Call;
import okhttp3.ConnectionSpec;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
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
        OkHttpClient base = clientOf(chain.call());
        Map<SSLContext, OkHttpClient> byContext = DERIVED.computeIfAbsent(base, b -> new ConcurrentHashMap<>());
        return byContext.computeIfAbsent(tls.context(), ctx -> derive(base, tls));
    }

    /**
     * The client a call belongs to. OkHttp has no public way to ask; its own call class knows: {@code getClient()}
     * in OkHttp 4 and 5, the field {@code client} in OkHttp 3. Read reflectively, as the app brings its own version.
     */
    private static OkHttpClient clientOf(Call call) throws IOException {
        MethodHandle getter = CLIENT_OF.get(call.getClass());
        if (getter == null) {
            throw new IOException("weft: cannot send an mTLS attempt from a call of type " + call.getClass().getName()
                    + ": it does not say which OkHttpClient it belongs to");
        }
        try {
            return (OkHttpClient) getter.invoke(call);
        } catch (Throwable e) {
            throw new IOException("weft: cannot read the client of " + call.getClass().getName(), e);
        }
    }

    private static final ClassValue<MethodHandle> CLIENT_OF = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            try {
                Method m = type.getMethod("getClient");
                if (OkHttpClient.class.isAssignableFrom(m.getReturnType())) {
                    return lookup.unreflect(m);
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // Not OkHttp 4 or 5; try OkHttp 3's field.
            }
            try {
                Field f = type.getDeclaredField("client");
                f.setAccessible(true);
                return lookup.unreflectGetter(f);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

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
