package io.weft.control.auth;

import io.weft.api.ServiceName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bearer tokens, one per service, and optionally one for the admin. Tokens are compared as SHA-256 digests with
 * {@link MessageDigest#isEqual}, against every known token without stopping at a match, so neither a token's length
 * nor its prefix nor which service it belongs to shows in the response time.
 */
public final class TokenAuthenticator implements Authenticator {

    private static final String BEARER = "bearer ";

    private final Map<String, byte[]> digestByService;
    /** Null when no admin token is configured: then nobody is admin. */
    private final byte[] adminDigest;

    /** @param tokenByService service name to its token; every token must be non-blank and unique */
    public TokenAuthenticator(Map<String, String> tokenByService) {
        this(tokenByService, null);
    }

    /**
     * @param adminToken the token of the admin API ({@code /v1/config}), or null for none; it must differ from
     *                   every service's token, or that service could rewrite the mesh's config
     */
    public TokenAuthenticator(Map<String, String> tokenByService, String adminToken) {
        if (tokenByService.isEmpty()) {
            throw new IllegalArgumentException("no tokens given: name at least one service and its token");
        }
        Map<String, String> serviceByToken = new HashMap<>();
        Map<String, byte[]> digests = new LinkedHashMap<>();
        tokenByService.forEach((service, token) -> {
            if (!ServiceName.isValid(service)) {
                throw new IllegalArgumentException("'" + service + "' is not a valid service name");
            }
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("the token of service '" + service + "' is empty");
            }
            String other = serviceByToken.putIfAbsent(token, service);
            if (other != null) {
                throw new IllegalArgumentException("services '" + other + "' and '" + service
                        + "' have the same token; each service needs its own");
            }
            digests.put(service, digest(token));
        });
        this.digestByService = Map.copyOf(digests);
        if (adminToken != null) {
            if (adminToken.isBlank()) {
                throw new IllegalArgumentException("the admin token is empty");
            }
            String service = serviceByToken.get(adminToken);
            if (service != null) {
                throw new IllegalArgumentException("the admin token is also the token of service '" + service
                        + "'; the admin needs a token of its own");
            }
        }
        this.adminDigest = adminToken == null ? null : digest(adminToken);
    }

    @Override
    public Caller authenticate(String authorization) throws AuthenticationException {
        if (authorization == null || authorization.isBlank()) {
            throw new AuthenticationException("missing Authorization: Bearer <token>");
        }
        if (authorization.length() < BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            throw new AuthenticationException("the Authorization header must be 'Bearer <token>'");
        }
        byte[] presented = digest(authorization.substring(BEARER.length()).trim());
        String match = null;
        for (Map.Entry<String, byte[]> e : digestByService.entrySet()) {
            if (MessageDigest.isEqual(presented, e.getValue())) {
                match = e.getKey();
            }
        }
        // Compared even when a service matched, so that timing does not tell admin from service tokens.
        boolean admin = adminDigest != null && MessageDigest.isEqual(presented, adminDigest);
        if (admin) {
            return Caller.admin();
        }
        if (match == null) {
            throw new AuthenticationException("unknown token");
        }
        return Caller.service(match);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
