package io.weft.sidecar.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The test's non-JVM app: {@code src/test/resources/app.py}, a python3 http.server on a free loopback port. */
public final class PythonApp implements AutoCloseable {

    private final Process process;
    private final int port;

    private PythonApp(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static PythonApp start(Path dir, String name) throws IOException {
        Path script = dir.resolve("app.py");
        try (InputStream in = PythonApp.class.getResourceAsStream("/app.py")) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Process p = new ProcessBuilder("python3", script.toString(), "0", name)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine(); // "PORT <n>" once it listens
        if (line == null || !line.startsWith("PORT ")) {
            p.destroyForcibly();
            throw new IOException("python app did not start: " + line);
        }
        return new PythonApp(p, Integer.parseInt(line.substring(5).trim()));
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
