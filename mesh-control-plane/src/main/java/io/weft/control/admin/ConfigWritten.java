package io.weft.control.admin;

/**
 * The answer to a config write ({@code PUT}/{@code DELETE /v1/config/<service>}).
 *
 * @param revision the document's new revision (of its deletion, for a delete): what the next write names in
 *                 {@code If-Match}
 * @param version  the snapshot version the replica that answered serves with it; the same on every replica
 */
public record ConfigWritten(String service, long revision, long version) {
}
