package io.weft.sidecar.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The bytes of an h2c client's connection start and one GET, written by hand (HPACK literals, no Huffman) so that a
 * test can send what a real client's codec would refuse to, a {@code :path} with a space say.
 */
public final class H2cRequest {

    private H2cRequest() {
    }

    /**
     * The preface, empty SETTINGS, and a GET of {@code path} for {@code orders} on stream 1: END_STREAM on its HEADERS,
     * or else on an empty DATA frame after them.
     */
    public static byte[] get(String path, boolean endStreamOnHeaders) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82); // :method GET
        block.write(0x86); // :scheme http
        literal(block, 0x04, path); // :path
        literal(block, 0x01, "orders"); // :authority
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(out, 0x4, 0, 0, new byte[0]); // SETTINGS
        frame(out, 0x1, endStreamOnHeaders ? 0x5 : 0x4, 1, block.toByteArray()); // HEADERS, END_HEADERS
        if (!endStreamOnHeaders) {
            frame(out, 0x0, 0x1, 1, new byte[0]); // empty DATA with END_STREAM
        }
        return out.toByteArray();
    }

    /** A literal header field without indexing, its name one of the static table's. */
    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        byte[] v = value.getBytes(StandardCharsets.US_ASCII);
        block.write(nameIndex);
        block.write(v.length);
        block.writeBytes(v);
    }

    private static void frame(ByteArrayOutputStream out, int type, int flags, int stream, byte[] payload) {
        out.writeBytes(new byte[] {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
                (byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8), (byte) stream});
        out.writeBytes(payload);
    }
}
