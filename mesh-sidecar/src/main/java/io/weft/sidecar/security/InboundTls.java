package io.weft.sidecar.security;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.weft.runtime.inbound.InboundPolicy;
import io.weft.runtime.security.CertificateStatus;
import io.weft.runtime.security.WorkloadIdentity;
import io.weft.sidecar.listener.DownstreamTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * How the inbound listener takes each new connection, from its service's TLS mode in the config in force:
 * STRICT, mTLS only (a client certificate of the trust domain is required); PERMISSIVE, mTLS or plaintext, told
 * apart by the first bytes; DISABLE, plaintext. Who the caller is and what it may do is decided per request by
 * {@link InboundAuthorization}.
 *
 * <p>Fails closed: before the first config is in force (the mode is not known yet) and when the service is STRICT
 * but this workload has no valid certificate (no identity, no CA, expired), connections are refused, never served
 * in plaintext. The second case is logged as an error, at most once a minute while it lasts.
 */
public final class InboundTls implements DownstreamTls {

    private static final Logger log = LoggerFactory.getLogger(InboundTls.class);
    private static final long REFUSAL_LOG_INTERVAL_NANOS = 60_000_000_000L;

    /** h2 first, for gRPC clients, which require it; clients without ALPN get no protocol and are detected. */
    private static final ApplicationProtocolConfig ALPN = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1);

    private final String service;
    private final Supplier<InboundPolicy> policy;
    private final WorkloadIdentity identity;
    private final BooleanSupplier configLoaded;
    private final AtomicLong lastRefusalLog = new AtomicLong(System.nanoTime() - REFUSAL_LOG_INTERVAL_NANOS);
    private final AtomicLong refusedSinceLog = new AtomicLong();
    private volatile SslContext server;

    /**
     * @param policy       the service's inbound rules in force now
     * @param identity     this workload's identity; null when it has none
     * @param configLoaded whether the first config is in force
     */
    public InboundTls(String service, Supplier<InboundPolicy> policy, WorkloadIdentity identity,
                      BooleanSupplier configLoaded) {
        this.service = service;
        this.policy = policy;
        this.identity = identity;
        this.configLoaded = configLoaded;
    }

    @Override
    public Choice forNewConnection() {
        if (!configLoaded.getAsBoolean()) {
            log.debug("inbound connection refused: no config yet, so the TLS mode of {} is not known", service);
            return Choice.REFUSE;
        }
        return switch (policy.get().mode()) {
            case DISABLE -> Choice.PLAINTEXT;
            // Without an identity a TLS handshake could not succeed anyway; plaintext callers are still served.
            case PERMISSIVE -> identity == null ? Choice.PLAINTEXT : Choice.tlsOrPlaintext(serverContext());
            case STRICT -> {
                String unusable = unusableIdentity();
                if (unusable == null) {
                    yield Choice.tls(serverContext());
                }
                logRefusal(unusable);
                yield Choice.REFUSE;
            }
        };
    }

    /** Why this workload cannot take mTLS connections now, or null if it can. */
    private String unusableIdentity() {
        if (identity == null) {
            return "this sidecar has no mesh identity (run it with --control-plane, whose CA issues one)";
        }
        if (identity.status().state() != CertificateStatus.State.VALID) {
            return identity.unavailableReason();
        }
        return null;
    }

    private void logRefusal(String why) {
        refusedSinceLog.incrementAndGet();
        long now = System.nanoTime();
        long last = lastRefusalLog.get();
        if (now - last >= REFUSAL_LOG_INTERVAL_NANOS && lastRefusalLog.compareAndSet(last, now)) {
            log.error("inbound connections refused ({} since the last message): {} takes mTLS only (STRICT) and {}; "
                    + "plaintext is never served instead", refusedSinceLog.getAndSet(0), service, why);
        }
    }

    /** Made once: the identity's server context presents the current certificate, rotations included. */
    private SslContext serverContext() {
        SslContext s = server;
        if (s == null) {
            synchronized (this) {
                s = server;
                if (s == null) {
                    s = new JdkSslContext(identity.serverContext(), false, null, IdentityCipherSuiteFilter.INSTANCE,
                            ALPN, ClientAuth.REQUIRE, null, false);
                    server = s;
                }
            }
        }
        return s;
    }
}
