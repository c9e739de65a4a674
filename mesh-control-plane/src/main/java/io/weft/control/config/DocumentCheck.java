package io.weft.control.config;

import io.weft.runtime.config.ConfigError;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.ConfigLoader;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.ServiceConfig;

import java.util.List;

/**
 * Checks one service's config document with the loader and validator that read config directories, before it is
 * written: the document must hold exactly that service. Errors name the document as {@code <service>.yaml}, the
 * file it would be in a directory.
 */
public final class DocumentCheck {

    private final ConfigLoader loader;

    public DocumentCheck(ConfigLoader loader) {
        this.loader = loader;
    }

    public static String sourceName(String service) {
        return service + ".yaml";
    }

    /** @throws ConfigException with every problem, as file, line, field and message */
    public ServiceConfig check(String service, String text) {
        String source = sourceName(service);
        MeshConfig parsed = loader.parse(source, text);
        List<ServiceConfig> services = parsed.services();
        if (services.size() != 1) {
            throw new ConfigException(List.of(new ConfigError(source, 0, "", "holds " + services.size()
                    + " services; a document holds exactly one, '" + service + "'")));
        }
        ServiceConfig only = services.get(0);
        if (!service.equals(only.service())) {
            throw new ConfigException(List.of(new ConfigError(source, 0, "service", "'" + only.service()
                    + "' is not '" + service + "', the service this document is written for")));
        }
        return only;
    }
}
