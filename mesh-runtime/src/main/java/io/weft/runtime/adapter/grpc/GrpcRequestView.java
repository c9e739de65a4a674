package io.weft.runtime.adapter.grpc;

import io.grpc.Metadata;
import io.weft.api.OutboundRequest;

import java.util.Locale;

/**
 * A gRPC call as the engine's routes see it: always {@code POST}, the path {@code /package.Service/Method}, and
 * the call's ASCII metadata as headers (binary {@code -bin} entries are not matchable).
 */
final class GrpcRequestView implements OutboundRequest {

    private final String path;
    private final Metadata headers;

    GrpcRequestView(String fullMethodName, Metadata headers) {
        this.path = "/" + fullMethodName;
        this.headers = headers;
    }

    @Override
    public String method() {
        return "POST";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String header(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX) || key.startsWith(":")) {
            return null;
        }
        try {
            return headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        } catch (IllegalArgumentException notAMetadataName) {
            return null;
        }
    }
}
