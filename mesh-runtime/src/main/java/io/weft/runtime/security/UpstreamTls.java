package io.weft.runtime.security;

import io.weft.api.ServiceName;

import javax.net.ssl.SSLContext;

/**
 * How to reach one destination service over mTLS: present this workload's certificate and accept only a server
 * that proves {@code peer}. Made once per destination by {@link MeshTls#upstream}; every adapter takes what its
 * client wants from here (OkHttp the socket factory and trust manager, the JDK client the context, Netty and
 * gRPC the managers), so all of them check the same thing.
 *
 * @param peer         the SPIFFE ID the destination's servers must have
 * @param context      a client context presenting this workload's current certificate and verifying {@code peer}
 * @param trustManager the context's trust manager
 * @param keyManager   the context's key manager
 */
public record UpstreamTls(ServiceName service, SpiffeId peer, SSLContext context, SpiffeTrustManager trustManager,
                          RotatingKeyManager keyManager) {
}
