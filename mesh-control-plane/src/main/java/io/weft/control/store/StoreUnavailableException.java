package io.weft.control.store;

/**
 * The store cannot be reached, so nothing can be written: the API answers 503, and the control plane keeps
 * serving the last state it read.
 */
public final class StoreUnavailableException extends RuntimeException {

    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreUnavailableException(String message) {
        super(message);
    }
}
