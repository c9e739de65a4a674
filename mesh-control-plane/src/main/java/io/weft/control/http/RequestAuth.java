package io.weft.control.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.control.auth.AuthenticationException;
import io.weft.control.auth.Authenticator;
import io.weft.control.auth.Caller;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;

/**
 * Authentication (401) and authorization (403) of the requests of one API: service tokens, and the admin token.
 * Every refusal is counted and logged in {@link RefusedCalls}.
 */
final class RequestAuth {

    private final Authenticator authenticator;
    private final RefusedCalls refused;
    private final RefusedCalls.Api api;

    RequestAuth(Authenticator authenticator, RefusedCalls refused, RefusedCalls.Api api) {
        this.authenticator = authenticator;
        this.refused = refused;
        this.api = api;
    }

    Caller authenticate(Exchange exchange) throws ApiException {
        try {
            return authenticator.authenticate(exchange.header(HttpHeaderNames.AUTHORIZATION));
        } catch (AuthenticationException e) {
            refused.refused(api, RefusedCalls.Reason.UNAUTHENTICATED, address(exchange), e.getMessage());
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, e.getMessage(),
                    Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer"));
        }
    }

    void authorizeAdmin(Caller caller) throws ApiException {
        if (!caller.isAdmin()) {
            throw forbidden(caller, "this call needs the admin token; the token given belongs to service '"
                    + caller + "'");
        }
    }

    void authorize(Caller caller, String service) throws ApiException {
        if (!caller.mayActFor(service) && caller.isAdmin()) {
            throw forbidden(caller, "the admin token is for /v1/config only; '" + service
                    + "' calls with its own token");
        }
        if (!caller.mayActFor(service)) {
            throw forbidden(caller, "this token belongs to service '" + caller + "', not to '" + service + "'");
        }
    }

    private ApiException forbidden(Caller caller, String why) {
        String who = caller.isAdmin() ? "the admin" : "service '" + caller + "'";
        refused.refused(api, RefusedCalls.Reason.FORBIDDEN, who, why);
        return new ApiException(HttpResponseStatus.FORBIDDEN, why);
    }

    /** The client's IP address: a 401 has no token that says who it is, and its port changes with each connection. */
    private static String address(Exchange exchange) {
        SocketAddress remote = exchange.ctx().channel().remoteAddress();
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }
}
