package io.weft.runtime.adapter.grpc;

import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import io.weft.runtime.resilience.Outcome;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One attempt of a meshed call: the real {@link ClientCall} to the chosen endpoint and the listener of its
 * response. Until the engine settles on the attempt, its response events are held back; then they go to the app.
 * The attempt ends, for the engine, at the close, or for a streamed response already at the headers: from then on
 * the app has the stream and no other attempt can follow.
 */
final class GrpcAttempt<ReqT, RespT> extends ClientCall.Listener<RespT> {

    private final AttemptTarget target;
    private final boolean endsAtHeaders;
    private final boolean replayable;
    private final Runnable onReady;
    private final CompletableFuture<GrpcResponse<RespT>> result = new CompletableFuture<>();
    private ClientCall<ReqT, RespT> call;
    /** Events held back until the engine settles on this attempt; null once they go to {@link #relay}. */
    private List<Consumer<ResponseRelay<RespT>>> held = new ArrayList<>();
    private ResponseRelay<RespT> relay;
    private volatile boolean appCancelled;

    GrpcAttempt(AttemptTarget target, boolean endsAtHeaders, boolean replayable, Runnable onReady) {
        this.target = target;
        this.endsAtHeaders = endsAtHeaders;
        this.replayable = replayable;
        this.onReady = onReady;
    }

    void call(ClientCall<ReqT, RespT> call) {
        this.call = call;
    }

    ClientCall<ReqT, RespT> call() {
        return call;
    }

    AttemptTarget target() {
        return target;
    }

    CompletableFuture<GrpcResponse<RespT>> result() {
        return result;
    }

    /** The app cancelled the call: the close that follows is the app's doing, not the endpoint's. */
    void appCancelled() {
        appCancelled = true;
    }

    /** The engine settled on this attempt: the app gets what it held back, and everything after. */
    void deliverTo(ResponseRelay<RespT> relay) {
        synchronized (this) {
            held.forEach(e -> e.accept(relay));
            held = null;
            this.relay = relay;
        }
        relay.flush();
    }

    @Override
    public void onHeaders(Metadata headers) {
        forward(r -> r.headers(headers));
        if (endsAtHeaders) {
            result.complete(GrpcResponse.answered(this, 200));
        }
    }

    @Override
    public void onMessage(RespT message) {
        forward(r -> r.message(message));
    }

    @Override
    public void onReady() {
        onReady.run();
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
        forward(r -> r.close(status, trailers));
        if (result.isDone()) {
            return;
        }
        Outcome failure = failure(status);
        if (failure != null) {
            result.completeExceptionally(new GrpcAttemptException(this, status, failure));
        } else {
            result.complete(GrpcResponse.answered(this, appCancelled && status.getCode() == Status.Code.CANCELLED
                    ? 499 : GrpcStatuses.toHttp(status.getCode())));
        }
    }

    /**
     * The outcome of a close that is not the endpoint's answer, or null when it is. A status with a cause was made
     * on this side (grpc-java never attaches one to a status that came from the server). A call whose stream was
     * refused unprocessed and whose new pick failed never reached an endpoint either; only a replayable one can
     * say so, as a streamed call's messages are no longer kept once its stream has left.
     */
    private Outcome failure(Status status) {
        Status.Code code = status.getCode();
        if (code == Status.Code.UNAVAILABLE && (!target.handedOut() || replayable && target.lastPickFailed())) {
            return Outcome.CONNECT_FAILED;
        }
        if (code == Status.Code.DEADLINE_EXCEEDED) {
            return Outcome.TIMED_OUT;
        }
        if (status.getCause() != null && !(appCancelled && code == Status.Code.CANCELLED)) {
            return Outcome.RESET_AFTER_SEND;
        }
        return null;
    }

    private void forward(Consumer<ResponseRelay<RespT>> event) {
        ResponseRelay<RespT> to;
        synchronized (this) {
            if (held != null) {
                held.add(event);
                return;
            }
            to = relay;
            event.accept(to);
        }
        to.flush();
    }
}
