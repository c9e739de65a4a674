package io.weft.control.snapshot;

import java.time.Instant;

/**
 * One published version of the mesh, ready to serve: the {@link io.weft.runtime.control.SnapshotMessage} is
 * serialized once, here, and the same bytes go to every caller.
 *
 * @param hash SHA-256 hex of the serialized services; the ETag
 * @param body the whole {@code SnapshotMessage} as JSON; never modified after publication
 */
public record PublishedSnapshot(long version, String hash, Instant generatedAt, int serviceCount, byte[] body) {

    /** The ETag header value: the hash, quoted. */
    public String etag() {
        return '"' + hash + '"';
    }
}
