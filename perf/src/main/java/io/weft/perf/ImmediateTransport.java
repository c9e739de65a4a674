package io.weft.perf;

import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.LocalReply;
import io.weft.runtime.engine.Transport;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A transport with no I/O: every attempt gets status 200 at once. It hands each attempt to a JMH {@link Blackhole},
 * as a real client hands it to code the JIT does not inline, so the engine's per-attempt allocation is not optimised
 * away by escape analysis and is counted in the allocation figures.
 */
final class ImmediateTransport implements Transport<Integer> {

    private static final Integer OK = 200;

    private final Blackhole sink;
    private int localReplies;

    ImmediateTransport(Blackhole sink) {
        this.sink = sink;
    }

    @Override
    public Integer send(Attempt attempt) {
        sink.consume(attempt);
        return OK;
    }

    @Override
    public int status(Integer response) {
        return response;
    }

    @Override
    public void discard(Integer response) {
    }

    @Override
    public Integer localReply(LocalReply reply) {
        // Never expected in these benchmarks: the endpoints are all available and no route limits or aborts.
        localReplies++;
        return reply.status();
    }

    int localReplies() {
        return localReplies;
    }
}
