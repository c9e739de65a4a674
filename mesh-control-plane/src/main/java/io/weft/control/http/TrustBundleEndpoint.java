package io.weft.control.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.weft.runtime.security.TrustBundle;

import java.nio.charset.StandardCharsets;

/**
 * {@code GET /v1/trust-bundle}: the CA certificates as PEM, for {@code curl > ca.pem}. Open to all, like the CA
 * certificates of any PKI: they hold no secret.
 */
final class TrustBundleEndpoint implements Endpoint {

    private final byte[] pem;

    TrustBundleEndpoint(TrustBundle bundle) {
        this.pem = bundle.pem().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void handle(Exchange exchange) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(pem));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/x-pem-file");
        exchange.respond(response);
    }
}
