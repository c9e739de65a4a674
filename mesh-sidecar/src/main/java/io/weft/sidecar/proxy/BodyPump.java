package io.weft.sidecar.proxy;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * Moves the body parts of one message from a source channel to a sink channel, never faster than the sink takes
 * them: the source (auto-read off, one message per read) is asked for the next part only while the sink is
 * writable, and again when it becomes writable. So a body of any size passes in bounded memory.
 */
final class BodyPump {

    private final Channel source;
    private final Channel sink;
    private final BufferMeter meter;
    private final Runnable onLast;
    private boolean waitingForSink;
    private boolean done;

    BodyPump(Channel source, Channel sink, BufferMeter meter, Runnable onLast) {
        this.source = source;
        this.sink = sink;
        this.meter = meter;
        this.onLast = onLast;
    }

    void start() {
        source.read();
    }

    Channel sink() {
        return sink;
    }

    boolean isDone() {
        return done;
    }

    /** A part read from the source; ownership passes to the sink. */
    void onContent(HttpContent content) {
        if (done) {
            content.release();
            return;
        }
        int size = content.content().readableBytes();
        meter.add(size);
        boolean last = content instanceof LastHttpContent;
        sink.writeAndFlush(content).addListener(f -> meter.remove(size));
        if (last) {
            done = true;
            onLast.run();
        } else if (sink.isWritable()) {
            source.read();
        } else {
            waitingForSink = true;
        }
    }

    void onSinkWritabilityChanged() {
        if (waitingForSink && !done && sink.isWritable()) {
            waitingForSink = false;
            source.read();
        }
    }

    /** Stops asking the source for more (the exchange ended early). */
    void stop() {
        done = true;
    }
}
