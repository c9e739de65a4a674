package io.weft.control.http;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Marks a connection whose request is answered later (a held long poll, a write running on a store thread), so
 * that a request pipelined behind it is refused instead of being answered first.
 */
final class HeldRequests {

    private static final AttributeKey<Boolean> HELD = AttributeKey.valueOf("weft.answerOwed");

    private HeldRequests() {
    }

    static void hold(Channel channel) {
        channel.attr(HELD).set(Boolean.TRUE);
    }

    static void release(Channel channel) {
        channel.attr(HELD).set(null);
    }

    /** True while an answer is still owed on this connection. */
    static boolean isHeld(Channel channel) {
        return Boolean.TRUE.equals(channel.attr(HELD).get());
    }
}
