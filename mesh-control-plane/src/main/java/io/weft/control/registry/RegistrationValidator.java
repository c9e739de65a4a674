package io.weft.control.registry;

import io.netty.util.NetUtil;
import io.weft.api.ServiceName;
import io.weft.runtime.control.RegistrationRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks a registration before it can reach a snapshot, naming the field of each problem. */
public final class RegistrationValidator {

    public static final int MAX_LABELS = 32;
    public static final int MAX_LABEL_LENGTH = 63;

    private static final Pattern HOST_NAME =
            Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([-A-Za-z0-9_]{0,61}[A-Za-z0-9])?)*");
    private static final Pattern LOOKS_LIKE_IPV4 = Pattern.compile("[0-9.]+");

    private RegistrationValidator() {
    }

    /** Every problem as {@code field: message}; empty when the request is valid. */
    public static List<String> problems(RegistrationRequest r) {
        List<String> problems = new ArrayList<>();
        if (r.service() == null) {
            problems.add("service: is required");
        } else if (!ServiceName.isValid(r.service())) {
            problems.add("service: '" + r.service() + "' is not a valid service name (lowercase letters, digits, '-', '.')");
        }
        String hostProblem = hostProblem(r.address());
        if (hostProblem != null) {
            problems.add("address: " + hostProblem);
        }
        if (r.port() == null) {
            problems.add("port: is required");
        } else if (r.port() < 1 || r.port() > 65535) {
            problems.add("port: " + r.port() + " is outside 1..65535");
        }
        if (r.labels().size() > MAX_LABELS) {
            problems.add("labels: " + r.labels().size() + " labels; at most " + MAX_LABELS + " are allowed");
        }
        for (Map.Entry<String, String> label : r.labels().entrySet()) {
            if (label.getKey().isEmpty() || label.getKey().length() > MAX_LABEL_LENGTH) {
                problems.add("labels: key '" + label.getKey() + "' must be 1.." + MAX_LABEL_LENGTH + " characters");
            }
            if (label.getValue().length() > MAX_LABEL_LENGTH) {
                problems.add("labels." + label.getKey() + ": value is longer than " + MAX_LABEL_LENGTH + " characters");
            }
        }
        return problems;
    }

    /** The host as stored: IPv6 without brackets. Only valid for an address {@link #problems} accepted. */
    public static String normalizeHost(String address) {
        String host = address.trim();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static String hostProblem(String address) {
        if (address == null || address.isBlank()) {
            return "is required: the host name or IP address the instance listens on";
        }
        String host = normalizeHost(address);
        if (host.indexOf(':') >= 0) {
            return NetUtil.isValidIpV6Address(host) && host.indexOf('%') < 0 ? null
                    : "'" + address + "' is not a valid IPv6 address";
        }
        if (LOOKS_LIKE_IPV4.matcher(host).matches()) {
            return NetUtil.isValidIpV4Address(host) ? null : "'" + address + "' is not a valid IPv4 address";
        }
        return host.length() <= 253 && HOST_NAME.matcher(host).matches() ? null
                : "'" + address + "' is not a valid host name or IP address (no scheme, no port)";
    }
}
