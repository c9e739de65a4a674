package io.weft.sidecar.upstream;

/** How the sidecar talks to an upstream: the same protocol the downstream used. */
public enum UpstreamProtocol {
    HTTP_1_1,
    /** Cleartext HTTP/2 with prior knowledge (h2c), as gRPC servers expect. */
    HTTP_2
}
