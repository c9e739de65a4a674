package io.weft.runtime.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps field paths of each document in a config file to the line they start on, so that errors found after
 * parsing (an unknown subset, an empty split) can still point at a line.
 */
final class LineLocator {

    private final List<Map<String, Integer>> documents;

    private LineLocator(List<Map<String, Integer>> documents) {
        this.documents = documents;
    }

    static LineLocator scan(ObjectMapper mapper, String text) {
        List<Map<String, Integer>> docs = new ArrayList<>();
        try (JsonParser p = mapper.getFactory().createParser(text)) {
            Map<String, Integer> current = null;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonStreamContext ctx = p.getParsingContext();
                if (t.isStructStart() && ctx.getParent() != null && ctx.getParent().inRoot()) {
                    current = new HashMap<>();
                    docs.add(current);
                }
                if (current != null) {
                    current.putIfAbsent(ConfigPaths.fromPointer(ctx.pathAsPointer().toString()),
                            p.currentLocation().getLineNr());
                }
            }
        } catch (IOException | RuntimeException e) {
            // A file that does not parse is reported by the parser itself; lines are a nicety here.
        }
        return new LineLocator(docs);
    }

    /** The line of {@code path} in document {@code doc}, or of its closest known parent, or 0. */
    int lineOf(int doc, String path) {
        if (doc < 0 || doc >= documents.size()) {
            return 0;
        }
        Map<String, Integer> lines = documents.get(doc);
        for (String p = path; ; p = ConfigPaths.parent(p)) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
        }
    }
}
