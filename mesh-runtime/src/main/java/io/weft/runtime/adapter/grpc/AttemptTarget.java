package io.weft.runtime.adapter.grpc;

import io.grpc.CallOptions;
import io.weft.api.Endpoint;

/**
 * The endpoint the engine chose for one attempt, carried to the balancer's picker in the attempt's
 * {@link CallOptions}. The picker records whether it handed the attempt a connected subchannel: until it has,
 * nothing of the call left this process, so an {@code UNAVAILABLE} is a connect failure and buffered messages may be
 * sent again.
 */
final class AttemptTarget {

    static final CallOptions.Key<AttemptTarget> KEY = CallOptions.Key.create("weft.attempt-target");

    private final Endpoint endpoint;
    private volatile boolean handedOut;
    private volatile boolean lastPickFailed;

    AttemptTarget(Endpoint endpoint) {
        this.endpoint = endpoint;
    }

    Endpoint endpoint() {
        return endpoint;
    }

    String address() {
        return endpoint.address();
    }

    void markHandedOut() {
        handedOut = true;
        lastPickFailed = false;
    }

    /** The picker failed the attempt: its endpoint could not be connected to. */
    void markPickFailed() {
        lastPickFailed = true;
    }

    /** True once the picker gave the attempt a subchannel: its stream may have reached the endpoint. */
    boolean handedOut() {
        return handedOut;
    }

    /**
     * True when the latest pick failed. grpc-java picks again only for a stream the server refused unprocessed
     * (transparent retry, after a GOAWAY say); when that pick fails, no endpoint has processed the call.
     */
    boolean lastPickFailed() {
        return lastPickFailed;
    }

    @Override
    public String toString() {
        return endpoint.address();
    }
}
