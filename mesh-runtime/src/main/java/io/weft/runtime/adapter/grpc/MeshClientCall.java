package io.weft.runtime.adapter.grpc;

import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.weft.api.MeshResponse;
import io.weft.runtime.engine.AsyncTransport;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.Failures;
import io.weft.runtime.engine.LocalReply;
import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.MeshTimeoutException;
import io.weft.runtime.engine.ServicePlan;
import io.weft.runtime.resilience.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/**
 * The app's side of a meshed gRPC call. At {@code start} the engine routes the call (service, method path,
 * metadata); the engine then runs it, and each attempt it makes is a real {@link ClientCall} on the channel with the
 * chosen endpoint in its call options. What the app sends is passed on to the current attempt and, while a later
 * attempt might need it, kept: always for a single request message (unary, server streaming: such calls are
 * replayable), and for client and bidi streams only until an attempt's stream has left this process (so those are
 * retried only when nothing was sent). The app sees one attempt's response: the one the engine settles on.
 * On a channel built plaintext, a call to a service that takes mTLS is answered {@code UNAVAILABLE}
 * ({@code mtls-unavailable}) and never sent.
 */
final class MeshClientCall<ReqT, RespT> extends ClientCall<ReqT, RespT> implements AsyncTransport<GrpcResponse<RespT>> {

    private static final Metadata.Key<String> LOCAL_REPLY =
            Metadata.Key.of(MeshResponse.LOCAL_REPLY_HEADER, Metadata.ASCII_STRING_MARSHALLER);

    private final MeshEngine engine;
    private final String host;
    private final boolean plaintextChannel;
    private final MethodDescriptor<ReqT, RespT> method;
    private final CallOptions options;
    private final Channel next;
    /** The app's context when it made the call: attempts may start on timer or transport threads. */
    private final Context context = Context.current();
    private final boolean replayable;

    // The app's calls so far, guarded by this: attempts start on other threads.
    private ClientCall<ReqT, RespT> unmeshed;
    private ResponseRelay<RespT> relay;
    private Metadata headers;
    private List<ReqT> kept = new ArrayList<>();
    private int sent;
    private int requested;
    private boolean halfClosed;
    private boolean cancelled;
    private Boolean compression;
    private GrpcAttempt<ReqT, RespT> current;

    MeshClientCall(MeshEngine engine, String host, boolean plaintextChannel, MethodDescriptor<ReqT, RespT> method,
                   CallOptions options, Channel next) {
        this.engine = engine;
        this.host = host;
        this.plaintextChannel = plaintextChannel;
        this.method = method;
        this.options = options;
        this.next = next;
        this.replayable = method.getType().clientSendsOneMessage();
    }

    @Override
    public void start(Listener<RespT> listener, Metadata headers) {
        ServicePlan plan = plaintextChannel ? engine.snapshot().service(host) : null;
        LocalReply refused = plaintextRefusal(plan != null && plan.mtls());
        if (refused != null) {
            // Refused before the engine runs the call: no endpoint is charged with the mesh's own refusal.
            synchronized (this) {
                this.relay = new ResponseRelay<>(listener, options.getExecutor());
            }
            settle(localReply(refused), null);
            return;
        }
        MeshCall call = engine.newCall(host, new GrpcRequestView(method.getFullMethodName(), headers));
        if (call == null) {
            // No longer a mesh service (the config changed): the channel's own picker takes the call.
            ClientCall<ReqT, RespT> plain = next.newCall(method, options);
            synchronized (this) {
                unmeshed = plain;
            }
            plain.start(listener, headers);
            return;
        }
        synchronized (this) {
            this.relay = new ResponseRelay<>(listener, options.getExecutor());
            this.headers = headers;
        }
        call.executeAsync(this).whenComplete(this::settle);
    }

    @Override
    public void request(int numMessages) {
        ClientCall<ReqT, RespT> to;
        synchronized (this) {
            requested += numMessages;
            to = unmeshed != null ? unmeshed : current == null ? null : current.call();
        }
        if (to != null) {
            to.request(numMessages);
        }
    }

    @Override
    public void sendMessage(ReqT message) {
        ClientCall<ReqT, RespT> to;
        synchronized (this) {
            if (unmeshed == null) {
                sent++;
                if (kept != null && current != null && !replayable && current.target().handedOut()) {
                    kept = null; // the stream left: no attempt can follow, nothing to keep for one
                }
                if (kept != null) {
                    kept.add(message);
                }
            }
            to = unmeshed != null ? unmeshed : current == null ? null : current.call();
        }
        if (to != null) {
            to.sendMessage(message);
        }
    }

    @Override
    public void halfClose() {
        ClientCall<ReqT, RespT> to;
        synchronized (this) {
            halfClosed = true;
            to = unmeshed != null ? unmeshed : current == null ? null : current.call();
        }
        if (to != null) {
            to.halfClose();
        }
    }

    @Override
    public void cancel(String message, Throwable cause) {
        GrpcAttempt<ReqT, RespT> attempt;
        ClientCall<ReqT, RespT> plain;
        ResponseRelay<RespT> r;
        synchronized (this) {
            cancelled = true;
            attempt = current;
            plain = unmeshed;
            r = relay;
        }
        if (plain != null) {
            plain.cancel(message, cause);
            return;
        }
        if (attempt != null) {
            attempt.appCancelled();
            attempt.call().cancel(message, cause);
        }
        if (r != null) {
            Status status = Status.CANCELLED.withDescription(message != null ? message : "cancelled by the app");
            r.close(cause != null ? status.withCause(cause) : status, new Metadata());
            r.flush();
        }
    }

    @Override
    public boolean isReady() {
        ClientCall<ReqT, RespT> c;
        synchronized (this) {
            c = unmeshed != null ? unmeshed : current == null ? null : current.call();
        }
        return c != null && c.isReady();
    }

    @Override
    public void setMessageCompression(boolean enabled) {
        ClientCall<ReqT, RespT> c;
        synchronized (this) {
            compression = enabled;
            c = unmeshed != null ? unmeshed : current == null ? null : current.call();
        }
        if (c != null) {
            c.setMessageCompression(enabled);
        }
    }

    @Override
    public Attributes getAttributes() {
        ClientCall<ReqT, RespT> c;
        synchronized (this) {
            c = unmeshed != null ? unmeshed : current == null ? null : current.call();
        }
        return c == null ? Attributes.EMPTY : c.getAttributes();
    }

    // ---- the engine's transport: one attempt's I/O ----

    @Override
    public CompletableFuture<GrpcResponse<RespT>> send(Attempt attempt) {
        synchronized (this) {
            if (cancelled) {
                return CompletableFuture.completedFuture(GrpcResponse.local(Status.CANCELLED, new Metadata()));
            }
            LocalReply refused = plaintextRefusal(attempt.tls() != null);
            if (refused != null) {
                // The service turned to mTLS between start and this attempt.
                return CompletableFuture.completedFuture(localReply(refused));
            }
            if (kept == null && sent > 0) {
                // Cannot happen by the engine's rules (such a call is not replayable); never send half a stream.
                return CompletableFuture.failedFuture(new IllegalStateException("weft: stream cannot be sent again"));
            }
            AttemptTarget target = new AttemptTarget(attempt.endpoint());
            GrpcAttempt<ReqT, RespT> a = new GrpcAttempt<>(target, !method.getType().serverSendsOneMessage(), replayable,
                    this::attemptReady);
            current = a;
            Context previous = context.attach();
            try {
                ClientCall<ReqT, RespT> call = next.newCall(method, attemptOptions(target, attempt));
                a.call(call);
                call.start(a, attemptHeaders(attempt));
                if (compression != null) {
                    call.setMessageCompression(compression);
                }
                if (requested > 0) {
                    call.request(requested);
                }
                if (kept != null) {
                    kept.forEach(call::sendMessage);
                }
                if (halfClosed) {
                    call.halfClose();
                }
            } finally {
                context.detach(previous);
            }
            return a.result();
        }
    }

    @Override
    public boolean replayable() {
        return replayable;
    }

    @Override
    public int status(GrpcResponse<RespT> response) {
        return response.httpStatus;
    }

    @Override
    public void discard(GrpcResponse<RespT> response) {
        if (response.attempt != null) {
            // A streamed response the engine will not use (a route retrying on 200, say): stop it.
            response.attempt.call().cancel("weft: retried", null);
        }
    }

    @Override
    public GrpcResponse<RespT> localReply(LocalReply reply) {
        Metadata trailers = new Metadata();
        trailers.put(LOCAL_REPLY, reply.reason());
        return GrpcResponse.local(GrpcStatuses.of(reply), trailers);
    }

    @Override
    public Outcome classify(Throwable failure) {
        return failure instanceof GrpcAttemptException e ? e.outcome() : Failures.classify(failure);
    }

    /** Fails closed: what a call that needs mTLS gets on a plaintext channel; null when it may go. */
    private LocalReply plaintextRefusal(boolean needsMtls) {
        return plaintextChannel && needsMtls ? LocalReply.mtlsUnavailable(host, "this channel was built plaintext "
                + "(before the service took mTLS, or without an identity): build it again with MeshGrpc.channel("
                + "runtime, \"" + host + "\")") : null;
    }

    /** The call options of one attempt: the chosen endpoint, and the earlier of the app's and the mesh's deadlines. */
    private CallOptions attemptOptions(AttemptTarget target, Attempt attempt) {
        // The mesh decides where and whether to try again: a call waits for no endpoint to become ready.
        CallOptions o = options.withOption(AttemptTarget.KEY, target).withoutWaitForReady();
        if (attempt.timeoutNanos() > 0) {
            Deadline mesh = Deadline.after(attempt.timeoutNanos(), TimeUnit.NANOSECONDS);
            Deadline app = options.getDeadline();
            if (app == null || mesh.isBefore(app)) {
                o = o.withDeadline(mesh);
            }
        }
        return o;
    }

    /** The app's metadata plus the attempt's own (trace context). */
    private Metadata attemptHeaders(Attempt attempt) {
        Metadata h = new Metadata();
        h.merge(headers);
        for (Map.Entry<String, String> e : attempt.headers().entrySet()) {
            Metadata.Key<String> key = Metadata.Key.of(e.getKey(), Metadata.ASCII_STRING_MARSHALLER);
            h.discardAll(key);
            h.put(key, e.getValue());
        }
        return h;
    }

    private void attemptReady() {
        ResponseRelay<RespT> r;
        synchronized (this) {
            r = relay;
        }
        r.ready();
        r.flush();
    }

    /** The engine is done: the app gets the attempt it settled on, or the mesh's own answer. */
    private void settle(GrpcResponse<RespT> response, Throwable error) {
        ResponseRelay<RespT> r;
        synchronized (this) {
            r = relay;
        }
        Throwable failure = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (failure instanceof GrpcAttemptException e) {
            @SuppressWarnings("unchecked")
            GrpcAttempt<ReqT, RespT> attempt = (GrpcAttempt<ReqT, RespT>) e.attempt();
            attempt.deliverTo(r);
            return;
        }
        if (failure instanceof MeshTimeoutException timeout) {
            r.close(Status.DEADLINE_EXCEEDED.withDescription(timeout.getMessage()), new Metadata());
        } else if (failure != null) {
            r.close(Status.fromThrowable(failure), new Metadata());
        } else if (response.attempt != null) {
            response.attempt.deliverTo(r);
            return;
        } else {
            r.close(response.localStatus, response.localTrailers);
        }
        r.flush();
    }
}
