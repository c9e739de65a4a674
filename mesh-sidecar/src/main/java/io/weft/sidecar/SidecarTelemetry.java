package io.weft.sidecar;

/**
 * What the sidecar reports, and where: its admin port, the access log and OTLP tracing. Metrics are the
 * runtime's (written once in the engine), served on the admin port.
 *
 * @param adminBind     address of the admin port (127.0.0.1 by default: it shows the mesh's topology)
 * @param adminPort     admin port, 0 for one chosen by the OS, null for none
 * @param otlpEndpoint  OTLP/HTTP collector for a client span per attempt, or null for no tracing
 * @param traceSampling share of new traces sampled, 0..1
 */
public record SidecarTelemetry(String adminBind, Integer adminPort, boolean accessLog, String otlpEndpoint,
                               double traceSampling) {

    public static final SidecarTelemetry NONE = new SidecarTelemetry("127.0.0.1", null, false, null, 1.0);

    public SidecarTelemetry {
        if (adminPort != null && (adminPort < 0 || adminPort > 65535)) {
            throw new IllegalArgumentException("admin port " + adminPort + " is outside 0..65535");
        }
        if (!(traceSampling >= 0 && traceSampling <= 1)) {
            throw new IllegalArgumentException("trace sampling " + traceSampling + " is outside 0..1");
        }
    }

    public SidecarTelemetry withAdmin(String bind, int port) {
        return new SidecarTelemetry(bind, port, accessLog, otlpEndpoint, traceSampling);
    }

    public SidecarTelemetry withAccessLog() {
        return new SidecarTelemetry(adminBind, adminPort, true, otlpEndpoint, traceSampling);
    }

    public SidecarTelemetry withTracing(String endpoint, double sampling) {
        return new SidecarTelemetry(adminBind, adminPort, accessLog, endpoint, sampling);
    }
}
