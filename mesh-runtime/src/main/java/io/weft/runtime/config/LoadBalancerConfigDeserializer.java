package io.weft.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a balancer given as a bare name or as an object with {@code type} and options. */
final class LoadBalancerConfigDeserializer extends StdDeserializer<LoadBalancerConfig> {

    LoadBalancerConfigDeserializer() {
        super(LoadBalancerConfig.class);
    }

    @Override
    public LoadBalancerConfig deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            return new LoadBalancerConfig(p.getText(), Map.of());
        }
        if (p.currentToken() != JsonToken.START_OBJECT) {
            return (LoadBalancerConfig) ctxt.handleUnexpectedToken(LoadBalancerConfig.class, p);
        }
        String type = null;
        Map<String, String> options = new LinkedHashMap<>();
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            JsonToken value = p.nextToken();
            if (!value.isScalarValue()) {
                ctxt.reportInputMismatch(LoadBalancerConfig.class,
                        "load balancer option '%s' must be a single value", field);
            }
            if (field.equals("type")) {
                type = p.getText();
            } else {
                options.put(field, p.getText());
            }
        }
        return new LoadBalancerConfig(type, options);
    }
}
