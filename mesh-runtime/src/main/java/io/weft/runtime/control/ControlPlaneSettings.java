package io.weft.runtime.control;

import io.weft.api.ServiceName;
import io.weft.runtime.security.TrustBundle;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How this process talks to the control plane.
 *
 * @param baseUrl     such as {@code http://127.0.0.1:15010}, or {@code https://...} when the control plane serves
 *                    its API over TLS
 * @param service     this application's service name: the identity its token belongs to
 * @param token       the bearer token of that service
 * @param cacheDir    where the last good snapshot is kept, so a restart without a control plane still has config
 * @param pollWait    how long one long poll may be held by the server
 * @param trustAnchor for {@code https}: the CA certificates the control plane's server certificate chains to
 *                    (its trust bundle, {@code GET /v1/trust-bundle}); null trusts the JDK's default CAs
 */
public record ControlPlaneSettings(URI baseUrl, ServiceName service, String token, Path cacheDir, Duration pollWait,
                                   TrustBundle trustAnchor) {

    public ControlPlaneSettings {
        Objects.requireNonNull(baseUrl, "control plane URL");
        Objects.requireNonNull(service, "service name (the identity of this application)");
        Objects.requireNonNull(cacheDir, "cache directory");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("control plane URL '" + baseUrl + "' is not http(s)");
        }
        if (trustAnchor != null && !"https".equals(baseUrl.getScheme())) {
            // Almost certainly a mistake: whoever gives a trust anchor believes the API is protected by TLS.
            throw new IllegalArgumentException("a trust anchor is given, but the control plane URL '" + baseUrl
                    + "' is plain http; use https://");
        }
        if (pollWait == null) {
            pollWait = Duration.ofSeconds(30);
        }
        if (pollWait.isNegative() || pollWait.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("long-poll wait " + pollWait + " is outside 0..60s");
        }
    }

    /** Settings without a trust anchor: plain http, or https with a certificate from the JDK's default CAs. */
    public ControlPlaneSettings(URI baseUrl, ServiceName service, String token, Path cacheDir, Duration pollWait) {
        this(baseUrl, service, token, cacheDir, pollWait, null);
    }

    /** The same settings, trusting {@code anchor} for the control plane's https certificate. */
    public ControlPlaneSettings withTrustAnchor(TrustBundle anchor) {
        return new ControlPlaneSettings(baseUrl, service, token, cacheDir, pollWait, anchor);
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
        }
        return builder.build();
    }

    /** The URI of an API path, as {@code /v1/snapshot?service=orders}. */
    public URI resolve(String pathAndQuery) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
    }
}
