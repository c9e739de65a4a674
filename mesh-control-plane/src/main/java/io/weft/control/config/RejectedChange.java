package io.weft.control.config;

import java.util.List;

/**
 * A config change that failed validation and was not applied.
 *
 * @param at     when it was seen, ISO-8601
 * @param errors each as {@code file:line: field: message}
 */
public record RejectedChange(String at, List<String> errors) {

    public RejectedChange {
        errors = List.copyOf(errors);
    }
}
