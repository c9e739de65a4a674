package io.weft.sidecar.upstream;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.weft.runtime.security.UpstreamTls;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * The Netty view of each destination's mTLS context ({@link UpstreamTls#context()}: this workload's certificate,
 * the destination's SPIFFE ID checked), made once per context and wire protocol: HTTP/2 upstreams need ALPN
 * {@code h2} (gRPC servers refuse TLS without it), HTTP/1.1 ones offer no ALPN and get the server's default.
 */
final class UpstreamSslContexts {

    private static final ApplicationProtocolConfig H2 = new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            // Accepted here and checked after the handshake, with an error that says what went wrong.
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            ApplicationProtocolNames.HTTP_2);

    private record Key(SSLContext context, UpstreamProtocol protocol) {
    }

    private final Map<Key, SslContext> contexts = new ConcurrentHashMap<>();

    SslContext of(UpstreamTls tls, UpstreamProtocol protocol) {
        return contexts.computeIfAbsent(new Key(tls.context(), protocol), k -> new JdkSslContext(k.context(), true,
                null, IdentityCipherSuiteFilter.INSTANCE, k.protocol() == UpstreamProtocol.HTTP_2 ? H2 : null,
                ClientAuth.NONE, null, false));
    }
}
