package io.weft.control.store;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Config documents written by admins, one per service, each with the store revision it was last written at.
 * Writes are conditional on that revision (optimistic concurrency), so that two admins never overwrite each
 * other silently. Callers validate a document before writing it.
 */
public interface ConfigDocuments {

    /** The document as this replica serves it. */
    Optional<ConfigDocument> get(String service);

    /**
     * Writes {@code service}'s document if its revision is still {@code expectedRevision} (0: it must not exist
     * yet), and returns once this replica serves it.
     *
     * @return the new revision
     * @throws RevisionConflictException  if someone else wrote it since
     * @throws StoreUnavailableException if the store cannot be reached
     */
    long put(String service, String text, long expectedRevision) throws RevisionConflictException;

    /**
     * Deletes {@code service}'s document if its revision is still {@code expectedRevision}, and returns once this
     * replica no longer serves it.
     *
     * @return the revision of the deletion; empty if there was no document
     */
    OptionalLong delete(String service, long expectedRevision) throws RevisionConflictException;
}
