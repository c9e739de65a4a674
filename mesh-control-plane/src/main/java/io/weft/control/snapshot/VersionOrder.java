package io.weft.control.snapshot;

/** When a client that has snapshot version {@code known} is owed the current one. */
public enum VersionOrder {

    /**
     * Any other version, older or newer. The embedded store's versions come from one process's clock: a client
     * with a newer version has seen a control plane that is gone (restarted with its clock set back, or replaced),
     * and what this one serves is the truth now.
     */
    ANY_OTHER {
        @Override
        public boolean owed(long known, long current) {
            return known != current;
        }
    },

    /**
     * Only a newer version. With etcd, versions are etcd revisions and mean the same on every replica: a client
     * that knows a newer one than this replica comes from a replica that is ahead, and waits until this one
     * catches up rather than going back.
     */
    NEWER_ONLY {
        @Override
        public boolean owed(long known, long current) {
            return current > known;
        }
    };

    public abstract boolean owed(long known, long current);
}
