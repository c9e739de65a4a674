package io.weft.sidecar.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of what the sidecar's listeners do with the bytes of a connection: HTTP/1.1 (pipelined
 * requests, bodies, upgrades) and h2c (the connection preface, then frames). Every input goes, as one real connection
 * over 127.0.0.1, to both listeners of a running sidecar: the outbound one (through the engine) and the inbound one
 * (authorization, then the app); each is judged by {@link Verdict} and bounded by its own deadline (no JUnit
 * {@code @Timeout}: while fuzzing, that would bound the whole run). One fuzz test for both, because Jazzer fuzzes one
 * per JVM.
 *
 * <p>The build runs it in a JVM of its own (surefire execution {@code listener-fuzz}): it fuzzes for
 * {@code weft.fuzz.seconds} (10 in CI) from libFuzzer seed {@code weft.fuzz.seed} (1: a build explores what the
 * builds before it did, so it fails on a change, not on luck), starting from the committed inputs under
 * {@code src/test/resources/io/weft/sidecar/fuzz/ListenerFuzzTestInputs/} (seeds, and every finding once fixed); the
 * corpus it grows and any crash file go to {@code target/jazzer/}. New findings come from longer sessions with fresh
 * seeds, or replay only:
 * <pre>
 * mvn -o -pl mesh-sidecar -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='io.weft.sidecar.fuzz.ListenerFuzzTest' -Dweft.fuzz.seconds=600 -Dweft.fuzz.seed=0   # or -Dweft.fuzz=false
 * </pre>
 */
class ListenerFuzzTest {

    private static FuzzedProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        proxy = FuzzedProxy.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy == null) {
            return; // did not start
        }
        try {
            proxy.assertStillServes();
        } finally {
            proxy.close();
        }
    }

    @FuzzTest(maxDuration = "10m") // the build bounds it: -max_total_time=${weft.fuzz.seconds}
    void bothListeners(byte[] connection) throws Exception {
        proxy.check(proxy.outboundPort(), connection);
        proxy.check(proxy.inboundPort(), connection);
    }
}
