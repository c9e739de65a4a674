package io.weft.runtime.control;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The control-plane replicas a runtime may talk to, and the one it talks to now. One instance is shared by the
 * snapshot poller, the registrar and the certificate client of a runtime, so that when one of them finds the
 * current replica gone, all of them move on to the next.
 *
 * <p>Replicas of one control plane (the etcd store) serve the same versions, so moving between them neither
 * loses the runtime's config version nor applies one twice.
 */
public final class ControlPlaneReplicas {

    private final List<URI> urls;
    private final AtomicInteger current = new AtomicInteger();

    public ControlPlaneReplicas(List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no control plane URL given");
        }
        for (URI url : urls) {
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
                throw new IllegalArgumentException("control plane URL '" + url + "' is not http(s)");
            }
        }
        this.urls = List.copyOf(urls);
    }

    /** URLs separated by commas: {@code http://cp-a:15010,http://cp-b:15010}. */
    public static ControlPlaneReplicas parse(String commaSeparated) {
        List<URI> urls = new ArrayList<>();
        for (String part : commaSeparated.split(",")) {
            if (!part.isBlank()) {
                urls.add(URI.create(part.trim()));
            }
        }
        return new ControlPlaneReplicas(urls);
    }

    public List<URI> all() {
        return urls;
    }

    public int size() {
        return urls.size();
    }

    /** The replica to talk to now. */
    public URI current() {
        return urls.get(current.get());
    }

    /**
     * Moves on from {@code failed} to the next replica, unless someone already moved on from it (the poller and
     * the registrar often find a dead replica at the same moment: it must be skipped once, not twice).
     *
     * @return the replica to talk to now
     */
    public URI failover(URI failed) {
        int index = urls.indexOf(failed);
        if (index >= 0) {
            current.compareAndSet(index, (index + 1) % urls.size());
        }
        return current();
    }

    /** The URI of an API path on {@code base}, as {@code /v1/snapshot?service=orders}. */
    public static URI resolve(URI base, String pathAndQuery) {
        String text = base.toString();
        return URI.create((text.endsWith("/") ? text.substring(0, text.length() - 1) : text) + pathAndQuery);
    }

    @Override
    public String toString() {
        return String.join(",", urls.stream().map(URI::toString).toList());
    }
}
