package io.weft.control.cli;

import io.weft.control.admin.AdminClient;
import io.weft.control.admin.ConfigConflict;
import io.weft.control.admin.ConfigWritten;
import io.weft.control.admin.YamlDocuments;
import io.weft.runtime.config.ConfigError;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.security.TrustBundle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code weft apply -f routes.yaml}: validates every service of a file as the control plane would, then writes each
 * through the admin API, naming the revision it replaces, so that a concurrent change by another admin is reported
 * (409) rather than overwritten. Nothing is sent unless the whole file is valid.
 */
public final class ApplyCommand {

    public static final String NAME = "apply";

    static final String USAGE = """
            Usage: java -jar weft-control-plane.jar apply -f FILE --control-plane URL[,URL...] [options]

            Validates the services in FILE (YAML or JSON; several YAML documents separated by ---) as the control plane
            does, then writes each to its store (--store etcd) with PUT /v1/config/<service>, naming the revision it
            replaces. If another admin changed a service since, that service is refused (409) and nothing after it is
            sent. Services before it stay applied: each service is one write.

              -f, --file FILE          the config to apply (required)
              --control-plane URLS     the control plane; several URLs separated by commas are tried in turn (required)
              --admin-token T          the admin token (or --admin-token-file FILE, or WEFT_ADMIN_TOKEN)
              --admin-token-file FILE  a file that holds the admin token
              --revision N             the revision of the service's config being replaced, as GET /v1/config/<service>
                                       showed it (0: it must not exist yet); FILE must hold one service. Without it, the
                                       revision current just before the write is used
              --ca-cert FILE           the CA certificates (PEM) of an https control plane, e.g. its /v1/trust-bundle
              --help                   show this help

            Exit codes: 0 applied; 1 invalid, refused, in conflict or unreachable; 2 wrong command line.
            """;

    private final PrintStream out;
    private final PrintStream err;

    private ApplyCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** Runs the command; returns the exit code and never exits the JVM, so that tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        ApplyOptions options;
        try {
            options = ApplyOptions.parse(args, env);
        } catch (UsageException e) {
            err.println("weft apply: " + e.getMessage());
            err.println();
            err.print(USAGE);
            return 2;
        }
        if (options.help()) {
            out.print(USAGE);
            return 0;
        }
        try {
            return new ApplyCommand(out, err).apply(options);
        } catch (IOException e) {
            err.println("weft apply: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int apply(ApplyOptions options) throws IOException, InterruptedException {
        String name = options.file().getFileName().toString();
        String text = Files.readString(options.file());
        List<Document> documents;
        try {
            documents = documents(name, text);
        } catch (ConfigException e) {
            err.println("weft apply: " + name + " is invalid; nothing was applied:");
            e.errors().stream().map(ConfigError::toString).forEach(line -> err.println("  " + line));
            return 1;
        }
        if (documents.isEmpty()) {
            err.println("weft apply: " + name + " holds no service; nothing to apply");
            return 1;
        }
        if (options.revision() != null && documents.size() > 1) {
            err.println("weft apply: --revision names one service's revision, but " + name + " holds "
                    + documents.size() + "; apply them one by one");
            return 1;
        }
        AdminClient client = new AdminClient(options.controlPlanes(), options.token(), options.caCert() == null
                ? null : TrustBundle.read(options.caCert()).httpsClientContext());
        for (Document document : documents) {
            if (!write(client, document, options.revision())) {
                return 1;
            }
        }
        return 0;
    }

    /**
     * One document per service, each as written in the file. The file is validated as a whole first, so that
     * errors carry its own line numbers and nothing is sent unless all of it is valid.
     */
    private static List<Document> documents(String name, String text) {
        ConfigLoader loader = new ConfigLoader();
        List<ServiceConfig> services = loader.parse(name, text).services();
        if (name.toLowerCase(Locale.ROOT).endsWith(".json")) {
            // JSON has no document separator: a JSON file is one service's document.
            return services.stream().map(s -> new Document(s.service(), text)).toList();
        }
        List<Document> documents = new ArrayList<>();
        for (String part : YamlDocuments.split(text)) {
            for (ServiceConfig service : loader.parse(name, part).services()) {
                documents.add(new Document(service.service(), part));
            }
        }
        return documents;
    }

    private boolean write(AdminClient client, Document document, Long revision) throws IOException,
            InterruptedException {
        long expected;
        if (revision != null) {
            expected = revision;
        } else {
            AdminClient.Answer current = client.get(document.service());
            if (current.status() != 200 && current.status() != 404) {
                return refused(document.service(), current);
            }
            expected = current.revision();
        }
        AdminClient.Answer answer = client.put(document.service(), document.text(), expected);
        switch (answer.status()) {
            case 200 -> {
                ConfigWritten written = answer.read(ConfigWritten.class);
                out.println(document.service() + ": applied at revision " + written.revision()
                        + " (snapshot version " + written.version() + ")");
                return true;
            }
            case 409 -> {
                ConfigConflict conflict = answer.read(ConfigConflict.class);
                err.println(document.service() + ": conflict (409): " + conflict.error() + ". Its current revision is "
                        + conflict.currentRevision() + ": look at it (GET /v1/config/" + document.service()
                        + "), merge, and apply with --revision " + conflict.currentRevision());
                return false;
            }
            default -> {
                return refused(document.service(), answer);
            }
        }
    }

    private boolean refused(String service, AdminClient.Answer answer) {
        err.println(service + ": refused (" + answer.status() + "): " + answer.error());
        return false;
    }

    private record Document(String service, String text) {
    }
}
