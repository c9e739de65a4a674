package io.weft.runtime.reliability;

import java.nio.charset.StandardCharsets;

/**
 * The ways a client can abuse a sidecar's listener, each with what the sidecar must do about it: answer with a
 * status and close, or (where no HTTP answer is possible) just close. A trickling kind writes its {@code start}, then
 * {@code bytesPerTick} of {@code trickle} per tick (round and round, or once and then silence) while the connection
 * is open.
 */
enum SidecarHostileKind {

    MALFORMED("GET / HTTP/1.1\r\nHost orders\r\n\r\n", "", 0, false, 400),
    OVERSIZED_HEADERS("GET / HTTP/1.1\r\nHost: orders\r\nX-Big: " + "a".repeat(SidecarHostileKind.MAX_HEADER_SIZE)
            + "\r\n\r\n", "", 0, false, 431),
    OVERSIZED_REQUEST_LINE("GET /" + "a".repeat(SidecarHostileKind.MAX_REQUEST_LINE) + " HTTP/1.1\r\nHost: orders\r\n\r\n",
            "", 0, false, 414),
    /** Headers that never end, a byte at a time (slowloris). */
    SLOW_HEADERS("GET / HTTP/1.1\r\nHost: orders\r\n", "X-Slow: more\r\n", 1, true, 408),
    /**
     * All but the last byte of the HTTP/2 connection preface, a byte at a time, then silence: no protocol is known
     * yet, so no answer is possible, only a close.
     */
    SLOW_PREFACE("", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r", 1, false, SidecarHostileKind.NO_ANSWER),
    /** h2c that opens no stream and keeps the connection busy with a PING a tick: idle all the same. */
    H2_PINGS_ONLY(H2.PREFACE + H2.SETTINGS, H2.PING, H2.PING.length(), true, SidecarHostileKind.HTTP2_FRAMES);

    /** Closed without a byte. */
    static final int NO_ANSWER = 0;
    /** Answered in HTTP/2 frames (SETTINGS, GOAWAY), not an HTTP/1.1 status. */
    static final int HTTP2_FRAMES = -1;
    static final int MAX_HEADER_SIZE = 8192;
    static final int MAX_REQUEST_LINE = 4096;

    final byte[] start;
    final byte[] trickle;
    final int bytesPerTick;
    /** Start the trickle over when it is out; otherwise fall silent. */
    final boolean repeat;
    /** The HTTP/1.1 status the client must get before the close, or {@link #NO_ANSWER} or {@link #HTTP2_FRAMES}. */
    final int status;

    SidecarHostileKind(String start, String trickle, int bytesPerTick, boolean repeat, int status) {
        this.start = start.getBytes(StandardCharsets.ISO_8859_1);
        this.trickle = trickle.getBytes(StandardCharsets.ISO_8859_1);
        this.bytesPerTick = bytesPerTick;
        this.repeat = repeat;
        this.status = status;
    }

    /**
     * Whether {@code got} is a right answer: the kind's own, or 408 for any HTTP/1.1 kind, since on a loaded machine
     * the header timeout may expire before the whole of a large head has been read.
     */
    boolean accepts(int got) {
        return got == status || status >= 400 && got == 408;
    }

    /** h2c frames written by hand: the preface, an empty SETTINGS and a PING. */
    private static final class H2 {
        static final String PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        static final String SETTINGS = "\0\0\0\4\0\0\0\0\0";
        static final String PING = "\0\0\10\6\0\0\0\0\0" + "pingpong";
    }
}
