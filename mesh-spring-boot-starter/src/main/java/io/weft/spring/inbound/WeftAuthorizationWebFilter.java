package io.weft.spring.inbound;

import io.weft.runtime.inbound.InboundAuthorizer;
import io.weft.runtime.inbound.InboundDecision;
import io.weft.runtime.inbound.InboundRequest;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;

/**
 * The WebFlux twin of {@link WeftAuthorizationFilter}: authorizes every request by its service's rules, answers a
 * denied one 403 with {@link InboundDecision#DENIED_BODY}, and puts a mesh peer's SPIFFE ID in the exchange
 * attribute {@link PeerVerifier#PEER_IDENTITY_ATTRIBUTE}. The peer's certificates come from
 * {@link ServerHttpRequest#getSslInfo()}.
 */
public final class WeftAuthorizationWebFilter implements WebFilter, Ordered {

    /** As the servlet filter's: early, before Spring Security's WebFilterChainProxy. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private final InboundAuthorizer authorizer;
    private final PeerVerifier peers;

    public WeftAuthorizationWebFilter(InboundAuthorizer authorizer, PeerVerifier peers) {
        this.authorizer = authorizer;
        this.peers = peers;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        SslInfo ssl = request.getSslInfo();
        InboundRequest inbound = peers.describe(ssl == null ? null : ssl.getPeerCertificates(),
                request.getMethod().name(), path(request));
        if (!authorizer.authorize(inbound).allowed()) {
            ServerHttpResponse response = exchange.getResponse();
            response.setStatusCode(HttpStatusCode.valueOf(InboundDecision.DENIED_STATUS));
            response.getHeaders().setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
            DataBuffer body = response.bufferFactory()
                    .wrap(InboundDecision.DENIED_BODY.getBytes(StandardCharsets.UTF_8));
            return response.writeWith(Mono.just(body));
        }
        if (inbound.peer() != null) {
            exchange.getAttributes().put(PeerVerifier.PEER_IDENTITY_ATTRIBUTE, inbound.peer());
        }
        return chain.filter(exchange);
    }

    /**
     * The path as handlers match it: each segment decoded and without its matrix variables. Else {@code /%61dmin}
     * would pass a rule on {@code /admin} and still reach its handler.
     */
    static String path(ServerHttpRequest request) {
        StringBuilder path = new StringBuilder();
        for (PathContainer.Element element : request.getPath().elements()) {
            path.append(element instanceof PathContainer.PathSegment segment
                    ? segment.valueToMatch() : element.value());
        }
        return path.isEmpty() ? "/" : path.toString();
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
