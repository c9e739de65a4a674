package io.weft.control.cli;

import io.weft.control.ca.CaSettings;
import io.weft.control.store.etcd.EtcdSettings;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The command line, parsed. {@code tokensFile} is null exactly when {@code noAuth} is set (unless help). Exactly one
 * of {@code configDir} and {@code etcd} is set (unless help).
 *
 * @param ca                 the certificate authority's settings, or null when it is off
 * @param tls                serve the API over HTTPS with a certificate from the CA
 * @param tlsNames           more names for that certificate
 * @param etcd               the etcd store, or null for the embedded one (the config directory)
 * @param caPassphraseFile   with etcd and the CA on: the file of the passphrase the CA key is encrypted with there
 */
public record LaunchOptions(Path configDir, int port, String host, Path tokensFile, boolean noAuth,
                            Duration instanceTtl, boolean help, CaSettings ca, boolean tls, List<String> tlsNames,
                            EtcdSettings etcd, Path caPassphraseFile) {

    public LaunchOptions {
        tlsNames = tlsNames == null ? List.of() : List.copyOf(tlsNames);
    }

    /** The embedded store, without CA and TLS. */
    public LaunchOptions(Path configDir, int port, String host, Path tokensFile, boolean noAuth, Duration instanceTtl,
                         boolean help) {
        this(configDir, port, host, tokensFile, noAuth, instanceTtl, help, null, false, List.of(), null, null);
    }
}
