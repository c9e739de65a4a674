package io.weft.control.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.control.auth.Authenticator;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.config.DocumentCheck;
import io.weft.control.registry.ServiceRegistry;
import io.weft.control.snapshot.SnapshotPublisher;
import io.weft.control.store.ConfigDocuments;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

/** The {@code /v1} API, as documented in {@code io.weft.runtime.control}: which endpoint answers what. */
public final class ApiRoutes {

    private ApiRoutes() {
    }

    /**
     * What the API serves.
     *
     * @param status    the document of {@code GET /v1/status}, serialized as JSON
     * @param ca        the certificate authority, or null when it is off ({@code /v1/certificates} then says so)
     * @param documents the config documents of the admin API, or null when config comes from files
     * @param writes    where writes to the store run when they may block (a remote store), or null to run them on
     *                  the event loop (memory)
     * @param refused   where calls refused for their token are counted
     */
    public record Parts(Authenticator authenticator, SnapshotPublisher publisher, WaitingClients waiting,
                        ServiceRegistry registry, Supplier<?> status, CertificateAuthority ca,
                        ConfigDocuments documents, DocumentCheck check, Executor writes, RefusedCalls refused) {

        RequestAuth auth(RefusedCalls.Api api) {
            return new RequestAuth(authenticator, refused, api);
        }
    }

    public static Router create(Parts parts) {
        InstancesEndpoint instances = new InstancesEndpoint(parts.auth(RefusedCalls.Api.REGISTRY), parts.registry());
        CertificateAuthority ca = parts.ca();
        Endpoint caOff = exchange -> {
            throw new ApiException(HttpResponseStatus.NOT_FOUND,
                    "the certificate authority is off: start the control plane with --ca-dir "
                            + "(--ca-passphrase-file with --store etcd)");
        };
        Router router = new Router()
                .route(HttpMethod.POST, "/v1/certificates",
                        ca == null ? caOff : new CertificatesEndpoint(parts.auth(RefusedCalls.Api.CERTIFICATES), ca))
                .route(HttpMethod.GET, "/v1/trust-bundle",
                        ca == null ? caOff : new TrustBundleEndpoint(ca.trustBundle()))
                .route(HttpMethod.GET, "/v1/status", new StatusEndpoint(parts.status()))
                .route(HttpMethod.GET, "/v1/snapshot", new SnapshotEndpoint(parts.auth(RefusedCalls.Api.SNAPSHOT),
                        parts.publisher(), parts.waiting()))
                .route(HttpMethod.POST, "/v1/instances", write(parts, instances::register))
                .route(HttpMethod.GET, "/v1/instances", instances::list)
                .route(HttpMethod.PUT, "/v1/instances/{id}/heartbeat", write(parts, instances::heartbeat))
                .route(HttpMethod.DELETE, "/v1/instances/{id}", write(parts, instances::deregister));
        if (parts.documents() == null) {
            Endpoint unavailable = ConfigEndpoint.unavailable();
            return router.route(HttpMethod.GET, "/v1/config/{service}", unavailable)
                    .route(HttpMethod.PUT, "/v1/config/{service}", unavailable)
                    .route(HttpMethod.DELETE, "/v1/config/{service}", unavailable);
        }
        ConfigEndpoint config = new ConfigEndpoint(parts.auth(RefusedCalls.Api.CONFIG), parts.documents(),
                parts.check(), parts.publisher()::current);
        return router.route(HttpMethod.GET, "/v1/config/{service}", config::get)
                .route(HttpMethod.PUT, "/v1/config/{service}", write(parts, config::put))
                .route(HttpMethod.DELETE, "/v1/config/{service}", write(parts, config::delete));
    }

    private static Endpoint write(Parts parts, Endpoint endpoint) {
        return parts.writes() == null ? endpoint : new OffloadedEndpoint(endpoint, parts.writes());
    }
}
