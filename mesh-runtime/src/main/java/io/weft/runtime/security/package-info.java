/**
 * Workload identity and mTLS for the mesh.
 *
 * <ul>
 * <li>{@link io.weft.runtime.security.SpiffeId}: {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}.</li>
 * <li>{@link io.weft.runtime.security.WorkloadCertificates}: a key made in this process, a certificate for it
 * from the control plane's CA ({@code POST /v1/certificates} with the service's token), renewed at about half
 * its life; status for metrics, listeners for rotation.</li>
 * <li>{@link io.weft.runtime.security.MeshTls}: client contexts (one per destination service, which fixes the
 * identity the server must have) and a server context (client certificates required), all presenting the
 * current certificate through {@link io.weft.runtime.security.RotatingKeyManager} and verifying peers with
 * {@link io.weft.runtime.security.SpiffeTrustManager}.</li>
 * <li>{@link io.weft.runtime.security.PeerIdentity}: the SPIFFE ID of a connection's peer, for authorization.</li>
 * </ul>
 * Bouncy Castle builds and reads PKCS#10 and PEM only; it is never registered as a JCE provider.
 */
package io.weft.runtime.security;
