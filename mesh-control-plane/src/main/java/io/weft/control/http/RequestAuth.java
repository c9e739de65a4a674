package io.weft.control.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.control.auth.AuthenticationException;
import io.weft.control.auth.Authenticator;
import io.weft.control.auth.Caller;

import java.util.Map;

/** Authentication (401) and authorization (403) of API requests: service tokens, and the admin token. */
final class RequestAuth {

    private final Authenticator authenticator;

    RequestAuth(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    Caller authenticate(Exchange exchange) throws ApiException {
        try {
            return authenticator.authenticate(exchange.header(HttpHeaderNames.AUTHORIZATION));
        } catch (AuthenticationException e) {
            throw new ApiException(HttpResponseStatus.UNAUTHORIZED, e.getMessage(),
                    Map.of(HttpHeaderNames.WWW_AUTHENTICATE.toString(), "Bearer"));
        }
    }

    static void authorizeAdmin(Caller caller) throws ApiException {
        if (!caller.isAdmin()) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN,
                    "this call needs the admin token; the token given belongs to service '" + caller + "'");
        }
    }

    static void authorize(Caller caller, String service) throws ApiException {
        if (!caller.mayActFor(service) && caller.isAdmin()) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN,
                    "the admin token is for /v1/config only; '" + service + "' calls with its own token");
        }
        if (!caller.mayActFor(service)) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN,
                    "this token belongs to service '" + caller + "', not to '" + service + "'");
        }
    }
}
