package io.weft.runtime.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Predicate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a peer whose certificate chain validates (PKIX) against the trust bundle of this workload's current
 * material, and whose SPIFFE ID is one this side expects. Host names play no part: a mesh endpoint is an address
 * such as {@code 10.0.0.7:8080}, and what matters is which workload answers there.
 *
 * <ul>
 * <li>Outbound ({@link #expecting}): the server must be exactly the destination service's identity.</li>
 * <li>Inbound ({@link #anyIn}): any client identity of the trust domain; authorization then looks at
 * {@link PeerIdentity#of(javax.net.ssl.SSLSession)}.</li>
 * </ul>
 * With no material yet there is no trust bundle, and every peer is refused. A server's trust manager counts the
 * client certificates it refuses in {@link InboundTlsRefusals}.
 */
public final class SpiffeTrustManager extends X509ExtendedTrustManager {

    private static final Logger log = LoggerFactory.getLogger(SpiffeTrustManager.class);
    private static final X509Certificate[] NONE = new X509Certificate[0];

    private final IdentitySource source;
    private final Predicate<SpiffeId> allowed;
    private final String expected;
    private final Clock clock;
    /**
     * Where a server's handshakes count the clients they refuse; null for clients. {@link #verify} alone counts
     * nothing: callers outside a handshake (a framework's peer check) refuse no connection.
     */
    private final InboundTlsRefusals refusals;

    private SpiffeTrustManager(IdentitySource source, Predicate<SpiffeId> allowed, String expected, Clock clock,
                               InboundTlsRefusals refusals) {
        this.source = Objects.requireNonNull(source);
        this.allowed = allowed;
        this.expected = expected;
        this.clock = clock;
        this.refusals = refusals;
    }

    private SpiffeTrustManager(IdentitySource source, Predicate<SpiffeId> allowed, String expected, Clock clock) {
        this(source, allowed, expected, clock, null);
    }

    /** For a client: the server must be {@code server}. */
    public static SpiffeTrustManager expecting(IdentitySource source, SpiffeId server) {
        Objects.requireNonNull(server);
        return new SpiffeTrustManager(source, server::equals, server.toString(), Clock.systemUTC());
    }

    /** For a server: any client identity of {@code trustDomain}. */
    public static SpiffeTrustManager anyIn(IdentitySource source, String trustDomain) {
        Objects.requireNonNull(trustDomain);
        return new SpiffeTrustManager(source, id -> id.isIn(trustDomain),
                "an identity of trust domain " + trustDomain, Clock.systemUTC());
    }

    /** Trusts peers whose ID passes {@code allowed}; {@code description} names them in errors. */
    public static SpiffeTrustManager matching(IdentitySource source, Predicate<SpiffeId> allowed, String description) {
        return new SpiffeTrustManager(source, Objects.requireNonNull(allowed), description, Clock.systemUTC());
    }

    /** The same checks, with the client certificates refused in a handshake counted in {@code refusals}. */
    SpiffeTrustManager countingRefusalsIn(InboundTlsRefusals refusals) {
        return new SpiffeTrustManager(source, allowed, expected, clock, Objects.requireNonNull(refusals));
    }

    /** The peer this trust manager accepts, as said in errors. */
    public String expected() {
        return expected;
    }

    /**
     * Checks a peer chain; returns its SPIFFE ID.
     *
     * @throws CertificateException saying why the peer is refused
     */
    public SpiffeId verify(X509Certificate[] chain, SvidVerifier.Purpose purpose) throws CertificateException {
        WorkloadMaterial m = source.current();
        if (m == null) {
            throw new CertificateException("no trust bundle yet: this workload has no certificate from the "
                    + "control plane, so it trusts no peer");
        }
        SpiffeId id;
        try {
            id = SvidVerifier.verify(chain == null ? null : Arrays.asList(chain), m.trustBundle(), purpose,
                    clock.instant());
        } catch (CertificateException e) {
            log.debug("refused peer: {}", e.getMessage());
            throw e;
        }
        if (!allowed.test(id)) {
            String message = "peer is " + id + ", expected " + expected;
            log.debug("refused peer: {}", message);
            throw new CertificateException(message);
        }
        return id;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClient(chain, socket == null || socket.getRemoteSocketAddress() == null ? null
                : socket.getRemoteSocketAddress().toString());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClient(chain, engine == null || engine.getPeerHost() == null ? null
                : engine.getPeerHost() + ":" + engine.getPeerPort());
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        checkClient(chain, null);
    }

    private void checkClient(X509Certificate[] chain, String peer) throws CertificateException {
        try {
            verify(chain, SvidVerifier.Purpose.CLIENT_AUTH);
        } catch (CertificateException e) {
            if (refusals != null) {
                refusals.refused(e, peer);
            }
            throw e;
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        verify(chain, SvidVerifier.Purpose.SERVER_AUTH);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        verify(chain, SvidVerifier.Purpose.SERVER_AUTH);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        verify(chain, SvidVerifier.Purpose.SERVER_AUTH);
    }

    /** The bundle's CAs: a server names them when it asks for the client's certificate. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        WorkloadMaterial m = source.current();
        return m == null ? NONE : m.trustBundle().certificates().toArray(NONE);
    }
}
