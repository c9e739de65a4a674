package io.weft.control.store.etcd;

import io.etcd.jetcd.ByteSequence;

import java.nio.charset.StandardCharsets;

/**
 * The key layout of one mesh under its prefix:
 * <pre>
 * {prefix}config/{service}    a service's config document, as written (YAML or JSON)
 * {prefix}instances/{id}      a registered instance (JSON), attached to its lease
 * {prefix}ca/{name}           the CA's certificate and encrypted key (JSON)
 * {prefix}meta/epoch          the base that snapshot versions count etcd revisions from
 * </pre>
 */
final class EtcdKeys {

    enum Kind { CONFIG, INSTANCE, OTHER }

    /** A key of this mesh, split into its kind and name. */
    record Key(Kind kind, String name) {
    }

    private static final String CONFIG = "config/";
    private static final String INSTANCES = "instances/";

    private final String prefix;

    EtcdKeys(String prefix) {
        this.prefix = prefix;
    }

    ByteSequence all() {
        return bytes(prefix);
    }

    ByteSequence config(String service) {
        return bytes(prefix + CONFIG + service);
    }

    ByteSequence instance(String id) {
        return bytes(prefix + INSTANCES + id);
    }

    ByteSequence ca(String name) {
        return bytes(prefix + "ca/" + name);
    }

    ByteSequence epoch() {
        return bytes(prefix + "meta/epoch");
    }

    Key parse(ByteSequence key) {
        String text = key.toString(StandardCharsets.UTF_8);
        if (!text.startsWith(prefix)) {
            return new Key(Kind.OTHER, text);
        }
        String rest = text.substring(prefix.length());
        if (rest.startsWith(CONFIG)) {
            return new Key(Kind.CONFIG, rest.substring(CONFIG.length()));
        }
        if (rest.startsWith(INSTANCES)) {
            return new Key(Kind.INSTANCE, rest.substring(INSTANCES.length()));
        }
        return new Key(Kind.OTHER, rest);
    }

    static ByteSequence bytes(String text) {
        return ByteSequence.from(text, StandardCharsets.UTF_8);
    }

    static String text(ByteSequence bytes) {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
