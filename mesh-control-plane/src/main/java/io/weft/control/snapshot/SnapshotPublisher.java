package io.weft.control.snapshot;

import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.control.SnapshotMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Owns the current snapshot. {@link #republish()} rebuilds it from the sources and publishes a new version only
 * when the content changed. The version is the state's proposed version, or one more than the previous if that is
 * larger ({@code max(previous + 1, proposed)}): the wall clock for the embedded store, so that a restarted control
 * plane never hands out a version lower than before; the etcd revision for etcd, the same on every replica.
 */
public final class SnapshotPublisher {

    private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

    private final Supplier<MeshState> state;
    private final LongSupplier clockMillis;
    private final String trustBundle;
    private final List<Consumer<PublishedSnapshot>> listeners = new CopyOnWriteArrayList<>();
    private volatile PublishedSnapshot current;

    public SnapshotPublisher(Supplier<List<ServiceConfig>> services, LongSupplier clockMillis) {
        this(services, clockMillis, null);
    }

    /**
     * @param trustBundle PEM of the CA certificates, sent in every snapshot; null when there is no CA. Fixed for
     *                    the life of the process, so it is not part of the hash.
     */
    public SnapshotPublisher(Supplier<List<ServiceConfig>> services, LongSupplier clockMillis, String trustBundle) {
        this(clockMillis, trustBundle, () -> new MeshState(services.get(), clockMillis.getAsLong()));
    }

    private SnapshotPublisher(LongSupplier clockMillis, String trustBundle, Supplier<MeshState> state) {
        this.state = state;
        this.clockMillis = clockMillis;
        this.trustBundle = trustBundle;
    }

    /**
     * @param state       read once per {@link #republish()}: content and proposed version of one moment
     * @param clockMillis the wall clock, for {@code generatedAt}
     * @param trustBundle PEM of the CA certificates, or null; see above
     */
    public static SnapshotPublisher ofState(Supplier<MeshState> state, LongSupplier clockMillis, String trustBundle) {
        return new SnapshotPublisher(clockMillis, trustBundle, state);
    }

    public SnapshotPublisher(Supplier<List<ServiceConfig>> services) {
        this(services, System::currentTimeMillis);
    }

    /** Called with every new version, on the publishing thread; must not block. */
    public void onPublish(Consumer<PublishedSnapshot> listener) {
        listeners.add(listener);
    }

    /** The current snapshot; null only before the first {@link #republish()}. */
    public PublishedSnapshot current() {
        return current;
    }

    /**
     * Reads the sources and publishes their state if it differs from the current snapshot. Synchronized over
     * read and publish together: two concurrent changes can then never publish an older state last.
     */
    public synchronized PublishedSnapshot republish() {
        MeshState read = state.get();
        List<ServiceConfig> now = read.services();
        String hash = SnapshotSerializer.hash(now);
        PublishedSnapshot previous = current;
        if (previous != null && previous.hash().equals(hash)) {
            return previous;
        }
        long proposed = read.proposedVersion();
        long version = previous == null ? proposed : Math.max(previous.version() + 1, proposed);
        Instant generatedAt = Instant.ofEpochMilli(clockMillis.getAsLong());
        byte[] body = SnapshotSerializer.body(new SnapshotMessage(version, hash, generatedAt.toString(), now,
                trustBundle));
        PublishedSnapshot published = new PublishedSnapshot(version, hash, generatedAt, now.size(), body);
        current = published;
        log.info("Published snapshot version {} ({} services, hash {})", version, now.size(), hash.substring(0, 12));
        for (Consumer<PublishedSnapshot> listener : listeners) {
            listener.accept(published);
        }
        return published;
    }
}
