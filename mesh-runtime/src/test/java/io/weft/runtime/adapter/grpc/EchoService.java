package io.weft.runtime.adapter.grpc;

import io.weft.runtime.support.Utf8Marshaller;
import io.grpc.MethodDescriptor;

import java.io.IOException;

/**
 * A gRPC service written by hand (no protoc): {@code test.Echo} with one method of each kind, UTF-8 strings as
 * messages. Real gRPC on the wire.
 */
final class EchoService {

    static final String NAME = "test.Echo";

    static final MethodDescriptor.Marshaller<String> UTF8 = Utf8Marshaller.INSTANCE;

    /** Answers {@code <backend>:<request>}. */
    static final MethodDescriptor<String, String> SAY = method("Say", MethodDescriptor.MethodType.UNARY);
    /** Like Say, but each backend may be told to wait first. */
    static final MethodDescriptor<String, String> SLOW = method("Slow", MethodDescriptor.MethodType.UNARY);
    /** Answers the request's number of messages {@code <backend>:<i>}. */
    static final MethodDescriptor<String, String> STREAM = method("Stream", MethodDescriptor.MethodType.SERVER_STREAMING);
    /** Answers {@code <backend>:} and the requests joined by commas. */
    static final MethodDescriptor<String, String> COLLECT = method("Collect", MethodDescriptor.MethodType.CLIENT_STREAMING);
    /** Answers each request with {@code <backend>:<request>}. */
    static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);

    private EchoService() {
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder()
                .setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(NAME, name))
                .setRequestMarshaller(UTF8)
                .setResponseMarshaller(UTF8)
                .build();
    }
}
