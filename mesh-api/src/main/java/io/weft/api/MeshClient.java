package io.weft.api;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Calls services of the mesh by name: {@code http://orders/api/items} goes to an endpoint of {@code orders} chosen
 * by the mesh's routes and balancer, with its timeouts, retries, breakers and the rest of its policy.
 * URLs whose host is not a mesh service are called directly.
 *
 * <p>Bodies are buffered in memory, which suits request/response calls. For streaming bodies, use your HTTP
 * client with Weft's adapter for it (for OkHttp, {@code io.weft.runtime.adapter.okhttp.MeshInterceptor}).
 */
public interface MeshClient extends AutoCloseable {

    /**
     * Sends the request and waits for the response. Responses decided by the mesh itself (rate limited, fault
     * injected, no healthy endpoint) come back as responses with a {@code x-weft-local-reply} header.
     *
     * @throws IOException when the last attempt failed without a response (connection refused, timeout, reset)
     */
    MeshResponse execute(MeshRequest request) throws IOException;

    /** As {@link #execute}, without blocking the caller. */
    CompletableFuture<MeshResponse> executeAsync(MeshRequest request);

    /**
     * Says how the mesh would handle this request now: which route matches, which subset and endpoint would be
     * chosen, and why other endpoints would not. Sends nothing.
     */
    Explanation explain(MeshRequest request);

    @Override
    void close();
}
