package io.weft.runtime.control;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The last good snapshot on disk, so the data plane fails static: a restart while the control plane is down
 * starts from what it last knew. Written atomically (temp file + rename) so a crash never leaves half a file.
 */
final class SnapshotCache {

    private static final Logger log = LoggerFactory.getLogger(SnapshotCache.class);

    private final Path file;

    SnapshotCache(Path dir, String service) {
        this.file = dir.resolve(service + ".snapshot.json");
    }

    Path file() {
        return file;
    }

    Optional<String> read() {
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException e) {
            log.warn("cannot read cached snapshot {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    void write(String json) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            Files.writeString(tmp, json, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // The config still applies; only a restart without a control plane would miss it.
            log.warn("cannot write snapshot cache {}: {}", file, e.toString());
        }
    }
}
