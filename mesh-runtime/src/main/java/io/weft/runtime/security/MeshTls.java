package io.weft.runtime.security;

import io.weft.api.ServiceName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.TrustManager;

/**
 * Makes the mesh's mTLS contexts from this workload's identity. Every context presents the current certificate
 * through one shared {@link RotatingKeyManager}, so contexts are made once and survive rotations.
 *
 * <h2>Which identity a client expects: one client context per destination service</h2>
 * An adapter connects to an endpoint such as {@code 10.0.0.7:8080} of service {@code orders}; the address says
 * nothing about who should answer. So the expected server identity is part of the context:
 * {@link #clientContext(ServiceName)} returns a context (cached, one per destination) whose trust manager accepts
 * only {@code spiffe://<trust-domain>/ns/<namespace>/sa/orders}. An adapter uses that context's socket factory
 * or engine for every connection to {@code orders}, whatever the endpoint. This was chosen over passing the
 * expected identity through SNI or the peer host because it keeps the check out of per-connection plumbing, and
 * because TLS session resumption is per context: a session resumed from one destination's cache can never
 * stand in for another destination's identity (endpoints' addresses get reused).
 * <ul>
 * <li>OkHttp: one {@code OkHttpClient} per destination service with
 * {@code sslSocketFactory(ctx.getSocketFactory(), meshTls.keyManager()...)}; its connection pool is per client,
 * which already separates destinations.</li>
 * <li>JDK {@code HttpClient}: one client per destination service, {@code HttpClient.newBuilder().sslContext(ctx)}.</li>
 * <li>Netty / gRPC: {@code new JdkSslContext(ctx, true, ClientAuth.NONE)}.</li>
 * </ul>
 * Host names are never checked (an endpoint's certificate names a workload, not an address), whatever endpoint
 * identification the client asks for: the mesh trust managers decide, and they ignore it.
 *
 * <h2>Servers</h2>
 * {@link #serverContext()} requires a client certificate on every engine and server socket it makes, and trusts
 * any identity of the trust domain; read the caller with {@link PeerIdentity#of(SSLSession)} and authorize it.
 * Client certificates its trust manager refuses are counted in {@link #inboundRefusals()}.
 * For Netty: {@code new JdkSslContext(meshTls.serverContext(), false, ClientAuth.REQUIRE)}.
 *
 * <h2>Sessions</h2>
 * A resumed TLS session keeps the certificates of the full handshake it resumes, so sessions are bounded: they
 * last a quarter of this workload's certificate's remaining life, at most {@value #SESSION_TIMEOUT_SECONDS} s
 * (peers' certificates come from the same CA with the same lifetime, and are renewed at about half of it, so a
 * resumed session never rests on an expired certificate in normal operation). This workload's own rotation drops
 * its cached sessions, so its next connections make full handshakes with the new certificate; a peer's rotation
 * shows on new connections once the sessions made before it time out. Open connections keep working on the
 * session they have.
 */
public final class MeshTls {

    private static final Logger log = LoggerFactory.getLogger(MeshTls.class);
    /** Bounds how long a resumed session can outlive the certificates it was made with. */
    static final int SESSION_TIMEOUT_SECONDS = 600;
    private static final int MIN_SESSION_TIMEOUT_SECONDS = 1;

    private final IdentitySource identity;
    private final String trustDomain;
    private final String namespace;
    private final RotatingKeyManager keyManager;
    private final Map<SpiffeId, SSLContext> clients = new ConcurrentHashMap<>();
    private final Map<ServiceName, UpstreamTls> upstreams = new ConcurrentHashMap<>();
    private final InboundTlsRefusals inboundRefusals = new InboundTlsRefusals();
    private volatile SSLContext server;

    private MeshTls(IdentitySource identity, String trustDomain, String namespace) {
        this.identity = Objects.requireNonNull(identity);
        this.trustDomain = trustDomain;
        this.namespace = namespace;
        if (trustDomain != null || namespace != null) {
            // Validates both: a bad trust domain or namespace is an error now, not at the first connection.
            SpiffeId.forWorkload(trustDomain != null ? trustDomain : SpiffeId.DEFAULT_TRUST_DOMAIN,
                    namespace != null ? namespace : SpiffeId.DEFAULT_NAMESPACE, "check");
        }
        this.keyManager = new RotatingKeyManager(identity);
        identity.onRotation(this::rotated);
    }

    /**
     * @param trustDomain as the control plane's CA issues; null for this workload's own (read from its
     *                    certificate), which is what a mesh with one CA wants
     * @param namespace   the namespace of the destination services; null for this workload's own
     */
    public static MeshTls create(IdentitySource identity, String trustDomain, String namespace) {
        return new MeshTls(identity, trustDomain, namespace);
    }

    /**
     * The identity a workload of {@code service} has in this mesh.
     *
     * @throws IllegalStateException when the trust domain comes from this workload's certificate and there is none yet
     */
    public SpiffeId identityOf(ServiceName service) {
        String domain = trustDomain();
        if (domain == null) {
            throw new IllegalStateException("no workload certificate yet: the trust domain of " + service
                    + " is not known");
        }
        return SpiffeId.forWorkload(domain, namespace(), service.value());
    }

    /** The trust domain peers are in: as configured, else this workload's own; null while neither is known. */
    public String trustDomain() {
        if (trustDomain != null) {
            return trustDomain;
        }
        WorkloadMaterial m = identity.current();
        return m == null ? null : m.id().trustDomain();
    }

    private String namespace() {
        if (namespace != null) {
            return namespace;
        }
        WorkloadMaterial m = identity.current();
        return m == null ? SpiffeId.DEFAULT_NAMESPACE : m.id().namespace().orElse(SpiffeId.DEFAULT_NAMESPACE);
    }

    /**
     * What an adapter needs to call {@code service} over mTLS, made once per service; null while this workload
     * has no certificate.
     */
    public UpstreamTls upstream(ServiceName service) {
        UpstreamTls u = upstreams.get(service);
        if (u != null) {
            return u;
        }
        if (trustDomain() == null) {
            return null;
        }
        return upstreams.computeIfAbsent(service, s -> {
            SpiffeId id = identityOf(s);
            return new UpstreamTls(s, id, clientContext(id), clientTrustManager(id), keyManager);
        });
    }

    /** The context for connections to {@code service}: its servers must prove that identity. */
    public SSLContext clientContext(ServiceName service) {
        return clientContext(identityOf(service));
    }

    /** The context for connections whose server must be {@code server}; made once per identity. */
    public SSLContext clientContext(SpiffeId server) {
        return clients.computeIfAbsent(server, id -> context(SpiffeTrustManager.expecting(identity, id)));
    }

    /** The context for this workload's mTLS servers: client certificates required, any identity of the domain. */
    public SSLContext serverContext() {
        SSLContext s = server;
        if (s == null) {
            synchronized (this) {
                s = server;
                if (s == null) {
                    s = ClientAuthRequired.wrap(context(serverTrustManager()));
                    server = s;
                }
            }
        }
        return s;
    }

    /** The key manager every context shares, for frameworks that take managers instead of a context. */
    public RotatingKeyManager keyManager() {
        return keyManager;
    }

    /**
     * A trust manager for inbound connections: any client identity of the trust domain. The client certificates it
     * refuses in handshakes are counted in {@link #inboundRefusals()}.
     */
    public SpiffeTrustManager serverTrustManager() {
        SpiffeTrustManager trust = trustDomain != null ? SpiffeTrustManager.anyIn(identity, trustDomain)
                : SpiffeTrustManager.matching(identity, id -> {
                    String domain = trustDomain();
                    return domain != null && id.isIn(domain);
                }, "an identity of this workload's trust domain");
        return trust.countingRefusalsIn(inboundRefusals);
    }

    /** The inbound handshakes refused for the client's certificate, by every server on this workload's identity. */
    public InboundTlsRefusals inboundRefusals() {
        return inboundRefusals;
    }

    /** A trust manager for outbound connections to {@code server}. */
    public SpiffeTrustManager clientTrustManager(SpiffeId server) {
        return SpiffeTrustManager.expecting(identity, server);
    }

    private SSLContext context(SpiffeTrustManager trustManager) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keyManager}, new TrustManager[] {trustManager}, null);
            int timeout = sessionTimeoutSeconds(identity.current());
            context.getClientSessionContext().setSessionTimeout(timeout);
            context.getServerSessionContext().setSessionTimeout(timeout);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot make a TLS context", e);
        }
    }

    /**
     * After a rotation: no new connection resumes a session made with the previous certificate, and sessions last
     * at most a quarter of the new certificate's remaining life, so that peers' rotations show soon too.
     */
    private void rotated(WorkloadMaterial material) {
        if (trustDomain == null || namespace == null) {
            // Peers' expected identities follow this workload's: forget those made for another domain or namespace.
            upstreams.values().removeIf(u -> !u.peer().trustDomain().equals(material.id().trustDomain())
                    || !u.peer().namespace().equals(material.id().namespace()));
        }
        int timeout = sessionTimeoutSeconds(material);
        int dropped = 0;
        for (SSLContext context : clients.values()) {
            context.getClientSessionContext().setSessionTimeout(timeout);
            dropped += forget(context.getClientSessionContext());
        }
        SSLContext s = server;
        if (s != null) {
            s.getServerSessionContext().setSessionTimeout(timeout);
            dropped += forget(s.getServerSessionContext());
        }
        log.debug("certificate rotated; dropped {} cached TLS sessions, sessions now last {} s", dropped, timeout);
    }

    /** A quarter of the remaining life of the certificate, between 1 s and {@value #SESSION_TIMEOUT_SECONDS} s. */
    static int sessionTimeoutSeconds(WorkloadMaterial material) {
        if (material == null) {
            return SESSION_TIMEOUT_SECONDS;
        }
        long quarter = Duration.between(Instant.now(), material.notAfter()).toSeconds() / 4;
        return (int) Math.max(MIN_SESSION_TIMEOUT_SECONDS, Math.min(SESSION_TIMEOUT_SECONDS, quarter));
    }

    private static int forget(SSLSessionContext sessions) {
        int n = 0;
        for (byte[] id : Collections.list(sessions.getIds())) {
            SSLSession session = sessions.getSession(id);
            if (session != null) {
                session.invalidate();
                n++;
            }
        }
        return n;
    }
}
