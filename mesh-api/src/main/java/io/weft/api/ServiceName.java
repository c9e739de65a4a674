package io.weft.api;

import java.util.regex.Pattern;

/**
 * The name of a mesh service, as it appears in the host part of {@code http://<service>/path}.
 * A DNS name: lowercase labels of letters, digits and hyphens, separated by dots.
 */
public record ServiceName(String value) implements Comparable<ServiceName> {

    private static final Pattern DNS_NAME =
            Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*");

    public ServiceName {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("service name is empty");
        }
        if (value.length() > 253 || !DNS_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException("'" + value
                    + "' is not a valid service name: use lowercase letters, digits, '-' and '.', as in a DNS name");
        }
    }

    public static ServiceName of(String value) {
        return new ServiceName(value);
    }

    /** True if {@code value} would make a valid service name. */
    public static boolean isValid(String value) {
        return value != null && !value.isEmpty() && value.length() <= 253 && DNS_NAME.matcher(value).matches();
    }

    @Override
    public int compareTo(ServiceName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
