package io.weft.sidecar.cli;

import io.weft.sidecar.SidecarSettings;

import java.util.List;

/**
 * What the command line asked for.
 *
 * @param appCommand   the app to run under the sidecar ({@code run -- <command...>}); empty for proxy only
 * @param httpProxyEnv also point the app's {@code HTTP_PROXY}/{@code http_proxy} at the outbound listener
 */
public record Command(SidecarSettings settings, List<String> appCommand, boolean httpProxyEnv, boolean help) {

    static Command helpOnly() {
        return new Command(null, List.of(), false, true);
    }
}
