package example.app;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * grpc-java, as an app uses it: one channel per step from {@code ManagedChannelBuilder.forTarget(target)}, calls
 * to the {@code test.Echo} service (hand-written descriptors, UTF-8 strings). A step's URL is
 * {@code method/request@target}: {@code say/hi@echo:50051} (unary), {@code stream/3@echo:50051} (server streaming,
 * the body is the messages joined by commas), {@code slow/x@echo:50051} (unary, the server may take its time).
 * A call that fails with a status is a FAIL line naming the status.
 */
final class GrpcKind implements App.Client {

    private static final Metadata.Key<String> APP_CALL = Metadata.Key.of("x-app-call", Metadata.ASCII_STRING_MARSHALLER);

    private static final MethodDescriptor.Marshaller<String> UTF8 = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    @Override
    public String library() {
        String jar = ManagedChannel.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        return jar.substring(jar.lastIndexOf('/') + 1);
    }

    @Override
    public List<App.Result> calls(String label, String url, int count) throws Exception {
        int slash = url.indexOf('/');
        int at = url.lastIndexOf('@');
        String method = url.substring(0, slash);
        String request = url.substring(slash + 1, at);
        String target = url.substring(at + 1);
        ManagedChannel channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
        try {
            List<App.Result> results = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Metadata headers = new Metadata();
                headers.put(APP_CALL, label + "-" + i);
                io.grpc.Channel withHeaders = io.grpc.ClientInterceptors.intercept(channel,
                        MetadataUtils.newAttachHeadersInterceptor(headers));
                CallOptions options = CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS);
                try {
                    String body;
                    if (method.equals("stream")) {
                        List<String> got = new ArrayList<>();
                        Iterator<String> it = ClientCalls.blockingServerStreamingCall(withHeaders,
                                descriptor("Stream", MethodDescriptor.MethodType.SERVER_STREAMING), options, request);
                        it.forEachRemaining(got::add);
                        body = String.join(",", got);
                    } else {
                        body = ClientCalls.blockingUnaryCall(withHeaders,
                                descriptor(method.equals("slow") ? "Slow" : "Say", MethodDescriptor.MethodType.UNARY),
                                options, request);
                    }
                    results.add(App.Result.of(200, body));
                } catch (StatusRuntimeException e) {
                    results.add(App.Result.failed(e));
                }
            }
            return results;
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static MethodDescriptor<String, String> descriptor(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName("test.Echo", name))
                .setRequestMarshaller(UTF8).setResponseMarshaller(UTF8).build();
    }
}
