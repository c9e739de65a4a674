package io.weft.runtime.adapter.grpc;

import io.grpc.Status;
import io.weft.runtime.engine.LocalReply;

/**
 * The bridge between gRPC status codes and the HTTP-like statuses the engine's policies read (retry conditions,
 * breakers, outlier detection, metrics): one route model for both. The table follows the usual gRPC/HTTP mapping,
 * so {@code UNAVAILABLE} is 503 (a gateway error, an endpoint failure) and {@code RESOURCE_EXHAUSTED} is 429 (the
 * caller's problem, not the endpoint's).
 */
public final class GrpcStatuses {

    private GrpcStatuses() {
    }

    /** The HTTP-like status the engine records for an answer with this code. */
    public static int toHttp(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> 499;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            case UNKNOWN, INTERNAL, DATA_LOSS -> 500;
        };
    }

    /** The code a gRPC caller gets for an HTTP-like status the mesh answers with itself (local replies, fault aborts). */
    public static Status.Code fromHttp(int status) {
        return switch (status) {
            case 200 -> Status.Code.OK;
            case 400 -> Status.Code.INVALID_ARGUMENT;
            case 401 -> Status.Code.UNAUTHENTICATED;
            case 403 -> Status.Code.PERMISSION_DENIED;
            case 404 -> Status.Code.NOT_FOUND;
            case 409 -> Status.Code.ABORTED;
            case 429 -> Status.Code.RESOURCE_EXHAUSTED;
            case 499 -> Status.Code.CANCELLED;
            case 501 -> Status.Code.UNIMPLEMENTED;
            case 502, 503 -> Status.Code.UNAVAILABLE;
            case 504 -> Status.Code.DEADLINE_EXCEEDED;
            default -> status >= 500 ? Status.Code.INTERNAL : Status.Code.UNKNOWN;
        };
    }

    /** The status a local reply closes a gRPC call with. */
    public static Status of(LocalReply reply) {
        return Status.fromCode(fromHttp(reply.status())).withDescription(reply.message());
    }
}
