package io.weft.runtime.telemetry;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.weft.runtime.security.CertificateStatus;
import io.weft.runtime.security.WorkloadIdentity;

import java.time.Instant;

/**
 * This workload's certificate, as meters to alert on: {@code weft.identity.certificate.valid} (1 while a
 * certificate is in force and unexpired), {@code weft.identity.certificate.expiry} (seconds left; negative once
 * expired, NaN with none), {@code weft.identity.certificate.rotations} and
 * {@code weft.identity.certificate.failures} (requests to the CA that failed).
 */
public final class IdentityMetrics implements MeterBinder {

    private final WorkloadIdentity identity;

    public IdentityMetrics(WorkloadIdentity identity) {
        this.identity = identity;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("weft.identity.certificate.valid", identity,
                        i -> i.status().state() == CertificateStatus.State.VALID ? 1 : 0)
                .description("1 while this workload has an unexpired certificate; mTLS calls fail without one")
                .register(registry);
        Gauge.builder("weft.identity.certificate.expiry", identity, IdentityMetrics::secondsLeft)
                .description("Seconds until this workload's certificate expires (negative: expired, NaN: none)")
                .baseUnit("seconds")
                .register(registry);
        FunctionCounter.builder("weft.identity.certificate.rotations", identity, i -> i.status().rotations())
                .description("Certificates received from the control plane's CA")
                .register(registry);
        FunctionCounter.builder("weft.identity.certificate.failures", identity, i -> i.status().failures())
                .description("Certificate requests to the control plane's CA that failed")
                .register(registry);
    }

    private static double secondsLeft(WorkloadIdentity identity) {
        Instant notAfter = identity.status().notAfter();
        return notAfter == null ? Double.NaN : (notAfter.toEpochMilli() - System.currentTimeMillis()) / 1000.0;
    }
}
