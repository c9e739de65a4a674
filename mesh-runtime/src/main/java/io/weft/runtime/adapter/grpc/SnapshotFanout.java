package io.weft.runtime.adapter.grpc;

import io.weft.runtime.engine.MeshEngine;

import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One snapshot listener per engine for all of its name resolvers: the engine keeps its listeners for good, while
 * resolvers come and go with channels (and with a channel's idle mode).
 */
final class SnapshotFanout {

    private static final Map<MeshEngine, SnapshotFanout> BY_ENGINE = new WeakHashMap<>();

    private final Set<Runnable> subscribers = ConcurrentHashMap.newKeySet();

    static SnapshotFanout of(MeshEngine engine) {
        synchronized (BY_ENGINE) {
            return BY_ENGINE.computeIfAbsent(engine, e -> {
                SnapshotFanout fanout = new SnapshotFanout();
                e.onSnapshot(snapshot -> fanout.subscribers.forEach(Runnable::run));
                return fanout;
            });
        }
    }

    void subscribe(Runnable onSnapshot) {
        subscribers.add(onSnapshot);
    }

    void unsubscribe(Runnable onSnapshot) {
        subscribers.remove(onSnapshot);
    }
}
