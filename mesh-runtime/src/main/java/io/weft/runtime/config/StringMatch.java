package io.weft.runtime.config;

/**
 * How a string (a path, a header value) must look: exactly one of {@code exact}, {@code prefix}, {@code regex};
 * for headers, {@code present: true} matches any value and {@code present: false} an absent header.
 */
public record StringMatch(String exact, String prefix, String regex, Boolean present) {

    /** How many of the exclusive conditions are set; a valid match sets exactly one. */
    int conditionCount() {
        int n = 0;
        if (exact != null) n++;
        if (prefix != null) n++;
        if (regex != null) n++;
        if (present != null) n++;
        return n;
    }
}
