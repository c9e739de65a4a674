package io.weft.runtime.control;

/**
 * The body of {@code POST /v1/certificates}: a workload asks for a certificate for its public key.
 *
 * @param service the caller's service; its token must belong to it. The certificate's identity is made from
 *                this name alone, whatever the request's subject or extensions ask for.
 * @param csr     a PKCS#10 certification request, PEM ({@code -----BEGIN CERTIFICATE REQUEST-----}), signed with
 *                the workload's private key, which never leaves the workload
 */
public record CertificateRequest(String service, String csr) {
}
