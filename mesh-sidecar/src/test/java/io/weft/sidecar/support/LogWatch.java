package io.weft.sidecar.support;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;

/**
 * Catches WARN and ERROR lines of the proxy and of Netty (an exception that reached the end of a pipeline, a task
 * that threw on an event loop) while it is open, by teeing {@code System.err}, where slf4j-simple writes: the
 * failures a client cannot see. slf4j-simple looks {@code System.err} up for every line, so the tee sees them all.
 */
public final class LogWatch implements AutoCloseable {

    private static final Pattern WATCHED = Pattern.compile("\\] (WARN|ERROR) (io\\.netty|io\\.weft\\.sidecar)\\.");

    private final PrintStream original = System.err;
    private final Queue<String> lines = new ConcurrentLinkedQueue<>();

    private LogWatch() {
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                String text = new String(b, off, len, StandardCharsets.UTF_8);
                if (WATCHED.matcher(text).find()) {
                    lines.add(text.strip());
                }
            }
        }, true, StandardCharsets.UTF_8));
    }

    public static LogWatch start() {
        return new LogWatch();
    }

    /** The watched lines so far; {@link #clear()} forgets them. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    public void clear() {
        lines.clear();
    }

    @Override
    public void close() {
        System.setErr(original);
    }
}
