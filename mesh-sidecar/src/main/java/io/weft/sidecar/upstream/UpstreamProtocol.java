package io.weft.sidecar.upstream;

/** How the sidecar talks to an upstream: the same protocol the downstream used. */
public enum UpstreamProtocol {
    HTTP_1_1,
    /** HTTP/2: cleartext with prior knowledge (h2c), as gRPC servers expect, or over TLS with ALPN {@code h2}. */
    HTTP_2
}
