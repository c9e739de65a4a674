package io.weft.runtime.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.control.CertificateRequest;
import io.weft.runtime.control.CertificateResponse;
import io.weft.runtime.control.ControlPlaneSettings;
import io.weft.runtime.control.ErrorMessage;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * One certificate request to the control plane: a new key pair, a CSR for it, {@code POST /v1/certificates} with
 * the service's token, and checks on the answer before it is trusted: the leaf is for this key and this
 * service, and chains to the trust bundle that came with it. The private key never leaves this process.
 */
public final class CertificateClient {

    private final ControlPlaneSettings settings;
    private final HttpClient http;
    private final Clock clock;

    public CertificateClient(ControlPlaneSettings settings) {
        this(settings, settings.newHttpClient(), Clock.systemUTC());
    }

    CertificateClient(ControlPlaneSettings settings, HttpClient http, Clock clock) {
        this.settings = settings;
        this.http = http;
        this.clock = clock;
    }

    /**
     * Requests a certificate for a new key. Completes exceptionally with a {@link CertificateRequestException}
     * that says why when the control plane is unreachable, refuses, or answers something that does not check out.
     */
    public CompletableFuture<WorkloadMaterial> request() {
        KeyPair keys = WorkloadKeys.newKeyPair();
        String service = settings.service().value();
        byte[] body;
        try {
            body = ConfigMapper.json().writeValueAsBytes(
                    new CertificateRequest(service, WorkloadKeys.certificationRequest(keys, service)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(settings.resolve("/v1/certificates"))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (settings.token() != null) {
            request.header("Authorization", "Bearer " + settings.token());
        }
        return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        throw new CertificateRequestException("control plane " + settings.baseUrl()
                                + " unreachable: " + cause, cause);
                    }
                    return material(response, keys);
                });
    }

    private WorkloadMaterial material(HttpResponse<String> response, KeyPair keys) {
        if (response.statusCode() != 200) {
            throw new CertificateRequestException("certificate request refused: " + response.statusCode() + " "
                    + errorText(response.body()), null);
        }
        CertificateResponse answer;
        List<X509Certificate> chain;
        TrustBundle bundle;
        try {
            answer = ConfigMapper.json().readValue(response.body(), CertificateResponse.class);
            chain = Pem.certificates(answer.certificateChain());
            bundle = TrustBundle.fromPem(answer.trustBundle());
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new CertificateRequestException("unreadable certificate answer: " + e.getMessage(), e);
        }
        if (!chain.get(0).getPublicKey().equals(keys.getPublic())) {
            throw new CertificateRequestException("the control plane certified another key than this one's", null);
        }
        SpiffeId id;
        try {
            // Either role: the same certificate serves inbound and outbound connections.
            id = SvidVerifier.verify(chain, bundle, SvidVerifier.Purpose.CLIENT_AUTH, clock.instant());
            SvidVerifier.verify(chain, bundle, SvidVerifier.Purpose.SERVER_AUTH, clock.instant());
        } catch (CertificateException e) {
            throw new CertificateRequestException("the issued certificate does not check out: " + e.getMessage(), e);
        }
        if (!id.service().map(settings.service().value()::equals).orElse(false)) {
            throw new CertificateRequestException("the issued certificate is for " + id + ", not for service '"
                    + settings.service() + "'", null);
        }
        return new WorkloadMaterial(id, keys.getPrivate(), chain, bundle);
    }

    private static String errorText(String body) {
        try {
            ErrorMessage error = ConfigMapper.json().readValue(body, ErrorMessage.class);
            if (error != null && error.error() != null) {
                return error.error();
            }
        } catch (JsonProcessingException e) {
            // not our JSON: show the start of what came
        }
        String text = body == null ? "" : body.strip();
        return text.length() > 200 ? text.substring(0, 200) + "..." : text;
    }

    /** A certificate request that failed; the message says why. */
    public static final class CertificateRequestException extends RuntimeException {
        public CertificateRequestException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
