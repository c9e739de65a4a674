package io.weft.control.admin;

import io.weft.runtime.config.ConfigMapper;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * The admin API's client ({@code /v1/config/<service>} with the admin token). Several control-plane URLs may be
 * given: a replica that cannot be reached, or cannot reach etcd (503), is skipped for the next.
 */
public final class AdminClient {

    private final List<URI> controlPlanes;
    private final String token;
    private final HttpClient http;
    private int current;

    /** @param tls trusts the control plane's CA for https, or null for the JDK's default CAs */
    public AdminClient(List<URI> controlPlanes, String token, SSLContext tls) {
        if (controlPlanes.isEmpty()) {
            throw new IllegalArgumentException("no control plane URL given");
        }
        this.controlPlanes = List.copyOf(controlPlanes);
        this.token = token;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (tls != null) {
            builder.sslContext(tls);
        }
        this.http = builder.build();
    }

    /** The answer of the admin API: its status, revision header and body. */
    public record Answer(int status, long revision, String body) {

        /** The error the body names, or the body itself. */
        public String error() {
            try {
                JsonNode error = ConfigMapper.json().readTree(body).get("error");
                return error != null && error.isTextual() ? error.asText() : body.strip();
            } catch (IOException e) {
                return body.strip();
            }
        }

        public <T> T read(Class<T> type) throws IOException {
            return ConfigMapper.json().readValue(body, type);
        }
    }

    /** {@code GET /v1/config/<service>}; 404 means it has none (revision 0). */
    public Answer get(String service) throws IOException, InterruptedException {
        return send(base -> request(base, service).GET());
    }

    /** {@code PUT /v1/config/<service>} replacing {@code revision} (0: creating). */
    public Answer put(String service, String text, long revision) throws IOException, InterruptedException {
        return send(base -> request(base, service)
                .header("If-Match", "\"" + revision + "\"")
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8)));
    }

    private HttpRequest.Builder request(URI base, String service) {
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root + "v1/config/"
                        + URLEncoder.encode(service, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private interface RequestFor {
        HttpRequest.Builder at(URI base);
    }

    /** Tries the replica that answered last, then the others; an unreachable or etcd-less one is skipped. */
    private Answer send(RequestFor request) throws IOException, InterruptedException {
        IOException unreachable = null;
        Answer unavailable = null;
        for (int tried = 0; tried < controlPlanes.size(); tried++) {
            URI base = controlPlanes.get(current);
            try {
                HttpResponse<String> response = http.send(request.at(base).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                Answer answer = new Answer(response.statusCode(),
                        response.headers().firstValueAsLong("X-Weft-Revision").orElse(0), response.body());
                if (answer.status() != 503) {
                    return answer;
                }
                unavailable = answer;
            } catch (IOException e) {
                unreachable = new IOException(base + ": " + e, e);
            }
            current = (current + 1) % controlPlanes.size();
        }
        if (unavailable != null) {
            return unavailable;
        }
        throw unreachable;
    }
}
