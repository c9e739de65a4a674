package io.weft.control.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.weft.runtime.config.ConfigMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --tokens} file:
 * <pre>
 * services:
 *   orders: 9f2c...
 *   frontend: 41ab...
 * </pre>
 */
public final class TokensFile {

    private static final Logger log = LoggerFactory.getLogger(TokensFile.class);
    private static final String EXPECTED = "expected services: { <service>: <token>, ... }";

    private TokensFile() {
    }

    /** The file's service-to-token map; checking names and tokens is the authenticator's job. */
    public static Map<String, String> load(Path file) throws IOException {
        Document doc;
        try {
            doc = ConfigMapper.yaml().readValue(Files.readString(file), Document.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IOException(file + ": unknown key '" + e.getPropertyName() + "'; " + EXPECTED, e);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new IOException(file + (line > 0 ? ":" + line : "") + ": " + e.getOriginalMessage() + "; "
                    + EXPECTED, e);
        }
        if (doc == null || doc.services() == null || doc.services().isEmpty()) {
            throw new IOException(file + ": no tokens; " + EXPECTED);
        }
        warnIfReadableByOthers(file);
        return doc.services();
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                log.warn("{} is readable by every user of this machine; consider chmod 600", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            // Not a POSIX file system: nothing to say.
        }
    }

    private record Document(Map<String, String> services) {
    }
}
