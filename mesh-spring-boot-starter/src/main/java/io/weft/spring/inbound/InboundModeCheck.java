package io.weft.spring.inbound;

import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.config.TlsConfig;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.Snapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says in the log when the service's TLS mode and this app's server disagree, at start-up and whenever the mode
 * changes: the server's TLS is fixed at start ({@code weft.inbound.mtls}) while the mode comes with the config.
 * Callers in the mesh use mTLS to a STRICT or PERMISSIVE service and plaintext to a DISABLE one, so a mismatch means
 * failed calls; and a STRICT service's authorization refuses every plaintext request.
 */
final class InboundModeCheck {

    private static final Logger log = LoggerFactory.getLogger(InboundModeCheck.class);

    private final String service;
    private final boolean mtls;
    private TlsConfig.Mode reported;

    InboundModeCheck(String service, boolean mtls, MeshEngine engine) {
        this.service = service;
        this.mtls = mtls;
        check(engine.snapshot());
        engine.onSnapshot(this::check);
    }

    private synchronized void check(Snapshot snapshot) {
        ServiceConfig config = snapshot.config().service(service).orElse(null);
        if (config == null) {
            // Not in the config (yet): nothing to compare with.
            return;
        }
        TlsConfig.Mode mode = config.policy().tls().mode();
        if (mode == reported) {
            return;
        }
        reported = mode;
        String problem = problem(mode);
        if (problem != null) {
            log.warn("{} has policy.tls.mode {} and weft.inbound.mtls is {}: {}", service, mode, mtls, problem);
        }
    }

    private String problem(TlsConfig.Mode mode) {
        if (mtls && mode == TlsConfig.Mode.DISABLE) {
            return "callers in the mesh call it in plaintext, which this server refuses";
        }
        if (!mtls && mode == TlsConfig.Mode.STRICT) {
            return "this server takes plaintext, and every request to it is denied (403); set weft.inbound.mtls=true";
        }
        if (!mtls && mode == TlsConfig.Mode.PERMISSIVE) {
            return "callers in the mesh call it over mTLS, which this server does not take; set weft.inbound.mtls=true";
        }
        return null;
    }
}
