package io.weft.runtime.engine;

import io.weft.runtime.resilience.Outcome;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/** Classifies the JDK's I/O exceptions, which most clients throw or wrap, into attempt outcomes. */
public final class Failures {

    private Failures() {
    }

    public static Outcome classify(Throwable failure) {
        Outcome outcome = classifyChain(failure);
        if (outcome == Outcome.CONNECT_FAILED && anEarlierTryMayHaveSent(failure)) {
            return Outcome.RESET_AFTER_SEND;
        }
        return outcome;
    }

    /**
     * A client that retries on its own throws its last failure with the earlier ones suppressed. OkHttp does so
     * when a pooled connection fails: its second try on a new connection may be refused (the endpoint just died),
     * but the first may have delivered the request before the endpoint died. A refused connect then does not prove
     * the request never left, and retrying a POST on another endpoint could run it twice.
     */
    private static boolean anEarlierTryMayHaveSent(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Throwable earlier : t.getSuppressed()) {
                if (classifyChain(earlier).maybeSent()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Outcome classifyChain(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof CallCancelledException) {
                return Outcome.CANCELLED;
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof UnknownHostException || t instanceof PortUnreachableException
                    || t instanceof HttpConnectTimeoutException) {
                return Outcome.CONNECT_FAILED;
            }
            if (t instanceof SocketTimeoutException && isConnectTimeout(t)) {
                return Outcome.CONNECT_FAILED;
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException
                    || (t instanceof InterruptedIOException && "timeout".equals(t.getMessage()))) {
                return Outcome.TIMED_OUT;
            }
        }
        return Outcome.RESET_AFTER_SEND;
    }

    private static boolean isConnectTimeout(Throwable t) {
        String m = t.getMessage();
        return m != null && m.toLowerCase(Locale.ROOT).contains("connect timed out");
    }

    static IOException asIOException(Throwable t) {
        return t instanceof IOException io ? io : new IOException(t);
    }
}
