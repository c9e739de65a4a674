package io.weft.control;

import io.weft.control.cli.ApplyCommand;
import io.weft.control.cli.CommandLine;
import io.weft.control.cli.LaunchOptions;
import io.weft.control.cli.SecretFiles;
import io.weft.control.cli.Tokens;
import io.weft.control.cli.TokensFile;
import io.weft.control.cli.UsageException;
import io.weft.control.store.StoreUnavailableException;
import io.weft.runtime.config.ConfigException;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar weft-control-plane.jar --config-dir ./mesh --tokens tokens.yaml}. Exit codes: 2 for a wrong
 * command line, 1 when it cannot start (invalid config, port taken, bad tokens file, etcd unreachable); otherwise
 * it runs until stopped (SIGTERM, Ctrl-C).
 *
 * <p>{@code java -jar weft-control-plane.jar apply -f routes.yaml ...} is the admin client instead: see
 * {@link ApplyCommand}.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        configureLogging();
        if (args.length > 0 && args[0].equals(ApplyCommand.NAME)) {
            System.exit(ApplyCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err,
                    System.getenv()));
            return;
        }
        Launch launch = launch(args, System.out, System.err);
        if (launch.running() == null) {
            System.exit(launch.exitCode());
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            launch.running().close();
            stopped.countDown();
        }, "weft-control-plane-shutdown"));
        stopped.await();
    }

    /** The outcome of a launch: a running control plane, or the exit code to leave with. */
    record Launch(RunningControlPlane running, int exitCode) {
    }

    /** Parses the arguments and starts; never exits the JVM, so that tests can call it. */
    static Launch launch(String[] args, PrintStream out, PrintStream err) {
        LaunchOptions options;
        try {
            options = CommandLine.parse(args);
        } catch (UsageException e) {
            err.println("weft-control-plane: " + e.getMessage());
            err.println();
            err.print(CommandLine.USAGE);
            return new Launch(null, 2);
        }
        if (options.help()) {
            out.print(CommandLine.USAGE);
            return new Launch(null, 0);
        }
        try {
            ControlPlane.Builder builder = ControlPlane.builder()
                    .port(options.port())
                    .host(options.host())
                    .instanceTtl(options.instanceTtl());
            if (options.etcd() != null) {
                builder.etcd(options.etcd());
            } else {
                builder.configDir(options.configDir());
            }
            if (options.ca() != null) {
                if (options.caPassphraseFile() != null) {
                    builder.caKeyPassphrase(SecretFiles.readLine(options.caPassphraseFile()).toCharArray());
                } else {
                    builder.caDir(options.ca().dir());
                }
                builder.trustDomain(options.ca().trustDomain())
                        .namespace(options.ca().namespace())
                        .certificateTtl(options.ca().certificateTtl());
                if (options.ca().rootCert() != null) {
                    builder.caRoot(options.ca().rootCert(), options.ca().rootKey());
                }
            }
            if (options.tls()) {
                builder.tls().tlsNames(options.tlsNames());
            }
            if (options.noAuth()) {
                err.println("weft-control-plane: WARNING: authentication is off (--no-auth); "
                        + "anyone who reaches the port can read the config and register instances");
                builder.noAuth();
            } else {
                Tokens tokens = TokensFile.read(options.tokensFile());
                builder.tokens(tokens.services());
                if (tokens.admin() != null) {
                    builder.adminToken(tokens.admin());
                }
            }
            return new Launch(builder.build().start(), 0);
        } catch (ConfigException | IOException | UncheckedIOException | IllegalArgumentException
                 | IllegalStateException | StoreUnavailableException e) {
            err.println("weft-control-plane: cannot start: " + e.getMessage());
        }
        return new Launch(null, 1);
    }

    /** Timestamps and levels for slf4j-simple, unless the user set them; must run before the first logger. */
    private static void configureLogging() {
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.log.io.netty", "warn");
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
