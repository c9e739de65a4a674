package io.weft.control.store;

/**
 * One service's config as an admin wrote it.
 *
 * @param text     YAML or JSON, as sent
 * @param revision the store revision of its last write; what a conditional write names
 */
public record ConfigDocument(String service, String text, long revision) {
}
