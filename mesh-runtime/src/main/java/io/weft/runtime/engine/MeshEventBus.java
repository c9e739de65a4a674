package io.weft.runtime.engine;

import io.weft.api.Endpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Hands each event to every subscriber; one that throws is logged and stops neither the others nor the engine.
 * Events are rare (state changes, not calls), so a lambda per event costs nothing that matters.
 */
final class MeshEventBus implements MeshEvents {

    private static final Logger log = LoggerFactory.getLogger(MeshEventBus.class);

    private final List<MeshEvents> subscribers = new CopyOnWriteArrayList<>();

    void add(MeshEvents s) {
        subscribers.add(s);
    }

    void remove(MeshEvents s) {
        subscribers.remove(s);
    }

    @Override
    public void breakerTransition(String service, Endpoint endpoint, String from, String to) {
        each(s -> s.breakerTransition(service, endpoint, from, to));
    }

    @Override
    public void ejected(String service, Endpoint endpoint, long forMillis) {
        each(s -> s.ejected(service, endpoint, forMillis));
    }

    @Override
    public void returned(String service, Endpoint endpoint) {
        each(s -> s.returned(service, endpoint));
    }

    @Override
    public void retryBudgetExhausted(String service, String route) {
        each(s -> s.retryBudgetExhausted(service, route));
    }

    private void each(Consumer<MeshEvents> event) {
        for (MeshEvents s : subscribers) {
            try {
                event.accept(s);
            } catch (RuntimeException e) {
                log.warn("A mesh event subscriber failed", e);
            }
        }
    }
}
