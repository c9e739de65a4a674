package io.weft.control.snapshot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.weft.runtime.config.ConfigMapper;
import io.weft.runtime.config.ServiceConfig;
import io.weft.runtime.control.SnapshotMessage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Turns services into the bytes and hash of a snapshot, deterministically. */
final class SnapshotSerializer {

    // Labels are Map.copyOf maps, whose iteration order changes from JVM to JVM; sorted keys keep the hash stable
    // across restarts, so an unchanged config keeps its ETag.
    private static final ObjectWriter WRITER =
            ConfigMapper.json().writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private SnapshotSerializer() {
    }

    static String hash(List<ServiceConfig> services) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(WRITER.writeValueAsBytes(services)));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash the snapshot", e);
        }
    }

    static byte[] body(SnapshotMessage message) {
        try {
            return WRITER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the snapshot", e);
        }
    }
}
