package io.weft.api;

/**
 * What the mesh may look at of an outbound request to decide where it goes.
 * Adapters implement it as a view over their client's own request object, so nothing is copied per call.
 */
public interface OutboundRequest {

    /** The HTTP method in upper case, such as {@code GET}; for gRPC always {@code POST}. */
    String method();

    /** The path without the query string, starting with {@code /}; for gRPC {@code /package.Service/Method}. */
    String path();

    /** The first value of the named header (case-insensitive), or null when absent. */
    String header(String name);
}
