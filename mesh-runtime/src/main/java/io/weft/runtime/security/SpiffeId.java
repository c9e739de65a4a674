package io.weft.runtime.security;

import java.util.Objects;
import java.util.Optional;

/**
 * A SPIFFE ID, {@code spiffe://<trust-domain>/<path>}, checked against the SPIFFE ID specification: a lowercase
 * trust domain of {@code [a-z0-9._-]}, path segments of {@code [A-Za-z0-9._-]} that are neither empty nor
 * {@code .} nor {@code ..}, no trailing slash, no port, user, query or fragment, at most 2048 characters.
 *
 * <p>Weft workloads are named {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}
 * ({@link #forWorkload}); {@link #parse} accepts any valid SPIFFE ID, and {@link #service()} tells whether it
 * has that shape.
 *
 * @param trustDomain such as {@code weft.local}
 * @param path        empty, or {@code /}-prefixed segments such as {@code /ns/default/sa/orders}
 */
public record SpiffeId(String trustDomain, String path) {

    public static final String SCHEME_PREFIX = "spiffe://";
    public static final String DEFAULT_TRUST_DOMAIN = "weft.local";
    public static final String DEFAULT_NAMESPACE = "default";
    private static final int MAX_LENGTH = 2048;
    private static final int MAX_TRUST_DOMAIN_LENGTH = 255;

    public SpiffeId {
        Objects.requireNonNull(trustDomain, "trust domain");
        path = path == null ? "" : path;
        checkTrustDomain(trustDomain, SCHEME_PREFIX + trustDomain + path);
        checkPath(path, SCHEME_PREFIX + trustDomain + path);
        if (SCHEME_PREFIX.length() + trustDomain.length() + path.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("SPIFFE ID is longer than " + MAX_LENGTH + " characters");
        }
    }

    /** {@code spiffe://<trustDomain>/ns/<namespace>/sa/<service>}: the identity of a Weft workload. */
    public static SpiffeId forWorkload(String trustDomain, String namespace, String service) {
        return new SpiffeId(trustDomain, "/ns/" + namespace + "/sa/" + service);
    }

    /** @throws IllegalArgumentException naming what is wrong, with the text it was given */
    public static SpiffeId parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("SPIFFE ID is empty");
        }
        if (!text.regionMatches(true, 0, SCHEME_PREFIX, 0, SCHEME_PREFIX.length())) {
            throw new IllegalArgumentException("'" + text + "' is not a SPIFFE ID: it must start with spiffe://");
        }
        if (!text.startsWith(SCHEME_PREFIX)) {
            throw new IllegalArgumentException("'" + text + "': the scheme must be lowercase spiffe://");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("SPIFFE ID is longer than " + MAX_LENGTH + " characters");
        }
        String rest = text.substring(SCHEME_PREFIX.length());
        int slash = rest.indexOf('/');
        String trustDomain = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        checkTrustDomain(trustDomain, text);
        checkPath(path, text);
        return new SpiffeId(trustDomain, path);
    }

    /** True if {@code text} parses as a SPIFFE ID. */
    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** The namespace of a workload ID ({@code /ns/<namespace>/sa/<service>}), else empty. */
    public Optional<String> namespace() {
        String[] s = workloadSegments();
        return s == null ? Optional.empty() : Optional.of(s[2]);
    }

    /** The service (service account) of a workload ID ({@code /ns/<namespace>/sa/<service>}), else empty. */
    public Optional<String> service() {
        String[] s = workloadSegments();
        return s == null ? Optional.empty() : Optional.of(s[4]);
    }

    /** True if this ID belongs to {@code trustDomain}. */
    public boolean isIn(String trustDomain) {
        return this.trustDomain.equals(trustDomain);
    }

    private String[] workloadSegments() {
        String[] s = path.split("/", -1);
        return s.length == 5 && s[1].equals("ns") && s[3].equals("sa") ? s : null;
    }

    @Override
    public String toString() {
        return SCHEME_PREFIX + trustDomain + path;
    }

    private static void checkTrustDomain(String trustDomain, String whole) {
        if (trustDomain.isEmpty()) {
            throw new IllegalArgumentException("'" + whole + "': the trust domain is missing");
        }
        if (trustDomain.length() > MAX_TRUST_DOMAIN_LENGTH) {
            throw new IllegalArgumentException("'" + whole + "': the trust domain is longer than "
                    + MAX_TRUST_DOMAIN_LENGTH + " characters");
        }
        for (int i = 0; i < trustDomain.length(); i++) {
            char c = trustDomain.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_')) {
                throw new IllegalArgumentException("'" + whole + "': the trust domain may hold only lowercase "
                        + "letters, digits, '.', '-' and '_', not " + describe(c));
            }
        }
    }

    private static void checkPath(String path, String whole) {
        if (path.isEmpty()) {
            return;
        }
        if (path.charAt(0) != '/') {
            throw new IllegalArgumentException("'" + whole + "': the path must start with '/'");
        }
        String[] segments = path.substring(1).split("/", -1);
        for (String segment : segments) {
            if (segment.isEmpty()) {
                throw new IllegalArgumentException("'" + whole + "': the path has an empty segment or ends with '/'");
            }
            if (segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException("'" + whole + "': the path may not contain '.' or '..' segments");
            }
            for (int i = 0; i < segment.length(); i++) {
                char c = segment.charAt(i);
                if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || c == '.' || c == '-' || c == '_')) {
                    throw new IllegalArgumentException("'" + whole + "': path segments may hold only letters, "
                            + "digits, '.', '-' and '_', not " + describe(c));
                }
            }
        }
    }

    private static String describe(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : "'" + c + "'";
    }
}
