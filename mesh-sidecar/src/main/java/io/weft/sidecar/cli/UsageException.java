package io.weft.sidecar.cli;

/** The command line is wrong; the message names the flag and what is expected. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
