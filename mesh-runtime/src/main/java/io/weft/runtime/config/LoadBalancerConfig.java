package io.weft.runtime.config;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import java.util.Map;
import java.util.TreeMap;

/**
 * The balancer of a service: a name ({@code loadBalancer: round-robin}) or a name with options
 * ({@code loadBalancer: { type: ring-hash, hashHeader: x-user }}).
 */
@JsonDeserialize(using = LoadBalancerConfigDeserializer.class)
public record LoadBalancerConfig(@JsonProperty("type") String type, Map<String, String> options) {

    public static final LoadBalancerConfig DEFAULT = new LoadBalancerConfig("least-request", Map.of());

    public LoadBalancerConfig {
        options = options == null ? Map.of() : java.util.Collections.unmodifiableMap(new TreeMap<>(options));
    }

    @JsonAnyGetter
    Map<String, String> optionsForJson() {
        return options;
    }

    @Override
    @com.fasterxml.jackson.annotation.JsonIgnore
    public Map<String, String> options() {
        return options;
    }
}
