/**
 * The inbound side of a workload: whether a caller may come in (the service's TLS mode) and what it may do
 * there (the service's {@code authorization} rules). Written once; the sidecar's inbound listener, the gRPC
 * server interceptor and the Spring Boot filter only describe the request as an
 * {@link io.weft.runtime.inbound.InboundRequest} and act on the {@link io.weft.runtime.inbound.InboundDecision}.
 */
package io.weft.runtime.inbound;
