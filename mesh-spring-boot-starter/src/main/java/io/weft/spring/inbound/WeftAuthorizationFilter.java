package io.weft.spring.inbound;

import io.weft.runtime.inbound.InboundAuthorizer;
import io.weft.runtime.inbound.InboundDecision;
import io.weft.runtime.inbound.InboundRequest;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/**
 * Authorizes every request to the app's servlet server by its service's rules (TLS mode and {@code authorization}),
 * as the sidecar's inbound listener does: a denied request gets 403 with {@link InboundDecision#DENIED_BODY} and
 * never reaches the app; an allowed one from a mesh peer carries the peer's SPIFFE ID in the request attribute
 * {@link PeerVerifier#PEER_IDENTITY_ATTRIBUTE}.
 */
public final class WeftAuthorizationFilter extends OncePerRequestFilter implements Ordered {

    /** After the character-encoding and observation filters (so denials are observed), before Spring Security. */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

    private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

    private final InboundAuthorizer authorizer;
    private final PeerVerifier peers;

    public WeftAuthorizationFilter(InboundAuthorizer authorizer, PeerVerifier peers) {
        this.authorizer = authorizer;
        this.peers = peers;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        X509Certificate[] certificates = (X509Certificate[]) request.getAttribute(CERTIFICATES);
        InboundRequest inbound = peers.describe(certificates, request.getMethod(), path(request));
        if (!authorizer.authorize(inbound).allowed()) {
            response.setStatus(InboundDecision.DENIED_STATUS);
            response.setContentType("text/plain;charset=UTF-8");
            response.getOutputStream().write(InboundDecision.DENIED_BODY.getBytes(StandardCharsets.UTF_8));
            return;
        }
        if (inbound.peer() != null) {
            request.setAttribute(PeerVerifier.PEER_IDENTITY_ATTRIBUTE, inbound.peer());
        }
        chain.doFilter(request, response);
    }

    /**
     * The path handlers are chosen by: decoded and normalized by the server (servlet path and path info after the
     * deployed context path), never the raw request line. Else {@code /api/../admin} or {@code /%61dmin} would pass
     * a rule on {@code /admin} and still reach its handler.
     */
    static String path(HttpServletRequest request) {
        String info = request.getPathInfo();
        String path = request.getServletContext().getContextPath() + request.getServletPath()
                + (info == null ? "" : info);
        return path.isEmpty() ? "/" : path;
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
