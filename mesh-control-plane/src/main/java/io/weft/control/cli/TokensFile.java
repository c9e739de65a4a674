package io.weft.control.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.weft.runtime.config.ConfigMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@code --tokens} file:
 * <pre>
 * services:
 *   orders: 9f2c...
 *   frontend: 41ab...
 * admin: 7d0e...        # optional: the admin API's token (weft apply)
 * </pre>
 */
public final class TokensFile {

    private static final String EXPECTED =
            "expected services: { <service>: <token>, ... } and optionally admin: <token>";

    private TokensFile() {
    }

    /** The file's service-to-token map; checking names and tokens is the authenticator's job. */
    public static Map<String, String> load(Path file) throws IOException {
        return read(file).services();
    }

    /** The service tokens and the admin token; checking them is the authenticator's job. */
    public static Tokens read(Path file) throws IOException {
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
        SecretFiles.warnIfReadableByOthers(file);
        return new Tokens(doc.services(), doc.admin());
    }

    private record Document(Map<String, String> services, String admin) {
    }
}
