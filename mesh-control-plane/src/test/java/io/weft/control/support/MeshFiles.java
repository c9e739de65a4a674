package io.weft.control.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** YAML config files for tests. */
public final class MeshFiles {

    public static final String ORDERS = """
            service: orders
            endpoints:
              - address: 10.0.0.1:8080
                labels: { version: v1 }
            """;

    public static final String FRONTEND = """
            service: frontend
            endpoints:
              - address: 10.0.1.1:8080
            """;

    private MeshFiles() {
    }

    /** {@link #ORDERS} with one more endpoint on the given address. */
    public static String ordersWith(String address) {
        return ORDERS + "  - address: " + address + "\n";
    }

    public static void write(Path dir, String name, String yaml) {
        try {
            Files.writeString(dir.resolve(name), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the way many editors and config tools do: a temp file, then a rename over the original. */
    public static void writeViaRename(Path dir, String name, String yaml) {
        try {
            Path tmp = dir.resolve("." + name + ".tmp");
            Files.writeString(tmp, yaml);
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
