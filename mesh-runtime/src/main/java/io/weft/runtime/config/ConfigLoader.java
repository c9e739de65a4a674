package io.weft.runtime.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads mesh config from YAML or JSON: a directory of files, one file, a classpath resource or a string.
 * Each document describes one service ({@code service: orders}); a file may hold several documents separated by
 * {@code ---}. Everything is parsed and validated as a whole: either the config is returned, or a
 * {@link ConfigException} lists every error with file, line and field, and nothing is applied.
 */
public final class ConfigLoader {

    private final ConfigValidator validator;

    public ConfigLoader(ConfigValidator validator) {
        this.validator = validator;
    }

    public ConfigLoader() {
        this(new ConfigValidator());
    }

    /** Loads every {@code .yaml}, {@code .yml} and {@code .json} file of a directory, or the single file given. */
    public MeshConfig load(Path path) {
        List<Source> sources = new ArrayList<>();
        if (Files.isDirectory(path)) {
            try (Stream<Path> files = Files.list(path)) {
                for (Path f : files.filter(ConfigLoader::isConfigFile).sorted().toList()) {
                    sources.add(new Source(f.getFileName().toString(), read(f)));
                }
            } catch (IOException e) {
                throw new ConfigException(List.of(new ConfigError(path.toString(), 0, "", "cannot list directory: " + e)));
            }
        } else if (Files.isRegularFile(path)) {
            sources.add(new Source(path.getFileName().toString(), read(path)));
        } else {
            throw new ConfigException(List.of(new ConfigError(path.toString(), 0, "", "no such file or directory")));
        }
        return parse(sources);
    }

    /** Loads a config resource from the class path, such as an application's embedded default. */
    public MeshConfig loadResource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new ConfigException(List.of(new ConfigError(name, 0, "", "no such resource on the class path")));
            }
            return parse(List.of(new Source(name, new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses one text; {@code source} names it in errors and decides the format ({@code .json} or YAML). */
    public MeshConfig parse(String source, String text) {
        return parse(List.of(new Source(source, text)));
    }

    /** Parses and validates several sources as one config. */
    public MeshConfig parse(List<Source> sources) {
        List<ConfigError> errors = new ArrayList<>();
        List<ServiceConfig> services = new ArrayList<>();
        Map<String, String> definedIn = new HashMap<>();
        for (Source source : sources) {
            ObjectMapper mapper = source.name().toLowerCase(Locale.ROOT).endsWith(".json")
                    ? ConfigMapper.json() : ConfigMapper.yaml();
            LineLocator lines = LineLocator.scan(mapper, source.text());
            List<ServiceConfig> docs = readDocuments(mapper, source, lines, errors);
            for (int i = 0; i < docs.size(); i++) {
                ServiceConfig service = docs.get(i);
                if (service == null) {
                    continue;
                }
                int doc = i;
                validator.validate(service).forEach(p -> errors.add(
                        new ConfigError(source.name(), lines.lineOf(doc, p.path()), p.path(), p.message())));
                if (service.service() != null) {
                    String earlier = definedIn.putIfAbsent(service.service(), source.name());
                    if (earlier != null) {
                        errors.add(new ConfigError(source.name(), lines.lineOf(doc, "service"), "service",
                                "service '" + service.service() + "' is already defined in " + earlier));
                    }
                }
                services.add(service);
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new MeshConfig(services);
    }

    /**
     * Reads and validates a snapshot from the control plane. Every service is checked as if it came from a file;
     * paths in errors start with {@code services[i]}.
     */
    public io.weft.runtime.control.SnapshotMessage parseSnapshot(String source, String json) {
        io.weft.runtime.control.SnapshotMessage message;
        try {
            message = ConfigMapper.json().readValue(json, io.weft.runtime.control.SnapshotMessage.class);
        } catch (JsonProcessingException e) {
            throw new ConfigException(List.of(describe(source, e, LineLocator.scan(ConfigMapper.json(), json), 0)));
        }
        if (message == null) {
            throw new ConfigException(List.of(new ConfigError(source, 0, "", "empty snapshot")));
        }
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < message.services().size(); i++) {
            ServiceConfig service = message.services().get(i);
            String prefix = "services[" + i + "]";
            if (service == null) {
                errors.add(new ConfigError(source, 0, prefix, "is empty"));
                continue;
            }
            validator.validate(service).forEach(p -> errors.add(new ConfigError(source, 0,
                    p.path().isEmpty() ? prefix : prefix + "." + p.path(), p.message())));
            if (service.service() != null && seen.putIfAbsent(service.service(), i) != null) {
                errors.add(new ConfigError(source, 0, prefix + ".service", "service '" + service.service() + "' appears twice"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return message;
    }

    private static List<ServiceConfig> readDocuments(ObjectMapper mapper, Source source, LineLocator lines,
                                                     List<ConfigError> errors) {
        List<ServiceConfig> docs = new ArrayList<>();
        try (MappingIterator<ServiceConfig> it = mapper.readerFor(ServiceConfig.class).readValues(source.text())) {
            while (it.hasNextValue()) {
                docs.add(it.nextValue());
            }
        } catch (JsonProcessingException e) {
            errors.add(describe(source.name(), e, lines, docs.size()));
        } catch (IOException e) {
            errors.add(new ConfigError(source.name(), 0, "", e.getMessage()));
        } catch (RuntimeException e) {
            // MappingIterator wraps parse errors in RuntimeJsonMappingException.
            if (e.getCause() instanceof JsonProcessingException jpe) {
                errors.add(describe(source.name(), jpe, lines, docs.size()));
            } else {
                errors.add(new ConfigError(source.name(), 0, "", String.valueOf(e.getMessage())));
            }
        }
        return docs;
    }

    private static ConfigError describe(String source, JsonProcessingException e, LineLocator lines, int doc) {
        String path = e instanceof JsonMappingException jme ? ConfigPaths.fromReferences(jme.getPath()) : "";
        // The parser's own location is where it stopped reading, often the line after the culprit.
        int line = path.isEmpty() ? 0 : lines.lineOf(doc, path);
        if (line == 0 && e.getLocation() != null) {
            line = e.getLocation().getLineNr();
        }
        String message;
        if (e instanceof UnrecognizedPropertyException u) {
            message = "unknown field '" + u.getPropertyName() + "'" + (u.getKnownPropertyIds() == null ? ""
                    : " (known: " + u.getKnownPropertyIds().stream().map(String::valueOf).sorted()
                            .collect(Collectors.joining(", ")) + ")");
        } else {
            message = e.getOriginalMessage();
            int cut = message.indexOf(" (for ");
            if (message.startsWith("Cannot deserialize") && cut > 0) {
                message = message.substring(0, cut);
            }
        }
        return new ConfigError(source, line, path, message);
    }

    private static boolean isConfigFile(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && !name.startsWith(".")
                && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(file.toString(), 0, "", "cannot read: " + e)));
        }
    }

    /** A named config text, such as one file. */
    public record Source(String name, String text) {
    }
}
