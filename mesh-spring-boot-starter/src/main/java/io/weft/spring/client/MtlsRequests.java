package io.weft.spring.client;

import io.weft.runtime.engine.Attempt;
import org.springframework.http.HttpRequest;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;

import java.io.IOException;
import java.time.Duration;

/**
 * Sends one RestClient or RestTemplate attempt over mTLS: through the destination's JDK client twin
 * ({@link MeshMtlsClients}) instead of the rest of the interceptor chain, whose request factory cannot present this
 * workload's certificate. So interceptors added after the mesh's do not run for mTLS attempts. A per-try timeout
 * applies here (Spring's JDK factory takes one per request), else the app's read timeout.
 */
final class MtlsRequests {

    private final MeshMtlsClients clients;

    MtlsRequests(MeshMtlsClients clients) {
        this.clients = clients;
    }

    /** {@code routed} is the request as the attempt sends it: URL pointed at the endpoint, attempt headers set. */
    ClientHttpResponse send(HttpRequest routed, byte[] body, Attempt attempt) throws IOException {
        // A factory is two fields; one per attempt carries that attempt's timeout without shared mutable state.
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(clients.client(attempt.tls()),
                clients.bodyWriters());
        Duration timeout = attempt.timeoutMillis() > 0
                ? Duration.ofMillis(attempt.timeoutMillis()) : clients.readTimeout();
        if (timeout != null) {
            factory.setReadTimeout(timeout);
        }
        ClientHttpRequest request = factory.createRequest(routed.getURI(), routed.getMethod());
        request.getHeaders().putAll(routed.getHeaders());
        if (body.length > 0) {
            if (request instanceof StreamingHttpOutputMessage streaming) {
                streaming.setBody(body);
            } else {
                request.getBody().write(body);
            }
        }
        return request.execute();
    }
}
