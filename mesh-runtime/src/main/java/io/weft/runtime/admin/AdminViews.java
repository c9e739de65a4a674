package io.weft.runtime.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.api.Endpoint;
import io.weft.api.Explanation;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.control.ConfigStatus;
import io.weft.runtime.engine.EndpointState;
import io.weft.runtime.engine.ServicePlan;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** The runtime's state as JSON documents, for the admin port and for anyone who wants them in-process. */
public final class AdminViews {

    private static final ObjectMapper JSON = ConfigMapper.json();

    private final WeftRuntime runtime;

    public AdminViews(WeftRuntime runtime) {
        this.runtime = runtime;
    }

    /** Where the config came from and how fresh it is, and the config in force, as the engine compiled it. */
    public ObjectNode configDump() {
        ObjectNode dump = JSON.createObjectNode();
        dump.set("status", status(runtime.configStatus()));
        dump.put("generation", runtime.engine().snapshot().generation());
        dump.set("config", JSON.valueToTree(runtime.engine().snapshot().config()));
        return dump;
    }

    /** This workload's certificate; {@code "identity": "none"} without a control plane or configured identity. */
    public ObjectNode certs() {
        ObjectNode certs = JSON.createObjectNode();
        io.weft.runtime.security.WorkloadIdentity identity = runtime.identity();
        if (identity == null) {
            certs.put("identity", "none");
            return certs;
        }
        io.weft.runtime.security.CertificateStatus s = identity.status();
        certs.put("state", s.state().name());
        certs.put("spiffeId", s.id() == null ? null : s.id().toString());
        certs.put("notAfter", text(s.notAfter()));
        certs.put("renewedAt", text(s.renewedAt()));
        certs.put("nextRenewalAt", text(s.nextRenewalAt()));
        certs.put("rotations", s.rotations());
        certs.put("failures", s.failures());
        certs.put("lastError", s.lastError());
        certs.put("lastErrorAt", text(s.lastErrorAt()));
        if (s.state() != io.weft.runtime.security.CertificateStatus.State.VALID) {
            certs.put("mtls", identity.unavailableReason());
        }
        return certs;
    }

    /** Every service's endpoints with what the data plane knows of them now. */
    public ObjectNode clusters() {
        ObjectNode clusters = JSON.createObjectNode();
        Map<String, ServicePlan> plans = new TreeMap<>();
        runtime.engine().snapshot().byHost().values().forEach(p -> plans.put(p.name(), p));
        for (ServicePlan plan : plans.values()) {
            ObjectNode service = clusters.putObject(plan.name());
            service.put("activeRequests", plan.state().inFlight());
            ArrayNode endpoints = service.putArray("endpoints");
            for (EndpointState e : plan.endpoints()) {
                ObjectNode node = endpoint(endpoints.addObject(), e.endpoint());
                node.put("state", e.availability());
                node.put("reason", e.unavailableReason());
                node.put("healthy", e.isHealthy());
                node.put("ejected", e.isEjected());
                node.put("breaker", e.breakerState());
                node.put("activeRequests", e.activeRequests());
            }
        }
        return clusters;
    }

    public static ObjectNode explanation(Explanation x) {
        ObjectNode node = JSON.createObjectNode();
        node.put("service", x.service());
        node.put("route", x.route());
        node.put("subset", x.subset());
        if (x.endpoint() != null) {
            endpoint(node.putObject("endpoint"), x.endpoint());
        } else {
            node.putNull("endpoint");
        }
        ArrayNode endpoints = node.putArray("endpoints");
        for (Explanation.EndpointVerdict v : x.endpoints()) {
            ObjectNode e = endpoint(endpoints.addObject(), v.endpoint());
            e.put("available", v.available());
            e.put("reason", v.reason());
        }
        ArrayNode steps = node.putArray("steps");
        x.steps().forEach(steps::add);
        return node;
    }

    private static ObjectNode endpoint(ObjectNode node, Endpoint e) {
        node.put("address", e.address());
        node.set("labels", JSON.valueToTree(e.labels()));
        node.put("weight", e.weight());
        return node;
    }

    private static JsonNode status(ConfigStatus s) {
        ObjectNode node = JSON.createObjectNode();
        node.put("source", s.source());
        node.put("version", s.version());
        node.put("hash", s.hash());
        node.put("appliedAt", text(s.appliedAt()));
        node.put("lastContactAt", text(s.lastContactAt()));
        node.put("connected", s.connected());
        node.put("lastError", s.lastError());
        node.put("lastErrorAt", text(s.lastErrorAt()));
        return node;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }

    static String write(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
