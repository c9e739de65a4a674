package io.weft.control.auth;

/** Turns a request's {@code Authorization} header into the {@link Caller} it proves. */
public interface Authenticator {

    /** @param authorization the header's value, or null when absent */
    Caller authenticate(String authorization) throws AuthenticationException;

    /** For local development only: everyone may do everything. */
    static Authenticator none() {
        return authorization -> Caller.anyone();
    }
}
