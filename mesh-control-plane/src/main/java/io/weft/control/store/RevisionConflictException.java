package io.weft.control.store;

/** A conditional write named a revision that is no longer current: someone else wrote in between. */
public final class RevisionConflictException extends Exception {

    private final long currentRevision;

    public RevisionConflictException(String service, long expected, long currentRevision) {
        super(service + " is at revision " + currentRevision + ", not " + expected
                + (currentRevision == 0 ? " (it has no config)" : "") + ": someone else changed it since", null,
                false, false);
        this.currentRevision = currentRevision;
    }

    /** The revision now, 0 if the document does not exist. */
    public long currentRevision() {
        return currentRevision;
    }
}
