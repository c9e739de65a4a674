package io.weft.runtime.adapter.grpc;

import io.grpc.Metadata;
import io.grpc.Status;

/**
 * What an attempt (or the mesh itself) answered, as the engine's transport returns it: the attempt whose events the
 * app gets if the engine settles on it, or a local status; and the HTTP-like status the policies read.
 */
final class GrpcResponse<RespT> {

    final GrpcAttempt<?, RespT> attempt;
    final int httpStatus;
    final Status localStatus;
    final Metadata localTrailers;

    private GrpcResponse(GrpcAttempt<?, RespT> attempt, int httpStatus, Status localStatus, Metadata localTrailers) {
        this.attempt = attempt;
        this.httpStatus = httpStatus;
        this.localStatus = localStatus;
        this.localTrailers = localTrailers;
    }

    /** An attempt the endpoint answered: closed, or (a streamed response) with its headers in and more to come. */
    static <RespT> GrpcResponse<RespT> answered(GrpcAttempt<?, RespT> attempt, int httpStatus) {
        return new GrpcResponse<>(attempt, httpStatus, null, null);
    }

    static <RespT> GrpcResponse<RespT> local(Status status, Metadata trailers) {
        return new GrpcResponse<>(null, GrpcStatuses.toHttp(status.getCode()), status, trailers);
    }
}
