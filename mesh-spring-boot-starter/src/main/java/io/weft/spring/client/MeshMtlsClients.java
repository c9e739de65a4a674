package io.weft.spring.client;

import io.weft.runtime.adapter.jdkhttp.MtlsHttpClients;
import io.weft.runtime.security.UpstreamTls;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.util.function.SingletonSupplier;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * The JDK {@link HttpClient} that the starter's RestClient, RestTemplate and WebClient adapters send mTLS attempts
 * through. The app's request factory or connector has its TLS fixed when it is built, so it cannot present this
 * workload's certificate nor check the destination's SPIFFE ID; an attempt whose {@code Attempt#tls()} is set goes
 * through a twin of one base JDK client instead, made once per destination service
 * ({@link MtlsHttpClients#of}). The base client is made on the first mTLS attempt, so apps that never call a
 * service with mTLS never start its selector thread.
 */
public final class MeshMtlsClients {

    private static final MeshMtlsClients DEFAULTS = new MeshMtlsClients(HttpClient::newHttpClient, null);

    private final Supplier<HttpClient> base;
    private final Duration readTimeout;
    private final Executor executor;

    /**
     * @param base        makes the base client (connect timeout, redirects, proxy, executor are copied to each twin);
     *                    called once, on the first mTLS attempt
     * @param readTimeout bounds a RestClient or RestTemplate attempt that has no per-try timeout; null for none
     */
    public MeshMtlsClients(Supplier<HttpClient> base, Duration readTimeout) {
        this.base = SingletonSupplier.of(base);
        this.readTimeout = readTimeout;
        SimpleAsyncTaskExecutor writers = new SimpleAsyncTaskExecutor("weft-mtls-body-");
        writers.setDaemon(true);
        this.executor = writers;
    }

    /** One instance for the adapters made by hand (outside the starter's beans): a JDK client with defaults. */
    public static MeshMtlsClients defaults() {
        return DEFAULTS;
    }

    /** The client for mTLS attempts to {@code tls}'s destination. */
    public HttpClient client(UpstreamTls tls) {
        return MtlsHttpClients.of(base.get(), tls);
    }

    Duration readTimeout() {
        return readTimeout;
    }

    /** Writes request bodies for Spring's JDK request factory (its blocking body writes run on an executor). */
    Executor bodyWriters() {
        return executor;
    }
}
