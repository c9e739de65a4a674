package io.weft.control.admin;

/**
 * The body of a 409 to a config write: someone else wrote the document since the revision the write named.
 *
 * @param currentRevision the revision now, 0 if the document does not exist; read it again, merge, and write
 *                        naming this one
 */
public record ConfigConflict(String error, long currentRevision) {
}
