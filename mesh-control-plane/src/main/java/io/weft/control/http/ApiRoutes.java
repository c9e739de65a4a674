package io.weft.control.http;

import io.netty.handler.codec.http.HttpMethod;
import io.weft.control.auth.Authenticator;
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
        RequestAuth auth = new RequestAuth(authenticator);
        InstancesEndpoint instances = new InstancesEndpoint(auth, registry);
        return new Router()
                .route(HttpMethod.GET, "/v1/status", new StatusEndpoint(status))
                .route(HttpMethod.GET, "/v1/snapshot", new SnapshotEndpoint(auth, publisher, waiting))
                .route(HttpMethod.POST, "/v1/instances", instances::register)
                .route(HttpMethod.GET, "/v1/instances", instances::list)
                .route(HttpMethod.PUT, "/v1/instances/{id}/heartbeat", instances::heartbeat)
                .route(HttpMethod.DELETE, "/v1/instances/{id}", instances::deregister);
    }
}
