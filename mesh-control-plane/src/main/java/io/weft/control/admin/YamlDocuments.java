package io.weft.control.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a YAML file into its documents at {@code ---} lines, keeping each document's text as written (comments
 * and all), so that what an admin applies is what is stored and shown back.
 */
public final class YamlDocuments {

    /** A document start at the beginning of a line; block scalars are indented, so it cannot be inside one. */
    private static final Pattern SEPARATOR = Pattern.compile("(?m)^---[ \\t]*(#.*)?$\\R?");

    private YamlDocuments() {
    }

    /** Every document's text, blank ones (a leading {@code ---}, comments only) left out by the caller's parse. */
    public static List<String> split(String text) {
        List<String> documents = new ArrayList<>();
        for (String part : SEPARATOR.split(text, -1)) {
            if (!part.isBlank()) {
                documents.add(part);
            }
        }
        return documents;
    }
}
