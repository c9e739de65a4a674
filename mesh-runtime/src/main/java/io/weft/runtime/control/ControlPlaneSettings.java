package io.weft.runtime.control;

import io.weft.api.ServiceName;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How this process talks to the control plane.
 *
 * @param baseUrl  such as {@code http://127.0.0.1:15010}
 * @param service  this application's service name: the identity its token belongs to
 * @param token    the bearer token of that service
 * @param cacheDir where the last good snapshot is kept, so a restart without a control plane still has config
 * @param pollWait how long one long poll may be held by the server
 */
public record ControlPlaneSettings(URI baseUrl, ServiceName service, String token, Path cacheDir, Duration pollWait) {

    public ControlPlaneSettings {
        Objects.requireNonNull(baseUrl, "control plane URL");
        Objects.requireNonNull(service, "service name (the identity of this application)");
        Objects.requireNonNull(cacheDir, "cache directory");
        if (!"http".equals(baseUrl.getScheme()) && !"https".equals(baseUrl.getScheme())) {
            throw new IllegalArgumentException("control plane URL '" + baseUrl + "' is not http(s)");
        }
        if (pollWait == null) {
            pollWait = Duration.ofSeconds(30);
        }
        if (pollWait.isNegative() || pollWait.compareTo(Duration.ofSeconds(60)) > 0) {
            throw new IllegalArgumentException("long-poll wait " + pollWait + " is outside 0..60s");
        }
    }

    /** The cache directory used when none is given: per service, under the system's temporary directory. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("java.io.tmpdir"), "weft-cache");
    }

    URI resolve(String pathAndQuery) {
        String base = baseUrl.toString();
        return URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + pathAndQuery);
    }
}
