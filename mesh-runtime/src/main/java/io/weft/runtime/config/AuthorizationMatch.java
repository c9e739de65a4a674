package io.weft.runtime.config;

import java.util.List;

/**
 * Which inbound requests an authorization rule is about. Every part given must match; a part left out matches
 * anything.
 *
 * @param from    callers' SPIFFE IDs: exact ({@code spiffe://weft.local/ns/default/sa/frontend}), a prefix ending in
 *                {@code *} ({@code spiffe://weft.local/ns/default/*}), or {@code *} for any caller with a mesh
 *                identity. Left out, it matches plaintext callers too.
 * @param paths   request paths: exact, a prefix ending in {@code *} ({@code /api/*}), or {@code *}. gRPC methods are
 *                paths: {@code /orders.Orders/Get}, or {@code /orders.Orders/*} for a whole service.
 * @param methods HTTP methods in capitals ({@code GET}); gRPC calls are {@code POST}
 */
public record AuthorizationMatch(List<String> from, List<String> paths, List<String> methods) {

    public static final AuthorizationMatch ANY = new AuthorizationMatch(null, null, null);

    public AuthorizationMatch {
        from = from == null ? List.of() : List.copyOf(from);
        paths = paths == null ? List.of() : List.copyOf(paths);
        methods = methods == null ? List.of() : List.copyOf(methods);
    }
}
