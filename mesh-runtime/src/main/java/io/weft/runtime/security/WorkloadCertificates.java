package io.weft.runtime.security;

import io.weft.runtime.control.Backoff;
import io.weft.runtime.control.ControlPlaneSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * This workload's certificate, kept current: requests one from the control plane at start, renews it at about
 * half its remaining lifetime (40-60 %, so a fleet started together does not renew together), retries with
 * backoff while the control plane is away, and swaps key, chain and trust bundle in one step. Handshakes read
 * {@link #current()}; every rotation is passed to the listeners.
 *
 * <p>Fails closed: with no certificate, or an expired one, mTLS handshakes fail. That is logged as an error (once
 * per certificate) and shown in {@link #status()}; there is never a fallback to plaintext.
 *
 * <p>Runs on the runtime's scheduler (key generation and CSR signing take about a millisecond) and the JDK
 * client's own threads; nothing here blocks a thread while waiting for the control plane.
 */
public final class WorkloadCertificates implements IdentitySource, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkloadCertificates.class);
    /** Retrying sooner than this is pointless even for a nearly expired certificate. */
    private static final long MIN_RETRY_MILLIS = 100;

    private final CertificateClient client;
    private final ScheduledExecutorService scheduler;
    private final Clock clock;
    private final Backoff backoff = new Backoff();
    private final List<Consumer<WorkloadMaterial>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch first = new CountDownLatch(1);
    private final Object lock = new Object();

    // Guarded by lock; material is also volatile for the lock-free reads of every handshake.
    private volatile WorkloadMaterial material;
    private Instant renewedAt;
    private Instant nextRenewalAt;
    private long rotations;
    private long failures;
    private String lastError;
    private Instant lastErrorAt;
    private ScheduledFuture<?> next;
    private ScheduledFuture<?> expiryWatch;
    private CompletableFuture<WorkloadMaterial> inFlight;
    private boolean closed;

    public WorkloadCertificates(ControlPlaneSettings settings, ScheduledExecutorService scheduler) {
        this(new CertificateClient(settings), scheduler, Clock.systemUTC());
    }

    public WorkloadCertificates(CertificateClient client, ScheduledExecutorService scheduler, Clock clock) {
        this.client = client;
        this.scheduler = scheduler;
        this.clock = clock;
    }

    /** Requests the first certificate; returns at once. */
    public void start() {
        schedule(0);
    }

    /** Waits until a first certificate is in force. */
    public boolean awaitCertificate(Duration timeout) throws InterruptedException {
        return first.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public WorkloadMaterial current() {
        return material;
    }

    @Override
    public void onRotation(Consumer<WorkloadMaterial> listener) {
        listeners.add(listener);
    }

    public CertificateStatus status() {
        synchronized (lock) {
            WorkloadMaterial m = material;
            CertificateStatus.State state = m == null ? CertificateStatus.State.PENDING
                    : m.isExpiredAt(clock.instant()) ? CertificateStatus.State.EXPIRED : CertificateStatus.State.VALID;
            return new CertificateStatus(state, m == null ? null : m.id(), m == null ? null : m.notAfter(),
                    renewedAt, nextRenewalAt, rotations, failures, lastError, lastErrorAt);
        }
    }

    /**
     * A new trust bundle from the control plane (a snapshot's {@code trustBundle}): in force for new handshakes at
     * once, and a new certificate is requested now, as a changed bundle usually means a changed CA.
     */
    public void updateTrustBundle(TrustBundle bundle) {
        WorkloadMaterial updated;
        synchronized (lock) {
            WorkloadMaterial m = material;
            if (closed || m == null || m.trustBundle().equals(bundle)) {
                return;
            }
            updated = new WorkloadMaterial(m.id(), m.privateKey(), m.chain(), bundle);
            material = updated;
            log.info("trust bundle changed to {}; requesting a new certificate", bundle);
            schedule(0);
        }
        notifyListeners(updated);
    }

    private void schedule(long delayMillis) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (next != null) {
                next.cancel(false);
            }
            nextRenewalAt = clock.instant().plusMillis(delayMillis);
            next = scheduler.schedule(this::renew, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void renew() {
        CompletableFuture<WorkloadMaterial> request;
        try {
            request = client.request();
        } catch (RuntimeException e) {
            failed(e.toString());
            return;
        }
        synchronized (lock) {
            if (closed) {
                request.cancel(true);
                return;
            }
            inFlight = request;
        }
        request.whenComplete((issued, error) -> {
            if (error != null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                failed(cause.getMessage() != null ? cause.getMessage() : cause.toString());
            } else {
                rotated(issued);
            }
        });
    }

    private void rotated(WorkloadMaterial issued) {
        long renewIn;
        synchronized (lock) {
            if (closed) {
                return;
            }
            material = issued;
            Instant now = clock.instant();
            renewedAt = now;
            rotations++;
            lastError = null;
            lastErrorAt = null;
            backoff.reset();
            long remaining = Math.max(0, issued.notAfter().toEpochMilli() - now.toEpochMilli());
            renewIn = (long) (remaining * ThreadLocalRandom.current().nextDouble(0.4, 0.6));
            schedule(renewIn);
            if (expiryWatch != null) {
                expiryWatch.cancel(false);
            }
            expiryWatch = scheduler.schedule(() -> expired(issued), remaining + 1, TimeUnit.MILLISECONDS);
        }
        log.info("workload certificate {} serial {} in force until {}; renewing in {} ms", issued.id(),
                issued.serial(), issued.notAfter(), renewIn);
        first.countDown();
        notifyListeners(issued);
    }

    private void failed(String error) {
        long delay;
        boolean firstOfKind;
        WorkloadMaterial m;
        synchronized (lock) {
            if (closed) {
                return;
            }
            failures++;
            firstOfKind = !error.equals(lastError);
            lastError = error;
            lastErrorAt = clock.instant();
            m = material;
            delay = backoff.nextDelayMillis();
            if (m != null) {
                // Never sleep through the rest of a certificate's life.
                long left = m.notAfter().toEpochMilli() - clock.millis();
                delay = Math.max(MIN_RETRY_MILLIS, Math.min(delay, left / 4));
            }
            schedule(delay);
        }
        String held = m == null ? "no certificate yet: mTLS handshakes fail until one is issued"
                : m.isExpiredAt(clock.instant()) ? "the certificate expired at " + m.notAfter()
                : "keeping the current certificate until " + m.notAfter();
        if (firstOfKind) {
            log.warn("workload certificate request failed: {} ({}); retrying with backoff", error, held);
        } else {
            log.debug("workload certificate request failed: {}; retrying in {} ms", error, delay);
        }
    }

    private void expired(WorkloadMaterial which) {
        WorkloadMaterial now = material;
        // The same certificate still in force (perhaps with a newer trust bundle): it was not renewed in time.
        if (now != null && now.serial().equals(which.serial())) {
            String error;
            synchronized (lock) {
                error = lastError;
            }
            log.error("workload certificate {} serial {} expired at {} and could not be renewed ({}): mTLS "
                    + "connections of this workload fail until the control plane issues a new one", which.id(),
                    which.serial(), which.notAfter(), error == null ? "no answer yet" : error);
        }
    }

    private void notifyListeners(WorkloadMaterial m) {
        for (Consumer<WorkloadMaterial> listener : listeners) {
            try {
                listener.accept(m);
            } catch (RuntimeException e) {
                log.error("certificate rotation listener failed", e);
            }
        }
    }

    /** Stops renewing; the current material stays readable, so open connections are not affected. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            nextRenewalAt = null;
            if (next != null) {
                next.cancel(false);
            }
            if (expiryWatch != null) {
                expiryWatch.cancel(false);
            }
            if (inFlight != null) {
                inFlight.cancel(true);
            }
        }
    }
}
