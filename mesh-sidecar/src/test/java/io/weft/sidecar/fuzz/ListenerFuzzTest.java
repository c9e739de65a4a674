package io.weft.sidecar.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of what the sidecar's listeners do with the bytes of a connection: HTTP/1.1 (pipelined
 * requests, bodies, upgrades) and h2c (the connection preface, then frames), on the outbound listener (through the
 * engine) and on the inbound one (authorization, then the app). Every input is one real connection over 127.0.0.1
 * to a running sidecar, judged by {@link Verdict}; each is bounded by its own deadline (no JUnit {@code @Timeout}:
 * while fuzzing, that would bound the whole run).
 *
 * <p>CI runs the regression mode: the committed inputs under {@code src/test/resources/io/weft/sidecar/fuzz/
 * ListenerFuzzTestInputs/} (seeds, and every finding once fixed; both methods replay them all), a few seconds. Fuzzing is local, one
 * method per run, for {@code maxDuration} or {@code -Djazzer.max_duration} (see docs/RELIABILITY.md):
 * <pre>
 * JAZZER_FUZZ=1 mvn -o -pl mesh-sidecar -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='io.weft.sidecar.fuzz.ListenerFuzzTest#outbound'
 * </pre>
 * New findings are written to that inputs directory; the corpus grown while fuzzing to {@code .cifuzz-corpus/}.
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

    @FuzzTest(maxDuration = "10m")
    void outbound(byte[] connection) throws Exception {
        proxy.check(proxy.outboundPort(), connection);
    }

    @FuzzTest(maxDuration = "10m")
    void inbound(byte[] connection) throws Exception {
        proxy.check(proxy.inboundPort(), connection);
    }
}
