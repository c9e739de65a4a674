package io.weft.control.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.weft.api.ServiceName;
import io.weft.control.admin.ConfigConflict;
import io.weft.control.admin.ConfigWritten;
import io.weft.control.config.DocumentCheck;
import io.weft.control.snapshot.PublishedSnapshot;
import io.weft.control.store.ConfigDocument;
import io.weft.control.store.ConfigDocuments;
import io.weft.control.store.RevisionConflictException;
import io.weft.runtime.config.ConfigError;
import io.weft.runtime.config.ConfigException;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code /v1/config/<service>}: the admin API over config documents, one per service, with the admin token. A
 * write names the revision it replaces in {@code If-Match} (0 to create), so that two admins never overwrite
 * each other silently: a stale revision gets 409 and the current one. A document is validated as a config file
 * would be before it is written.
 */
final class ConfigEndpoint {

    static final String REVISION_HEADER = "X-Weft-Revision";

    private final RequestAuth auth;
    private final ConfigDocuments documents;
    private final DocumentCheck check;
    private final Supplier<PublishedSnapshot> published;

    ConfigEndpoint(RequestAuth auth, ConfigDocuments documents, DocumentCheck check,
                   Supplier<PublishedSnapshot> published) {
        this.auth = auth;
        this.documents = documents;
        this.check = check;
        this.published = published;
    }

    /** The answer of every route when config comes from files: there is nothing to write through the API. */
    static Endpoint unavailable() {
        return exchange -> {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "this control plane reads its config from "
                    + "--config-dir; edit the files there (writing config through the API needs --store etcd)");
        };
    }

    /** {@code GET}: the document as written, with its revision as ETag. */
    void get(Exchange exchange) throws ApiException {
        String service = service(exchange);
        ConfigDocument document = documents.get(service).orElseThrow(() -> new ApiException(
                HttpResponseStatus.NOT_FOUND, "no config for '" + service + "'; create it with If-Match: 0",
                revisionHeaders(0)));
        FullHttpResponse response = Responses.json(HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(document.text().getBytes(StandardCharsets.UTF_8)));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/yaml; charset=utf-8");
        revisionHeaders(document.revision()).forEach(response.headers()::set);
        exchange.respond(response);
    }

    /** {@code PUT} with {@code If-Match: <revision>}: validated, then written if still at that revision. */
    void put(Exchange exchange) throws ApiException {
        String service = service(exchange);
        long expected = ifMatch(exchange);
        String text = exchange.body().toString(StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw ApiException.badRequest("request body is required: the YAML or JSON config of '" + service + "'");
        }
        try {
            check.check(service, text);
        } catch (ConfigException e) {
            throw ApiException.badRequest(e.errors().stream().map(ConfigError::toString)
                    .collect(Collectors.joining("; ")));
        }
        try {
            written(exchange, service, documents.put(service, text, expected));
        } catch (RevisionConflictException e) {
            throw conflict(e);
        }
    }

    /** {@code DELETE} with {@code If-Match: <revision>}. */
    void delete(Exchange exchange) throws ApiException {
        String service = service(exchange);
        long expected = ifMatch(exchange);
        OptionalLong revision;
        try {
            revision = documents.delete(service, expected);
        } catch (RevisionConflictException e) {
            throw conflict(e);
        }
        if (revision.isEmpty()) {
            throw new ApiException(HttpResponseStatus.NOT_FOUND, "no config for '" + service + "'");
        }
        written(exchange, service, revision.getAsLong());
    }

    private void written(Exchange exchange, String service, long revision) {
        FullHttpResponse response = Responses.json(HttpResponseStatus.OK,
                new ConfigWritten(service, revision, published.get().version()));
        revisionHeaders(revision).forEach(response.headers()::set);
        exchange.respond(response);
    }

    private String service(Exchange exchange) throws ApiException {
        auth.authorizeAdmin(auth.authenticate(exchange));
        String service = exchange.pathParam("service");
        if (!ServiceName.isValid(service)) {
            throw ApiException.badRequest("service: '" + service + "' is not a valid service name");
        }
        return service;
    }

    private static long ifMatch(Exchange exchange) throws ApiException {
        String value = exchange.header(HttpHeaderNames.IF_MATCH);
        if (value == null || value.isBlank()) {
            throw new ApiException(HttpResponseStatus.PRECONDITION_REQUIRED, "If-Match is required: the revision "
                    + "you are replacing (the ETag of GET /v1/config/<service>), or 0 to create");
        }
        String digits = value.trim();
        if (digits.length() >= 2 && digits.startsWith("\"") && digits.endsWith("\"")) {
            digits = digits.substring(1, digits.length() - 1);
        }
        try {
            long revision = Long.parseLong(digits);
            if (revision >= 0) {
                return revision;
            }
        } catch (NumberFormatException e) {
            // fall through to the error
        }
        throw ApiException.badRequest("If-Match: '" + value + "' is not a revision number");
    }

    private static ApiException conflict(RevisionConflictException e) {
        return new ApiException(HttpResponseStatus.CONFLICT, e.getMessage(), revisionHeaders(e.currentRevision()),
                new ConfigConflict(e.getMessage(), e.currentRevision()));
    }

    private static Map<String, String> revisionHeaders(long revision) {
        return Map.of(HttpHeaderNames.ETAG.toString(), "\"" + revision + "\"", REVISION_HEADER,
                Long.toString(revision));
    }
}
