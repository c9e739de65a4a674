package io.weft.runtime.config;

import java.util.List;
import java.util.stream.Collectors;

/** A config was rejected; {@link #errors()} lists every problem found, each with its file, line and field. */
public final class ConfigException extends RuntimeException {

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(format(errors));
        this.errors = List.copyOf(errors);
    }

    public List<ConfigError> errors() {
        return errors;
    }

    private static String format(List<ConfigError> errors) {
        return "invalid mesh config (" + errors.size() + (errors.size() == 1 ? " error" : " errors") + "):\n  "
                + errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n  "));
    }
}
