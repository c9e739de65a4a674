package io.weft.control.store.etcd;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;

import java.util.function.LongSupplier;

/**
 * The base snapshot versions count etcd revisions from: {@code version = epoch + revision}, the same on every
 * replica. Written once, by the first replica to start on an empty etcd, as the wall clock in microseconds. Why not
 * the bare revision: an etcd rebuilt from nothing starts its revisions again near 1, and runtimes holding versions
 * of the old one would wait for the new one to catch up; a new epoch is larger than any old version (unless the old
 * etcd saw more than a million writes per second on average).
 */
final class EtcdEpoch {

    private EtcdEpoch() {
    }

    static long readOrCreate(Etcd etcd, EtcdKeys keys, LongSupplier clockMillis) {
        ByteSequence key = keys.epoch();
        ByteSequence mine = EtcdKeys.bytes(Long.toString(clockMillis.getAsLong() * 1000));
        TxnResponse response = etcd.txn(new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0)),
                Op.put(key, mine, PutOption.DEFAULT), Op.get(key, GetOption.DEFAULT));
        String value = response.isSucceeded() ? EtcdKeys.text(mine)
                : EtcdKeys.text(response.getGetResponses().get(0).getKvs().get(0).getValue());
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalStateException(EtcdKeys.text(key) + " in etcd is '" + value + "', not a number; "
                    + "delete it to start a new epoch", e);
        }
    }
}
