package okhttp3;

import java.io.Closeable;

/** A status and a body read whole. */
public final class Response implements Closeable {

    private final int code;
    private final ResponseBody body;

    Response(int code, ResponseBody body) {
        this.code = code;
        this.body = body;
    }

    public int code() {
        return code;
    }

    public ResponseBody body() {
        return body;
    }

    @Override
    public void close() {
    }
}
