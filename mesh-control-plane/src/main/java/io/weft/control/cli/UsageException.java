package io.weft.control.cli;

/** The command line is wrong; the message names the argument. Exit code 2. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message, null, false, false);
    }
}
