package io.weft.sidecar;

import io.weft.sidecar.cli.AppRunner;
import io.weft.sidecar.cli.Command;
import io.weft.sidecar.cli.CommandLine;
import io.weft.sidecar.cli.UsageException;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code java -jar weft-sidecar.jar --service payments --app-port 8000 --control-plane http://127.0.0.1:15010
 * [run -- <app command>]}. See {@code mesh-sidecar/README.md} for every option.
 */
public final class Main {

    /** Exit codes of the sidecar itself (wrapper mode otherwise exits with the app's). */
    static final int USAGE = 2;
    static final int FAILED = 1;

    private Main() {
    }

    public static void main(String[] args) {
        Integer exit = run(args, System.out, System.err);
        if (exit != null) {
            System.exit(exit);
        }
        // Proxy mode: the event loops keep the JVM up until SIGTERM runs the shutdown hook.
    }

    /** Runs the command; null when the sidecar keeps running (proxy mode), else the process's exit code. */
    static Integer run(String[] args, PrintStream out, PrintStream err) {
        Command command;
        try {
            command = CommandLine.parse(args, System.getenv());
        } catch (UsageException e) {
            err.println("weft-sidecar: " + e.getMessage());
            err.println("run java -jar weft-sidecar.jar --help for the options");
            return USAGE;
        }
        if (command.help()) {
            out.print(CommandLine.usage());
            return 0;
        }
        Sidecar sidecar;
        try {
            sidecar = Sidecar.start(command.settings());
        } catch (Exception e) {
            err.println("weft-sidecar: cannot start: " + e.getMessage());
            return FAILED;
        }
        if (command.appCommand().isEmpty()) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> shutDown(sidecar), "weft-sidecar-shutdown"));
            return null;
        }
        return runApp(sidecar, command);
    }

    private static int runApp(Sidecar sidecar, Command command) {
        AppRunner runner = new AppRunner(sidecar, command.appCommand(), command.httpProxyEnv());
        AtomicBoolean signalled = new AtomicBoolean();
        Thread hook = new Thread(() -> {
            signalled.set(true);
            try {
                runner.stopApp(sidecar.settings().drainTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shutDown(sidecar);
        }, "weft-sidecar-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        int code;
        try {
            code = runner.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = FAILED;
        }
        if (!signalled.get()) {
            // The app ended on its own: drain (the app's last calls may still be answering) and stop.
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDownAlready) {
                return code; // a signal came in between: the hook drains
            }
            shutDown(sidecar);
        }
        return code;
    }

    static void shutDown(Sidecar sidecar) {
        try {
            sidecar.drain(sidecar.settings().drainTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            sidecar.close();
        }
    }
}
