package io.weft.runtime.engine;

import java.net.SocketTimeoutException;

/** A call ran past its route's overall timeout. A {@link SocketTimeoutException}, as clients already expect. */
public final class MeshTimeoutException extends SocketTimeoutException {

    public MeshTimeoutException(String message, Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
