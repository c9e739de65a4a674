package io.weft.runtime.control;

/**
 * The answer to {@code POST /v1/certificates}.
 *
 * @param spiffeId         the identity issued, {@code spiffe://<trust-domain>/ns/<namespace>/sa/<service>}
 * @param certificateChain PEM: the leaf certificate, then the intermediate if the CA has one
 * @param trustBundle      PEM: the CA certificates that peers' certificates chain to
 * @param notBefore        ISO-8601
 * @param notAfter         ISO-8601
 */
public record CertificateResponse(String spiffeId, String certificateChain, String trustBundle, String notBefore,
                                  String notAfter) {
}
