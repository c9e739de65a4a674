package io.weft.control.store.etcd;

import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.weft.control.config.DocumentCheck;
import io.weft.control.config.RejectedChange;
import io.weft.control.config.ValidatedConfig;
import io.weft.control.snapshot.MeshState;
import io.weft.control.store.ConfigDocument;
import io.weft.runtime.config.ConfigError;
import io.weft.runtime.config.ConfigException;
import io.weft.runtime.config.MeshConfig;
import io.weft.runtime.config.ServiceConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * This replica's copy of the mesh's keys in etcd: config documents, registered instances, and the etcd revision
 * they were read at. {@link EtcdSync} keeps it current (a full read, then watch events); snapshots and long polls are
 * served from it and never wait on etcd.
 *
 * <p>Documents are validated together whenever one changes, with the loader that reads config directories; an
 * invalid state leaves the last good config in force ({@link ValidatedConfig}), as an invalid file does.
 */
final class EtcdMirror {

    private static final Logger log = LoggerFactory.getLogger(EtcdMirror.class);

    private final EtcdKeys keys;
    private final DocumentCheck check;
    private final ValidatedConfig config;
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final Map<String, ConfigDocument> documents = new TreeMap<>();
    private final Map<String, InstanceRecord> instances = new HashMap<>();
    /** The etcd revision the state above is at. */
    private long revision;
    /** The last revision whose change listeners have run: a writer waiting for it finds the snapshot published. */
    private long servedRevision;

    EtcdMirror(EtcdKeys keys, DocumentCheck check, String origin, Clock clock) {
        this.keys = keys;
        this.check = check;
        this.config = new ValidatedConfig(origin, clock);
    }

    /** Called after every change, outside the lock; see {@link io.weft.control.store.ControlPlaneStore#onChange}. */
    void onChange(Runnable listener) {
        listeners.add(listener);
    }

    /**
     * Replaces the whole state with a full read.
     *
     * @throws ConfigException on the first read, if the documents are invalid: there is no last good config yet
     */
    void reset(GetResponse all) {
        long at;
        synchronized (this) {
            documents.clear();
            instances.clear();
            all.getKvs().forEach(this::put);
            at = all.getHeader().getRevision();
            if (config.current() == null) {
                config.initial(parseDocuments());
            } else {
                config.offer(this::parseDocuments);
            }
            revision = at;
        }
        changed(at);
    }

    /** Applies the events of one watch response; events the state already has (a replay after a reset) are skipped. */
    void apply(WatchResponse response) {
        long at;
        synchronized (this) {
            long before = revision;
            long latest = before;
            boolean documentsChanged = false;
            for (WatchEvent event : response.getEvents()) {
                KeyValue kv = event.getKeyValue();
                // Events of one revision (a transaction) come in one response, so comparing with the revision
                // before this response never splits one.
                if (kv.getModRevision() <= before) {
                    continue;
                }
                latest = Math.max(latest, kv.getModRevision());
                boolean isDocument = event.getEventType() == WatchEvent.EventType.PUT ? put(kv) : delete(kv);
                documentsChanged |= isDocument;
            }
            if (latest == before) {
                return;
            }
            if (documentsChanged) {
                config.offer(this::parseDocuments);
            }
            revision = latest;
            at = latest;
        }
        changed(at);
    }

    private void changed(long at) {
        for (Runnable listener : listeners) {
            listener.run();
        }
        synchronized (this) {
            servedRevision = Math.max(servedRevision, at);
            notifyAll();
        }
    }

    /**
     * Waits until this replica serves what etcd held at {@code revision} (a write of its own), so that a writer's
     * next read or poll here sees its write.
     *
     * @return false if it did not within {@code timeout}; the write happened all the same
     */
    synchronized boolean awaitServed(long revision, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (servedRevision < revision) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    /** The snapshot's sources, read together; versions count etcd revisions from {@code epoch}. */
    synchronized MeshState state(long epoch) {
        return MeshState.of(config.current(), records(r -> r.toInstance(null)), epoch + revision);
    }

    synchronized Optional<ConfigDocument> document(String service) {
        return Optional.ofNullable(documents.get(service));
    }

    synchronized Optional<InstanceRecord> instance(String id) {
        return Optional.ofNullable(instances.get(id));
    }

    synchronized <T> List<T> records(Function<InstanceRecord, T> as) {
        return instances.values().stream().map(as).toList();
    }

    synchronized int instanceCount() {
        return instances.size();
    }

    RejectedChange lastRejected() {
        return config.lastRejected();
    }

    /** @return true if the key was a config document */
    private boolean put(KeyValue kv) {
        EtcdKeys.Key key = keys.parse(kv.getKey());
        switch (key.kind()) {
            case CONFIG -> {
                documents.put(key.name(), new ConfigDocument(key.name(), EtcdKeys.text(kv.getValue()),
                        kv.getModRevision()));
                return true;
            }
            case INSTANCE -> {
                try {
                    instances.put(key.name(), InstanceRecord.fromBytes(kv.getValue()));
                } catch (IOException e) {
                    // Not written by a control plane: it cannot be served, and must not stop the others.
                    log.warn("ignoring instance key {}: {}", EtcdKeys.text(kv.getKey()), e.getMessage());
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    private boolean delete(KeyValue kv) {
        EtcdKeys.Key key = keys.parse(kv.getKey());
        switch (key.kind()) {
            case CONFIG -> {
                documents.remove(key.name());
                return true;
            }
            case INSTANCE -> {
                instances.remove(key.name());
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Every document checked as a file of it would be; all errors of all documents at once. */
    private MeshConfig parseDocuments() {
        List<ServiceConfig> services = new ArrayList<>();
        List<ConfigError> errors = new ArrayList<>();
        for (ConfigDocument document : documents.values()) {
            try {
                services.add(check.check(document.service(), document.text()));
            } catch (ConfigException e) {
                errors.addAll(e.errors());
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors);
        }
        return new MeshConfig(services);
    }
}
