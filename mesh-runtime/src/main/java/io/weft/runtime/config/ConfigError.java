package io.weft.runtime.config;

/**
 * One thing wrong with a config: where (source file, line when known, field path) and what.
 *
 * @param source the file or resource the service came from
 * @param line   1-based line in the source, or 0 when unknown
 * @param path   the field, as {@code routes[0].to[1].subset}; empty for the whole document
 */
public record ConfigError(String source, int line, String path, String message) {

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(source == null ? "<config>" : source);
        if (line > 0) {
            sb.append(':').append(line);
        }
        sb.append(": ");
        if (path != null && !path.isEmpty()) {
            sb.append(path).append(": ");
        }
        return sb.append(message).toString();
    }
}
