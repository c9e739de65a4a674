package io.weft.runtime.security;

import io.weft.api.ServiceName;
import io.weft.runtime.control.ControlPlaneSettings;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * This workload's mesh identity as the rest of the runtime uses it: where its certificate comes from, the mTLS
 * contexts made from it, and whether it can be used right now.
 * <ul>
 * <li>From the control plane ({@link #fromControlPlane}): nothing happens until a snapshot carries a trust bundle
 * (the control plane runs a CA); then the certificate is requested and kept renewed by
 * {@link WorkloadCertificates}.</li>
 * <li>Fixed ({@link #fixed}): material from elsewhere (files written by another agent, tests).</li>
 * </ul>
 * Fails closed: {@link #upstream} answers null while there is no valid certificate, and the engine then refuses
 * calls that need mTLS with {@link #unavailableReason()} instead of sending them in plaintext.
 */
public final class WorkloadIdentity implements AutoCloseable {

    private final IdentitySource source;
    /** Where certificates come from the control plane: made with the first trust bundle, so a mesh without a CA pays nothing. */
    private final Supplier<WorkloadCertificates> makeCertificates;
    private volatile WorkloadCertificates certificates;
    private final List<Consumer<WorkloadMaterial>> rotationListeners = new CopyOnWriteArrayList<>();
    private final MeshTls tls;
    private final Clock clock = Clock.systemUTC();
    private final Object startLock = new Object();
    private volatile boolean active;
    private boolean closed; // guarded by startLock

    private WorkloadIdentity(IdentitySource fixed, Supplier<WorkloadCertificates> makeCertificates,
                             String trustDomain, String namespace) {
        this.makeCertificates = makeCertificates;
        this.source = fixed != null ? fixed : new IdentitySource() {
            @Override
            public WorkloadMaterial current() {
                WorkloadCertificates c = certificates;
                return c == null ? null : c.current();
            }

            @Override
            public void onRotation(Consumer<WorkloadMaterial> listener) {
                synchronized (startLock) {
                    rotationListeners.add(listener);
                    if (certificates != null) {
                        certificates.onRotation(listener);
                    }
                }
            }
        };
        this.tls = MeshTls.create(source, trustDomain, namespace);
        this.active = fixed != null;
    }

    /** Certificates from the control plane's CA, requested once it shows it has one. */
    public static WorkloadIdentity fromControlPlane(ControlPlaneSettings settings, ScheduledExecutorService scheduler) {
        return new WorkloadIdentity(null, () -> new WorkloadCertificates(settings, scheduler), null, null);
    }

    /**
     * Material from elsewhere, used as it is.
     *
     * @param trustDomain of the destination services; null for the material's own
     * @param namespace   of the destination services; null for the material's own
     */
    public static WorkloadIdentity fixed(IdentitySource source, String trustDomain, String namespace) {
        return new WorkloadIdentity(Objects.requireNonNull(source), null, trustDomain, namespace);
    }

    /**
     * A trust bundle from a snapshot: the control plane has a CA. The first one starts the certificate requests;
     * a changed one is put in force and a new certificate requested.
     */
    public void trustBundle(TrustBundle bundle) {
        if (makeCertificates == null) {
            return;
        }
        synchronized (startLock) {
            if (closed) {
                return;
            }
            if (!active) {
                WorkloadCertificates c = makeCertificates.get();
                rotationListeners.forEach(c::onRotation);
                certificates = c;
                active = true;
                c.start();
                return;
            }
        }
        certificates.updateTrustBundle(bundle);
    }

    /** Whether this workload has (or is getting) a certificate: false while the control plane shows no CA. */
    public boolean active() {
        return active;
    }

    public MeshTls tls() {
        return tls;
    }

    /** This workload's mTLS server context (client certificates required), for any JVM server. */
    public SSLContext serverContext() {
        return tls.serverContext();
    }

    /** What a call to {@code service} over mTLS needs; null while there is no valid certificate. */
    public UpstreamTls upstream(ServiceName service) {
        WorkloadMaterial m = source.current();
        if (m == null || m.isExpiredAt(clock.instant())) {
            return null;
        }
        return tls.upstream(service);
    }

    /** Why {@link #upstream} answers null, for the caller's error. */
    public String unavailableReason() {
        CertificateStatus s = status();
        return switch (s.state()) {
            case VALID -> "no mTLS context";
            case PENDING -> !active ? "the control plane has sent no trust bundle (it runs no CA: start it with --ca-dir)"
                    : "no workload certificate yet" + (s.lastError() == null ? "" : " (" + s.lastError() + ")");
            case EXPIRED -> "the workload certificate expired at " + s.notAfter() + " and was not renewed"
                    + (s.lastError() == null ? "" : " (" + s.lastError() + ")");
        };
    }

    public CertificateStatus status() {
        WorkloadCertificates c = certificates;
        if (c != null) {
            return c.status();
        }
        if (makeCertificates != null) {
            return new CertificateStatus(CertificateStatus.State.PENDING, null, null, null, null, 0, 0, null, null);
        }
        WorkloadMaterial m = source.current();
        if (m == null) {
            return new CertificateStatus(CertificateStatus.State.PENDING, null, null, null, null, 0, 0, null, null);
        }
        return new CertificateStatus(m.isExpiredAt(clock.instant()) ? CertificateStatus.State.EXPIRED
                : CertificateStatus.State.VALID, m.id(), m.notAfter(), null, null, 0, 0, null, null);
    }

    /** Waits for a first certificate; true at once for fixed material, false at once while not {@link #active}. */
    public boolean awaitCertificate(Duration timeout) throws InterruptedException {
        if (makeCertificates == null) {
            return source.current() != null;
        }
        WorkloadCertificates c = certificates;
        return c != null && c.awaitCertificate(timeout);
    }

    @Override
    public void close() {
        synchronized (startLock) {
            WorkloadCertificates c = certificates;
            if (c != null) {
                c.close();
            }
            closed = true;
        }
    }
}
