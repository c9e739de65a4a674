package io.weft.spring.client;

import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.LocalReply;
import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.Transport;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpRequestInterceptor;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.support.HttpRequestWrapper;

import java.io.IOException;
import java.net.URI;

/**
 * Puts a {@code RestClient} or {@code RestTemplate} in the mesh. Requests to {@code http://<service>/…} run through
 * the engine; each attempt goes down the rest of the chain with the URL pointed at the endpoint the engine chose.
 * That is sound since Spring Framework 7: every {@code execution.execute(...)} builds a new request from the client's
 * own request factory for the URI it is given, so a retry reaches another endpoint through the same factory (and
 * through the interceptors after this one, once per attempt). The body is already a byte array, so it can be sent
 * again. Other hosts pass through untouched.
 *
 * <p>Per-try timeouts: Spring's request factories have no per-request timeout, so an attempt is bounded by the
 * factory's own connect and read timeouts; the route's overall timeout still stops further attempts.
 *
 * <p>mTLS: an attempt to a service that takes mTLS ({@code attempt.tls() != null}) cannot go down the chain, as the
 * app's request factory cannot present this workload's certificate. It goes through a JDK client made for the
 * destination ({@link MeshMtlsClients}) instead: interceptors added after this one do not run for it, and it honours
 * the per-try timeout.
 */
public final class MeshClientHttpRequestInterceptor implements ClientHttpRequestInterceptor {

    private final MeshEngine engine;
    private final MtlsRequests mtls;

    /** mTLS attempts go through {@link MeshMtlsClients#defaults()}. */
    public MeshClientHttpRequestInterceptor(MeshEngine engine) {
        this(engine, MeshMtlsClients.defaults());
    }

    public MeshClientHttpRequestInterceptor(MeshEngine engine, MeshMtlsClients mtlsClients) {
        this.engine = engine;
        this.mtls = new MtlsRequests(mtlsClients);
    }

    @Override
    public ClientHttpResponse intercept(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        MeshCall call = engine.newCall(request.getURI().getHost(), new HttpRequestView(request));
        if (call == null) {
            return execution.execute(request, body);
        }
        return call.execute(new ExecutionTransport(request, body, execution, mtls));
    }

    /**
     * One attempt: the request, pointed at the endpoint and with the attempt's headers, down the chain (or through
     * the destination's mTLS client).
     */
    private record ExecutionTransport(HttpRequest request, byte[] body, ClientHttpRequestExecution execution,
                                      MtlsRequests mtls) implements Transport<ClientHttpResponse> {

        @Override
        public ClientHttpResponse send(Attempt attempt) throws IOException {
            URI target = attempt.target(request.getURI());
            HttpHeaders headers = request.getHeaders();
            if (!attempt.headers().isEmpty()) {
                // A copy: the app's request keeps its own headers, and the next attempt gets fresh trace headers.
                headers = HttpHeaders.copyOf(headers);
                attempt.headers().forEach(headers::set);
            }
            HttpHeaders attemptHeaders = headers;
            HttpRequest routed = new HttpRequestWrapper(request) {
                @Override
                public URI getURI() {
                    return target;
                }

                @Override
                public HttpHeaders getHeaders() {
                    return attemptHeaders;
                }
            };
            return attempt.tls() == null ? execution.execute(routed, body) : mtls.send(routed, body, attempt);
        }

        @Override
        public int status(ClientHttpResponse response) {
            try {
                return response.getStatusCode().value();
            } catch (IOException e) {
                return 0;
            }
        }

        @Override
        public void discard(ClientHttpResponse response) {
            response.close();
        }

        @Override
        public ClientHttpResponse localReply(LocalReply reply) {
            return new LocalClientHttpResponse(reply);
        }
    }
}
