package io.weft.control.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.PutResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.weft.control.store.StoreUnavailableException;
import io.weft.runtime.config.DurationFormat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The etcd calls the store makes, each bounded by the timeout: a call that fails to reach etcd becomes a
 * {@link StoreUnavailableException} and marks etcd down in {@link EtcdHealth}; writes while it is down are refused at
 * once.
 */
final class Etcd implements AutoCloseable {

    private final Client client;
    private final Duration timeout;
    private final EtcdHealth health;

    private Etcd(Client client, Duration timeout, EtcdHealth health) {
        this.client = client;
        this.timeout = timeout;
        this.health = health;
    }

    static Etcd connect(EtcdSettings settings, EtcdHealth health) {
        Client client = Client.builder()
                .endpoints(settings.endpoints().toArray(new java.net.URI[0]))
                .connectTimeout(settings.timeout())
                // Our own timeout bounds every call; jetcd's retries must not outlast it.
                .retryMaxDuration(settings.timeout())
                .build();
        return new Etcd(client, settings.timeout(), health);
    }

    /** @throws StoreUnavailableException if etcd is known to be down: the replica is read-only */
    void checkWritable() {
        if (!health.available()) {
            throw new StoreUnavailableException(health.unavailableMessage());
        }
    }

    /** A linearizable read of one key, or of every key under it with {@code prefix}. */
    GetResponse get(ByteSequence key, boolean prefix) {
        return await(client.getKVClient().get(key, GetOption.builder().isPrefix(prefix).build()), "read");
    }

    PutResponse put(ByteSequence key, ByteSequence value, long lease) {
        return await(client.getKVClient().put(key, value, PutOption.builder().withLeaseId(lease).build()), "write");
    }

    DeleteResponse delete(ByteSequence key) {
        return await(client.getKVClient().delete(key), "delete");
    }

    /** If {@code condition} holds, {@code then}; else {@code otherwise}. */
    TxnResponse txn(Cmp condition, Op then, Op otherwise) {
        return await(client.getKVClient().txn().If(condition).Then(then).Else(otherwise).commit(), "transaction");
    }

    /** A new lease of {@code seconds}; etcd may make it longer (its minimum TTL). */
    long grant(long seconds) {
        return await(client.getLeaseClient().grant(seconds), "lease grant").getID();
    }

    /** Renews a lease; false if it has expired or never was. */
    boolean keepAlive(long lease) {
        try {
            return await(client.getLeaseClient().keepAliveOnce(lease), "lease renewal").getTTL() > 0;
        } catch (LeaseNotFound e) {
            return false;
        }
    }

    /** Revokes a lease in the background, deleting its keys; it expires anyway if this fails. */
    void revokeQuietly(long lease) {
        client.getLeaseClient().revoke(lease);
    }

    /** Watches every key under {@code prefix} from {@code revision} on. */
    Watch.Watcher watch(ByteSequence prefix, long revision, Watch.Listener listener) {
        return client.getWatchClient().watch(prefix,
                WatchOption.builder().isPrefix(true).withRevision(revision).build(), listener);
    }

    private <T> T await(CompletableFuture<T> call, String what) {
        try {
            return call.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw unavailable(what + " took longer than " + DurationFormat.format(timeout), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof EtcdException etcd && etcd.getErrorCode() == ErrorCode.NOT_FOUND) {
                throw new LeaseNotFound();
            }
            throw unavailable(what + " failed: " + cause, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreUnavailableException("interrupted during etcd " + what, e);
        }
    }

    private StoreUnavailableException unavailable(String message, Throwable cause) {
        health.down(message);
        return new StoreUnavailableException("etcd " + message, cause);
    }

    @Override
    public void close() {
        client.close();
    }

    /** etcd's answer to renewing a lease it does not have. */
    private static final class LeaseNotFound extends RuntimeException {
        LeaseNotFound() {
            super(null, null, false, false);
        }
    }
}
