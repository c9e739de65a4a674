package io.weft.sidecar.cli;

import io.weft.sidecar.Sidecar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Wrapper mode: the app starts only once the sidecar is ready (no "app before sidecar" race), and when the app
 * exits the sidecar drains and stops, so a job ends with its app's exit code instead of running forever.
 */
public final class AppRunner {

    private static final Logger log = LoggerFactory.getLogger(AppRunner.class);

    private final Sidecar sidecar;
    private final List<String> command;
    private final boolean httpProxyEnv;
    private volatile Process app;

    public AppRunner(Sidecar sidecar, List<String> command, boolean httpProxyEnv) {
        this.sidecar = sidecar;
        this.command = List.copyOf(command);
        this.httpProxyEnv = httpProxyEnv;
    }

    /** The environment the app gets on top of the sidecar's own. */
    public static Map<String, String> appEnvironment(Sidecar sidecar, boolean httpProxyEnv) {
        String proxy = "http://127.0.0.1:" + sidecar.outboundAddress().getPort();
        Map<String, String> env = new java.util.LinkedHashMap<>();
        env.put("WEFT_OUTBOUND_PROXY", proxy);
        if (sidecar.settings().service() != null) {
            env.put("WEFT_SERVICE", sidecar.settings().service());
        }
        if (httpProxyEnv) {
            env.put("HTTP_PROXY", proxy);
            env.put("http_proxy", proxy);
        }
        return env;
    }

    /**
     * Waits for readiness, runs the app with inherited I/O, then drains the sidecar.
     *
     * @return the app's exit code; 1 if the sidecar never became ready or the app could not start
     */
    public int run() throws InterruptedException {
        Duration readyTimeout = sidecar.settings().readyTimeout();
        if (!sidecar.awaitReady(readyTimeout)) {
            System.err.println("weft-sidecar: no mesh config after " + readyTimeout
                    + " (is the control plane reachable?); not starting the app");
            return 1;
        }
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().putAll(appEnvironment(sidecar, httpProxyEnv));
        try {
            app = pb.start();
        } catch (IOException e) {
            System.err.println("weft-sidecar: cannot start " + command.get(0) + ": " + e.getMessage());
            return 1;
        }
        log.info("app started (pid {}): {}", app.pid(), String.join(" ", command));
        int code = app.waitFor();
        log.info("app exited with {}; draining the sidecar", code);
        return code;
    }

    /** On SIGTERM: pass it to the app and give it the drain timeout to exit, then kill it. */
    public void stopApp(Duration timeout) throws InterruptedException {
        Process p = app;
        if (p == null || !p.isAlive()) {
            return;
        }
        p.destroy();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("app did not exit within {} of SIGTERM; killing it", timeout);
            p.destroyForcibly();
        }
    }
}
