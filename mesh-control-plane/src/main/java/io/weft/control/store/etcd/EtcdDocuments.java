package io.weft.control.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.weft.control.store.ConfigDocument;
import io.weft.control.store.ConfigDocuments;
import io.weft.control.store.RevisionConflictException;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Config documents in etcd, one key per service. A write is a transaction on the key's modification revision, so
 * it happens only if nobody wrote the key since the revision the admin named; otherwise it reads the current
 * revision to say which one to name.
 */
final class EtcdDocuments implements ConfigDocuments {

    private final Etcd etcd;
    private final EtcdKeys keys;
    private final EtcdMirror mirror;
    private final Duration timeout;

    EtcdDocuments(Etcd etcd, EtcdKeys keys, EtcdMirror mirror, Duration timeout) {
        this.etcd = etcd;
        this.keys = keys;
        this.mirror = mirror;
        this.timeout = timeout;
    }

    @Override
    public Optional<ConfigDocument> get(String service) {
        return mirror.document(service);
    }

    @Override
    public long put(String service, String text, long expectedRevision) throws RevisionConflictException {
        ByteSequence key = keys.config(service);
        TxnResponse response = conditional(service, key, expectedRevision,
                Op.put(key, EtcdKeys.bytes(text), PutOption.DEFAULT));
        return served(response.getHeader().getRevision());
    }

    @Override
    public OptionalLong delete(String service, long expectedRevision) throws RevisionConflictException {
        ByteSequence key = keys.config(service);
        TxnResponse response = conditional(service, key, expectedRevision, Op.delete(key, DeleteOption.DEFAULT));
        if (response.getDeleteResponses().get(0).getDeleted() == 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(served(response.getHeader().getRevision()));
    }

    /** {@code write} if the key is still at {@code expected} (0: absent), else a conflict naming the revision now. */
    private TxnResponse conditional(String service, ByteSequence key, long expected, Op write)
            throws RevisionConflictException {
        etcd.checkWritable();
        TxnResponse response = etcd.txn(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expected)), write,
                Op.get(key, GetOption.DEFAULT));
        if (!response.isSucceeded()) {
            long current = response.getGetResponses().get(0).getKvs().stream()
                    .mapToLong(KeyValue::getModRevision).findFirst().orElse(0);
            throw new RevisionConflictException(service, expected, current);
        }
        return response;
    }

    /** Returns once this replica serves the write, so that the admin's next read here sees it. */
    private long served(long revision) {
        try {
            mirror.awaitServed(revision, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return revision;
    }
}
