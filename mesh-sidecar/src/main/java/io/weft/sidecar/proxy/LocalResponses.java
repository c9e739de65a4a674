package io.weft.sidecar.proxy;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.weft.api.MeshResponse;
import io.weft.runtime.engine.MeshTimeoutException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The answers the sidecar writes itself: text with an {@code x-weft-local-reply} header for HTTP clients, and
 * a trailers-only gRPC status for gRPC clients (which cannot read a text body).
 */
final class LocalResponses {

    private LocalResponses() {
    }

    static ProxyResponse.Local forFailure(Throwable failure) {
        if (failure instanceof MeshTimeoutException || failure instanceof SocketTimeoutException) {
            return new ProxyResponse.Local(504, "upstream-timeout", "weft sidecar: " + failure.getMessage());
        }
        if (failure instanceof ConnectException) {
            return new ProxyResponse.Local(503, "upstream-connect-failure",
                    "weft sidecar: cannot connect upstream: " + failure.getMessage());
        }
        if (failure instanceof IOException) {
            return new ProxyResponse.Local(502, "upstream-reset",
                    "weft sidecar: upstream connection failed: " + failure.getMessage());
        }
        return new ProxyResponse.Local(500, "internal-error", "weft sidecar: " + failure);
    }

    static FullHttpResponse toHttp(ProxyResponse.Local reply, boolean grpc, boolean keepAlive, ByteBufAllocator alloc) {
        FullHttpResponse r;
        String text = reply.message().stripTrailing(); // one line end, whether the message has one or not
        if (grpc) {
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, alloc.buffer(0));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
            r.headers().set("grpc-status", Integer.toString(grpcStatus(reply.status())));
            r.headers().set("grpc-message", percentEncode(text));
        } else {
            byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
            r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(reply.status()),
                    alloc.buffer(body.length).writeBytes(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        }
        r.headers().set(MeshResponse.LOCAL_REPLY_HEADER, reply.reason());
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    /** The gRPC code a gRPC client would derive from the HTTP status, with timeouts and rate limits made exact. */
    static int grpcStatus(int httpStatus) {
        return switch (httpStatus) {
            case 400 -> 13;           // INTERNAL
            case 401 -> 16;           // UNAUTHENTICATED
            case 403 -> 7;            // PERMISSION_DENIED
            case 404 -> 12;           // UNIMPLEMENTED
            case 429 -> 8;            // RESOURCE_EXHAUSTED: the mesh's rate limit
            case 504 -> 4;            // DEADLINE_EXCEEDED: the route's timeout
            case 502, 503 -> 14;      // UNAVAILABLE
            default -> 2;             // UNKNOWN
        };
    }

    /** grpc-message is percent-encoded UTF-8 (gRPC over HTTP/2 spec). */
    static String percentEncode(String s) {
        StringBuilder sb = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 0x20 && c <= 0x7e && c != '%') {
                sb.append((char) c);
            } else {
                sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }
}
