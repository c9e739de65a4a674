package io.weft.control.store.etcd;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.weft.control.ca.SharedCaStorage;
import io.weft.runtime.config.ConfigMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The CA's certificate and encrypted key in etcd, one JSON value per name, replaced only by compare-and-set. */
final class EtcdCaStorage implements SharedCaStorage {

    private final Etcd etcd;
    private final EtcdKeys keys;

    EtcdCaStorage(Etcd etcd, EtcdKeys keys) {
        this.etcd = etcd;
        this.keys = keys;
    }

    @Override
    public Optional<StoredCa> read(String name) {
        return etcd.get(keys.ca(name), false).getKvs().stream().findFirst().map(kv -> decode(name, kv));
    }

    @Override
    public StoredCa compareAndSet(String name, StoredCa expected, StoredCa next) {
        ByteSequence key = keys.ca(name);
        Cmp unchanged = expected == null ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.createRevision(0))
                : new Cmp(key, Cmp.Op.EQUAL, CmpTarget.value(encode(expected)));
        TxnResponse response = etcd.txn(unchanged, Op.put(key, encode(next), PutOption.DEFAULT),
                Op.get(key, GetOption.DEFAULT));
        if (response.isSucceeded()) {
            return next;
        }
        return response.getGetResponses().get(0).getKvs().stream().findFirst().map(kv -> decode(name, kv))
                .orElseThrow(() -> new IllegalStateException("CA '" + name + "' changed and vanished meanwhile"));
    }

    private static ByteSequence encode(StoredCa ca) {
        try {
            return ByteSequence.from(ConfigMapper.json().writeValueAsBytes(ca));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static StoredCa decode(String name, KeyValue kv) {
        try {
            return ConfigMapper.json().readValue(kv.getValue().getBytes(), StoredCa.class);
        } catch (IOException e) {
            throw new UncheckedIOException("the CA '" + name + "' in etcd is unreadable: " + e.getMessage(), e);
        }
    }
}
