package io.weft.runtime.control;

import java.util.Map;

/** The body of {@code POST /v1/instances}: one instance of a service, where it listens and its labels. */
public record RegistrationRequest(String service, String address, Integer port, Map<String, String> labels) {

    public RegistrationRequest {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }
}
