package io.weft.control.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.control.auth.Authenticator;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.registry.InstanceRegistry;
import io.weft.control.snapshot.SnapshotPublisher;

import java.util.function.Supplier;

/** The {@code /v1} API, as documented in {@code io.weft.runtime.control}: which endpoint answers what. */
public final class ApiRoutes {

    private ApiRoutes() {
    }

    /** @param status the document of {@code GET /v1/status}, serialized as JSON */
    public static Router create(Authenticator authenticator, SnapshotPublisher publisher, WaitingClients waiting,
                                InstanceRegistry registry, Supplier<?> status) {
        return create(authenticator, publisher, waiting, registry, status, null);
    }

    /** @param ca the certificate authority, or null when it is off ({@code /v1/certificates} then says so) */
    public static Router create(Authenticator authenticator, SnapshotPublisher publisher, WaitingClients waiting,
                                InstanceRegistry registry, Supplier<?> status, CertificateAuthority ca) {
        RequestAuth auth = new RequestAuth(authenticator);
        InstancesEndpoint instances = new InstancesEndpoint(auth, registry);
        Endpoint caOff = exchange -> {
            throw new ApiException(HttpResponseStatus.NOT_FOUND,
                    "the certificate authority is off: start the control plane with --ca-dir");
        };
        return new Router()
                .route(HttpMethod.POST, "/v1/certificates",
                        ca == null ? caOff : new CertificatesEndpoint(auth, ca))
                .route(HttpMethod.GET, "/v1/trust-bundle",
                        ca == null ? caOff : new TrustBundleEndpoint(ca.trustBundle()))
                .route(HttpMethod.GET, "/v1/status", new StatusEndpoint(status))
                .route(HttpMethod.GET, "/v1/snapshot", new SnapshotEndpoint(auth, publisher, waiting))
                .route(HttpMethod.POST, "/v1/instances", instances::register)
                .route(HttpMethod.GET, "/v1/instances", instances::list)
                .route(HttpMethod.PUT, "/v1/instances/{id}/heartbeat", instances::heartbeat)
                .route(HttpMethod.DELETE, "/v1/instances/{id}", instances::deregister);
    }
}
