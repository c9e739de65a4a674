package io.weft.control.ca;

/** A certificate request the CA refuses; the message is meant for the caller (a 400). */
public final class InvalidRequestException extends Exception {

    public InvalidRequestException(String message) {
        super(message, null, false, false);
    }
}
