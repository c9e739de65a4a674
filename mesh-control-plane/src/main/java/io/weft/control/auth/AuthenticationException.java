package io.weft.control.auth;

/** The request carries no token, or one that no service has: 401. */
public final class AuthenticationException extends Exception {

    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
