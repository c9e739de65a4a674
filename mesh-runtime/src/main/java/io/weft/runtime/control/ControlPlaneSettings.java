package io.weft.runtime.control;

import io.weft.api.ServiceName;
import io.weft.runtime.security.TrustBundle;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How this process talks to the control plane.
 *
 * @param replicas    the control plane's URL, such as {@code http://127.0.0.1:15010} ({@code https://...} when it
 *                    serves its API over TLS), or the URLs of several replicas to fail over between
 * @param service     this application's service name: the identity its token belongs to
 * @param token       the bearer token of that service
 * @param cacheDir    where the last good snapshot is kept, so a restart without a control plane still has config
 * @param pollWait    how long one long poll may be held by the server
 * @param trustAnchor for {@code https}: the CA certificates the control plane's server certificate chains to
 *                    (its trust bundle, {@code GET /v1/trust-bundle}); null trusts the JDK's default CAs
 */
public record ControlPlaneSettings(ControlPlaneReplicas replicas, ServiceName service, String token, Path cacheDir,
                                   Duration pollWait, TrustBundle trustAnchor) {

    public ControlPlaneSettings {
        Objects.requireNonNull(replicas, "control plane URL");
        Objects.requireNonNull(service, "service name (the identity of this application)");
        Objects.requireNonNull(cacheDir, "cache directory");
        for (URI url : replicas.all()) {
            if (trustAnchor != null && !"https".equals(url.getScheme())) {
                // Almost certainly a mistake: whoever gives a trust anchor believes the API is protected by TLS.
                throw new IllegalArgumentException("a trust anchor is given, but the control plane URL '" + url
                        + "' is plain http; use https://");
            }
        }
        if (pollWait == null) {
            pollWait = Duration.ofSeconds(30);
        }
        if (pollWait.isNegative() || pollWait.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("long-poll wait " + pollWait + " is outside 0..60s");
        }
    }

    /** Settings for one control-plane URL. */
    public ControlPlaneSettings(URI baseUrl, ServiceName service, String token, Path cacheDir, Duration pollWait,
                                TrustBundle trustAnchor) {
        this(new ControlPlaneReplicas(List.of(Objects.requireNonNull(baseUrl, "control plane URL"))), service, token,
                cacheDir, pollWait, trustAnchor);
    }

    /** Settings without a trust anchor: plain http, or https with a certificate from the JDK's default CAs. */
    public ControlPlaneSettings(URI baseUrl, ServiceName service, String token, Path cacheDir, Duration pollWait) {
        this(baseUrl, service, token, cacheDir, pollWait, null);
    }

    /** The same settings and replica in use, trusting {@code anchor} for the control plane's https certificate. */
    public ControlPlaneSettings withTrustAnchor(TrustBundle anchor) {
        return new ControlPlaneSettings(replicas, service, token, cacheDir, pollWait, anchor);
    }

    /** The replica in use now; the one URL when there is one. */
    public URI baseUrl() {
        return replicas.current();
    }

    /** The cache directory used when none is given: per service, under the system's temporary directory. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "weft-cache");
    }

    /**
     * A client for the control plane's API: with an SSL context trusting {@link #trustAnchor()} when there is one
     * (host names are checked as for any https server).
     */
    public HttpClient newHttpClient() {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (trustAnchor != null) {
            builder.sslContext(trustAnchor.httpsClientContext());
        } else if (replicas.all().stream().noneMatch(u -> "https".equals(u.getScheme()))) {
            builder.sslContext(io.weft.runtime.security.PlaintextOnly.sslContext());
        }
        return builder.build();
    }

    /** The URI of an API path on the replica in use, as {@code /v1/snapshot?service=orders}. */
    public URI resolve(String pathAndQuery) {
        return ControlPlaneReplicas.resolve(baseUrl(), pathAndQuery);
    }
}
