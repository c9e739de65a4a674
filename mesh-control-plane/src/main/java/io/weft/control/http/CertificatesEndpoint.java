package io.weft.control.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.api.ServiceName;
import io.weft.control.auth.Caller;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.ca.InvalidRequestException;
import io.weft.runtime.control.CertificateRequest;
import io.weft.runtime.control.CertificateResponse;
import io.weft.runtime.security.Pem;

import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@code POST /v1/certificates}: a workload's CSR, authenticated by its service's token, answered with a
 * short-lived certificate whose only identity is that service's SPIFFE ID.
 */
final class CertificatesEndpoint implements Endpoint {

    private final RequestAuth auth;
    private final CertificateAuthority ca;

    CertificatesEndpoint(RequestAuth auth, CertificateAuthority ca) {
        this.auth = auth;
        this.ca = ca;
    }

    @Override
    public void handle(Exchange exchange) throws ApiException {
        Caller caller = auth.authenticate(exchange);
        CertificateRequest request = JsonBodies.read(exchange.body(), CertificateRequest.class);
        String service = request.service();
        if (service == null || service.isEmpty()) {
            throw ApiException.badRequest("service: is required");
        }
        if (!ServiceName.isValid(service)) {
            throw ApiException.badRequest("service: '" + service + "' is not a valid service name");
        }
        auth.authorize(caller, service);
        List<X509Certificate> chain;
        try {
            chain = ca.issueWorkload(request.csr(), service);
        } catch (InvalidRequestException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        X509Certificate leaf = chain.get(0);
        exchange.respond(Responses.json(HttpResponseStatus.OK, new CertificateResponse(
                ca.identityOf(service).toString(), Pem.encode(chain), ca.trustBundle().pem(),
                leaf.getNotBefore().toInstant().toString(), leaf.getNotAfter().toInstant().toString())));
    }
}
