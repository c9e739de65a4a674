package io.weft.control.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The periodic re-scan, the safety net under file events, sees a change exactly when the fingerprint differs. */
class DirectoryFingerprintTest {

    @TempDir
    Path dir;

    @Test
    void changesWithAConfigFilesSizeTimeOrPresence() throws Exception {
        Path orders = dir.resolve("orders.yaml");
        Files.writeString(orders, "service: orders\n");
        DirectoryFingerprint before = DirectoryFingerprint.of(dir);
        assertThat(DirectoryFingerprint.of(dir)).isEqualTo(before);

        Files.setLastModifiedTime(orders, FileTime.from(Instant.now().plusSeconds(5)));
        DirectoryFingerprint touched = DirectoryFingerprint.of(dir);
        assertThat(touched).isNotEqualTo(before);

        Files.writeString(dir.resolve("frontend.json"), "{}");
        assertThat(DirectoryFingerprint.of(dir)).isNotEqualTo(touched);
    }

    @Test
    void ignoresFilesTheLoaderIgnores() throws Exception {
        Files.writeString(dir.resolve("orders.yaml"), "service: orders\n");
        DirectoryFingerprint before = DirectoryFingerprint.of(dir);

        Files.writeString(dir.resolve(".orders.yaml.swp"), "x");
        Files.writeString(dir.resolve("notes.txt"), "x");

        assertThat(DirectoryFingerprint.of(dir)).isEqualTo(before);
    }
}
