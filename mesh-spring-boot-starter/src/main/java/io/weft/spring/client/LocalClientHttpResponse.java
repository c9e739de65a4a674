package io.weft.spring.client;

import io.weft.api.MeshResponse;
import io.weft.runtime.engine.LocalReply;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** An answer the mesh gives itself (rate limited, fault abort, no healthy endpoint), marked by its header. */
final class LocalClientHttpResponse implements ClientHttpResponse {

    private final LocalReply reply;
    private final HttpHeaders headers = new HttpHeaders();
    private final byte[] body;

    LocalClientHttpResponse(LocalReply reply) {
        this.reply = reply;
        this.body = (reply.message() + "\n").getBytes(StandardCharsets.UTF_8);
        headers.set(MeshResponse.LOCAL_REPLY_HEADER, reply.reason());
        headers.setContentType(new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8));
        headers.setContentLength(body.length);
    }

    @Override
    public HttpStatusCode getStatusCode() {
        return HttpStatusCode.valueOf(reply.status());
    }

    @Override
    public String getStatusText() {
        return reply.reason();
    }

    @Override
    public HttpHeaders getHeaders() {
        return headers;
    }

    @Override
    public InputStream getBody() {
        return new ByteArrayInputStream(body);
    }

    @Override
    public void close() {
    }
}
