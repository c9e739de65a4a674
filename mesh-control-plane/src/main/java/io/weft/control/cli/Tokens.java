package io.weft.control.cli;

import java.util.Map;

/**
 * The tokens file's content.
 *
 * @param services service name to its token
 * @param admin    the admin API's token, or null when the file names none
 */
public record Tokens(Map<String, String> services, String admin) {

    public Tokens {
        services = Map.copyOf(services);
    }
}
