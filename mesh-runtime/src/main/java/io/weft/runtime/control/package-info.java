/**
 * The runtime's side of the control plane: the wire messages of its HTTP API ({@code /v1}), the long-polling
 * config client with its disk cache, and self-registration.
 *
 * <h2>API</h2>
 * <ul>
 * <li>{@code GET /v1/snapshot?service=<caller>&version=<N>&wait=30s}: a {@link io.weft.runtime.control.SnapshotMessage}.
 * Answers at once unless the caller already has version N; then holds the request until a newer version exists
 * (200) or the wait ends (304). {@code wait} is at most 60 s.</li>
 * <li>{@code POST /v1/instances} with a {@link io.weft.runtime.control.RegistrationRequest}: 201 and a
 * {@link io.weft.runtime.control.RegistrationResponse}.</li>
 * <li>{@code PUT /v1/instances/<id>/heartbeat}: 204, or 404 once the instance has expired (register again).</li>
 * <li>{@code DELETE /v1/instances/<id>}: 204 or 404.</li>
 * <li>{@code GET /v1/instances?service=<name>}: the registered instances.</li>
 * <li>{@code GET /v1/status}: version, last change, last rejected change, instances, waiting clients.</li>
 * </ul>
 * Every call but status carries {@code Authorization: Bearer <token>}; the token names a service: unknown → 401,
 * a token of another service than the one asked for or registered → 403. Errors are
 * {@link io.weft.runtime.control.ErrorMessage}s.
 *
 * <h2>Several replicas</h2>
 * A control plane on etcd runs as several replicas that serve the same versions. Given all their URLs
 * ({@link io.weft.runtime.control.ControlPlaneReplicas}), the poller and the registrar talk to one and move on to
 * the next when it fails, keeping the config version; see {@link io.weft.runtime.control.SnapshotPoller}.
 */
package io.weft.runtime.control;
