package io.weft.control.cli;

import io.weft.control.ca.CaSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The command line, parsed. {@code tokensFile} is null exactly when {@code noAuth} is set (unless help).
 *
 * @param ca       the certificate authority's settings, or null when it is off
 * @param tls      serve the API over HTTPS with a certificate from the CA
 * @param tlsNames more names for that certificate
 */
public record LaunchOptions(Path configDir, int port, String host, Path tokensFile, boolean noAuth,
                            Duration instanceTtl, boolean help, CaSettings ca, boolean tls, List<String> tlsNames) {

    public LaunchOptions {
        tlsNames = tlsNames == null ? List.of() : List.copyOf(tlsNames);
    }

    /** Without CA and TLS. */
    public LaunchOptions(Path configDir, int port, String host, Path tokensFile, boolean noAuth, Duration instanceTtl,
                         boolean help) {
        this(configDir, port, host, tokensFile, noAuth, instanceTtl, help, null, false, List.of());
    }
}
