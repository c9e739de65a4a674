package io.weft.control.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Size and modification time of each config file of a directory: cheap to take, and different whenever a file
 * was added, removed or rewritten. Links are followed, so a Kubernetes ConfigMap's symlink swap shows too.
 */
record DirectoryFingerprint(Map<String, String> files) {

    static DirectoryFingerprint of(Path dir) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(dir)) {
            for (Path file : list.filter(DirectoryFingerprint::isConfigFile).toList()) {
                try {
                    files.put(file.getFileName().toString(),
                            Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis());
                } catch (IOException e) {
                    files.put(file.getFileName().toString(), "unreadable");
                }
            }
        } catch (IOException e) {
            files.put("", "directory unreadable: " + e.getMessage());
        }
        return new DirectoryFingerprint(files);
    }

    /** The same files ConfigLoader reads. */
    private static boolean isConfigFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return !name.startsWith(".") && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"))
                && Files.isRegularFile(p);
    }
}
