/**
 * grpc-java as a client of the engine: the engine decides (route on {@code /package.Service/Method} and metadata,
 * split, endpoint, fault, rate limit, deadline, retries, breakers, ejection, metrics, traces), the adapter does the
 * I/O; and a grpc-java server behind the mesh's mTLS and authorization rules.
 *
 * <ul>
 *   <li>{@link io.weft.runtime.adapter.grpc.MeshClientInterceptor}: each call becomes a
 *       {@link io.weft.runtime.engine.MeshCall}; each attempt is a real {@code ClientCall} carrying the chosen
 *       endpoint in its call options, the attempt's deadline and the trace context as metadata.</li>
 *   <li>{@link io.weft.runtime.adapter.grpc.WeftLoadBalancerProvider} (policy {@code weft}): one subchannel per
 *       endpoint; its picker hands each attempt the subchannel of the engine's choice and never chooses itself.</li>
 *   <li>{@link io.weft.runtime.adapter.grpc.WeftNameResolverProvider} ({@code weft:///orders}): the service's
 *       endpoints from the engine's snapshot, updated with every snapshot.</li>
 *   <li>{@link io.weft.runtime.adapter.grpc.MeshGrpc}: {@code MeshGrpc.channel(runtime, "orders")}. mTLS or
 *       plaintext is decided when the channel is built, from the service's TLS mode: mTLS presents the workload's
 *       certificate and checks the server's SPIFFE ID, never a host name; a call that needs mTLS is never sent in
 *       plaintext (no identity: no channel; a channel built plaintext: {@code UNAVAILABLE},
 *       {@code mtls-unavailable}).</li>
 *   <li>{@link io.weft.runtime.adapter.grpc.MeshGrpcServer}: {@code credentials(identity)} (mTLS, client certificate
 *       required) and {@code authorization(inboundAuthorizer)}: each call authorized as {@code POST
 *       /package.Service/Method} from the peer of its TLS session; refused calls get {@code PERMISSION_DENIED},
 *       plaintext ones to a STRICT service {@code UNAUTHENTICATED}; the caller's SPIFFE ID is
 *       {@code MeshGrpcServer.PEER_IDENTITY.get()} in the service. A port is TLS or plaintext: a PERMISSIVE service
 *       migrating keeps a plaintext port beside its mTLS one.</li>
 * </ul>
 *
 * Status codes map to HTTP-like statuses for the policies ({@link io.weft.runtime.adapter.grpc.GrpcStatuses}:
 * {@code UNAVAILABLE} is 503, {@code RESOURCE_EXHAUSTED} 429, …), and back for the mesh's own answers (a rate
 * limit closes the call with {@code RESOURCE_EXHAUSTED}, a fault abort of 503 with {@code UNAVAILABLE}). An
 * {@code UNAVAILABLE} before the attempt got a connected subchannel is a connect failure (retried by default); a
 * client-side {@code DEADLINE_EXCEEDED} is a timeout. Unary and server-streaming calls are replayable until a response
 * message reached the app; client and bidi streams are retried only while nothing of them left this process. The
 * app's listener runs on the call's executor when it has one (the blocking stubs'), as with grpc-java's own calls.
 */
package io.weft.runtime.adapter.grpc;
