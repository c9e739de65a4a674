package io.weft.control.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.api.ServiceName;
import io.weft.control.auth.Caller;
import io.weft.control.registry.InstanceMessage;
import io.weft.control.registry.ServiceRegistry;
import io.weft.control.registry.RegisteredInstance;
import io.weft.control.registry.RegistrationValidator;
import io.weft.runtime.control.RegistrationRequest;
import io.weft.runtime.control.RegistrationResponse;

import java.util.List;

/** {@code /v1/instances}: register, renew, deregister and list the instances of a service. */
final class InstancesEndpoint {

    private final RequestAuth auth;
    private final ServiceRegistry registry;

    InstancesEndpoint(RequestAuth auth, ServiceRegistry registry) {
        this.auth = auth;
        this.registry = registry;
    }

    /** {@code POST /v1/instances}: 201 with the id; the same service, address and port again keeps its id. */
    void register(Exchange exchange) throws ApiException {
        Caller caller = auth.authenticate(exchange);
        RegistrationRequest request = JsonBodies.read(exchange.body(), RegistrationRequest.class);
        if (ServiceName.isValid(request.service())) {
            auth.authorize(caller, request.service());
        }
        List<String> problems = RegistrationValidator.problems(request);
        if (!problems.isEmpty()) {
            throw ApiException.badRequest(String.join("; ", problems));
        }
        RegisteredInstance instance = registry.register(request.service(),
                RegistrationValidator.normalizeHost(request.address()), request.port(), request.labels());
        var response = Responses.json(HttpResponseStatus.CREATED,
                new RegistrationResponse(instance.id(), ttlSeconds()));
        response.headers().set(HttpHeaderNames.LOCATION, "/v1/instances/" + instance.id());
        exchange.respond(response);
    }

    /** {@code PUT /v1/instances/{id}/heartbeat}: 204, or 404 once expired (the instance registers again). */
    void heartbeat(Exchange exchange) throws ApiException {
        String id = owned(exchange);
        if (!registry.heartbeat(id)) {
            throw notFound(id);
        }
        exchange.respond(Responses.empty(HttpResponseStatus.NO_CONTENT));
    }

    /** {@code DELETE /v1/instances/{id}}: 204 or 404. */
    void deregister(Exchange exchange) throws ApiException {
        String id = owned(exchange);
        if (!registry.deregister(id)) {
            throw notFound(id);
        }
        exchange.respond(Responses.empty(HttpResponseStatus.NO_CONTENT));
    }

    /** {@code GET /v1/instances?service=<name>}. */
    void list(Exchange exchange) throws ApiException {
        Caller caller = auth.authenticate(exchange);
        String service = exchange.requiredQuery("service");
        if (!ServiceName.isValid(service)) {
            throw ApiException.badRequest("service: '" + service + "' is not a valid service name");
        }
        auth.authorize(caller, service);
        exchange.respond(Responses.json(HttpResponseStatus.OK,
                registry.instances(service).stream().map(InstanceMessage::of).toList()));
    }

    /** The id of the path, after checking that it exists and belongs to the caller's service. */
    private String owned(Exchange exchange) throws ApiException {
        Caller caller = auth.authenticate(exchange);
        String id = exchange.pathParam("id");
        RegisteredInstance instance = registry.find(id).orElseThrow(() -> notFound(id));
        auth.authorize(caller, instance.service());
        return id;
    }

    /** Whole seconds for the wire, rounded up so that a sub-second TTL (tests) does not read as 0. */
    private long ttlSeconds() {
        long millis = registry.ttl().toMillis();
        return Math.max(1, (millis + 999) / 1000);
    }

    private static ApiException notFound(String id) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "no instance " + id + " (expired? register again)");
    }
}
