package io.weft.spring.actuate;

import io.weft.runtime.WeftRuntime;
import io.weft.runtime.control.ConfigStatus;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import java.net.URI;
import java.time.Duration;

/**
 * Health {@code weft}: whether the mesh config is current.
 * <ul>
 *   <li>UP: the control plane answers (or config is local and there is no control plane).</li>
 *   <li>DEGRADED: the control plane is unreachable and the app runs on the last good config (fail static). Calls
 *       still work; Boot's default status order leaves the overall health UP. Put {@code degraded} in
 *       {@code management.endpoint.health.status.order} to change that.</li>
 *   <li>OUT_OF_SERVICE: a control plane is configured and no config has come from it nor from the disk cache: calls
 *       to mesh services cannot be routed.</li>
 * </ul>
 */
public class WeftHealthIndicator extends AbstractHealthIndicator {

    public static final Status DEGRADED = new Status("DEGRADED", "running on the last good mesh config; the control plane is unreachable");

    private final WeftRuntime runtime;
    private final URI controlPlane;

    /** {@code controlPlane} is the configured control plane, null when config is local. */
    public WeftHealthIndicator(WeftRuntime runtime, URI controlPlane) {
        super("Weft health check failed");
        this.runtime = runtime;
        this.controlPlane = controlPlane;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        ConfigStatus s = runtime.configStatus();
        builder.withDetail("source", controlPlane == null ? "local" : s.source())
                .withDetail("services", runtime.engine().snapshot().config().services().size());
        if (controlPlane == null) {
            builder.up();
            return;
        }
        builder.withDetail("controlPlane", controlPlane.toString())
                .withDetail("version", s.version())
                .withDetail("connected", s.connected());
        Duration age = s.age();
        if (age != null) {
            builder.withDetail("ageSeconds", age.toSeconds());
        }
        if (s.lastContactAt() != null) {
            builder.withDetail("lastContactAt", s.lastContactAt().toString());
        }
        if (s.lastError() != null) {
            builder.withDetail("lastError", s.lastError());
        }
        if (s.connected()) {
            builder.up();
        } else if (s.version() > 0) {
            builder.status(DEGRADED);
        } else {
            builder.outOfService();
        }
    }
}
