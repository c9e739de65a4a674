package io.weft.control.ca;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The API's own TLS certificate, issued by the CA for the names clients use to reach it (the bind address,
 * 127.0.0.1, localhost, and any configured). Its key lives in memory only; past half its life the next
 * connection gets a new one, so a long-running control plane never serves an expired certificate.
 */
public final class ServerCertificate {

    private static final Logger log = LoggerFactory.getLogger(ServerCertificate.class);
    static final Duration LIFETIME = Duration.ofDays(7);

    private final CertificateAuthority ca;
    private final List<String> names;
    private final Clock clock;
    private Material current;

    public ServerCertificate(CertificateAuthority ca, String bindHost, List<String> extraNames, Clock clock) {
        this.ca = ca;
        this.clock = clock;
        Set<String> all = new LinkedHashSet<>();
        if (!bindHost.equals("0.0.0.0") && !bindHost.equals("::") && !bindHost.equals("[::]")) {
            all.add(stripBrackets(bindHost));
        }
        all.add("127.0.0.1");
        all.add("localhost");
        extraNames.forEach(n -> all.add(stripBrackets(n.trim())));
        this.names = List.copyOf(all);
    }

    /** The names (DNS or IP) in the certificate. */
    public List<String> names() {
        return names;
    }

    /** The key and chain in force, renewed past half of their life. */
    public synchronized Material current() {
        Instant now = clock.instant();
        if (current == null || now.isAfter(current.renewAfter())) {
            KeyPair keys = CaDirectory.newKeyPair();
            List<X509Certificate> chain = ca.issueServer(keys.getPublic(), names, LIFETIME);
            Instant notAfter = chain.get(0).getNotAfter().toInstant();
            current = new Material(keys.getPrivate(), chain,
                    now.plus(Duration.between(now, notAfter).dividedBy(2)));
            log.info("API server certificate for {} valid until {}", names, notAfter);
        }
        return current;
    }

    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** A key and its chain (leaf first). */
    public record Material(PrivateKey key, List<X509Certificate> chain, Instant renewAfter) {
    }
}
