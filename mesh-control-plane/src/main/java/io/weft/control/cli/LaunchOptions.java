package io.weft.control.cli;

import java.nio.file.Path;
import java.time.Duration;

/** The command line, parsed. {@code tokensFile} is null exactly when {@code noAuth} is set (unless help). */
public record LaunchOptions(Path configDir, int port, String host, Path tokensFile, boolean noAuth,
                            Duration instanceTtl, boolean help) {
}
