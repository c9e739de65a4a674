package io.weft.sidecar.listener;

import io.netty.handler.ssl.SslContext;

import java.util.Objects;

/**
 * How a listener takes its next connection. Asked once per accepted connection, so that a change of the service's
 * TLS mode applies to the next connection without a restart (requests on open ones are still authorized one by one).
 */
@FunctionalInterface
public interface DownstreamTls {

    /** The outbound listener: the local app talks plaintext to the sidecar on loopback. */
    DownstreamTls PLAINTEXT = () -> Choice.PLAINTEXT;

    Choice forNewConnection();

    /**
     * @param context the server context for {@link Kind#TLS} and {@link Kind#TLS_OR_PLAINTEXT}; null otherwise
     */
    record Choice(Kind kind, SslContext context) {

        public static final Choice PLAINTEXT = new Choice(Kind.PLAINTEXT, null);
        public static final Choice REFUSE = new Choice(Kind.REFUSE, null);

        public Choice {
            Objects.requireNonNull(kind);
            if ((kind == Kind.TLS || kind == Kind.TLS_OR_PLAINTEXT) != (context != null)) {
                throw new IllegalArgumentException(kind + " with" + (context == null ? "out" : "") + " a TLS context");
            }
        }

        public static Choice tls(SslContext context) {
            return new Choice(Kind.TLS, context);
        }

        public static Choice tlsOrPlaintext(SslContext context) {
            return new Choice(Kind.TLS_OR_PLAINTEXT, context);
        }
    }

    enum Kind {
        PLAINTEXT,
        /** TLS only: anything else fails the handshake and the connection closes. */
        TLS,
        /** TLS or plaintext, told apart by the first bytes. */
        TLS_OR_PLAINTEXT,
        /** Closed at once, before a byte is read. */
        REFUSE
    }
}
