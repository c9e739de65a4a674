package io.weft.sidecar.support;

/**
 * One response the proxy's client got, on an HTTP/1.1 connection or an HTTP/2 stream.
 *
 * @param localReply the proxy's {@code x-weft-local-reply}: null when the response came from the backend
 */
public record Answer(int status, String localReply, String body) {

    public boolean fromProxy() {
        return localReply != null;
    }
}
