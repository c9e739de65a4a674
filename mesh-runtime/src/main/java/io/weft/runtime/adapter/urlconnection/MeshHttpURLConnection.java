package io.weft.runtime.adapter.urlconnection;

import io.weft.api.Endpoint;
import io.weft.api.MeshResponse;
import io.weft.api.OutboundRequest;
import io.weft.runtime.engine.Attempt;
import io.weft.runtime.engine.LocalReply;
import io.weft.runtime.engine.MeshCall;
import io.weft.runtime.engine.MeshEngine;
import io.weft.runtime.engine.Transport;

import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import javax.net.ssl.HttpsURLConnection;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An {@link HttpURLConnection} to a mesh service. It records what the app sets and writes, and when the app first
 * asks for the response, runs the call through the engine: each attempt is a real {@code HttpURLConnection} to the
 * chosen endpoint. Request bodies are buffered so an attempt can be sent again; the response is read from the
 * connection of the last attempt, streaming as usual.
 */
public final class MeshHttpURLConnection extends HttpURLConnection {

    /** Opens a plain connection to an endpoint's URL; the agent passes one that skips its own instrumentation. */
    @FunctionalInterface
    public interface Opener {
        HttpURLConnection open(URL url) throws IOException;
    }

    private final MeshEngine engine;
    private final Opener opener;
    private ByteArrayOutputStream body;
    private Map<String, List<String>> requestHeaders;
    private UrlConnectionResponse response;
    private IOException failure;

    public MeshHttpURLConnection(URL url, MeshEngine engine, Opener opener) {
        super(url);
        this.engine = engine;
        this.opener = opener;
    }

    /** Opens a connection to {@code url}, through the mesh when its host is a mesh service. */
    public static HttpURLConnection open(MeshEngine engine, URL url) throws IOException {
        if (engine.isMeshHost(url.getHost()) && isHttp(url)) {
            return new MeshHttpURLConnection(url, engine, u -> (HttpURLConnection) u.openConnection(Proxy.NO_PROXY));
        }
        return (HttpURLConnection) url.openConnection();
    }

    static boolean isHttp(URL url) {
        return "http".equalsIgnoreCase(url.getProtocol()) || "https".equalsIgnoreCase(url.getProtocol());
    }

    @Override
    public synchronized void connect() {
        if (!connected) {
            requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            requestHeaders.putAll(getRequestProperties());
            connected = true;
        }
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (!doOutput) {
            throw new ProtocolException("cannot write to a URLConnection if doOutput=false - call setDoOutput(true)");
        }
        if (response != null || failure != null) {
            throw new ProtocolException("cannot write request body after response has been read");
        }
        if ("GET".equals(method)) {
            method = "POST"; // As the JDK's own connection does.
        }
        if (body == null) {
            body = new ByteArrayOutputStream();
        }
        connect();
        return body;
    }

    @Override
    public void disconnect() {
        UrlConnectionResponse r = response;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public boolean usingProxy() {
        return false;
    }

    @Override
    public int getResponseCode() throws IOException {
        return response().status();
    }

    @Override
    public String getResponseMessage() throws IOException {
        return response().message();
    }

    @Override
    public InputStream getInputStream() throws IOException {
        UrlConnectionResponse r = response();
        if (r.status() >= 400) {
            if (r.status() == 404 || r.status() == 410) {
                throw new FileNotFoundException(url.toString());
            }
            throw new IOException("Server returned HTTP response code: " + r.status() + " for URL: " + url);
        }
        return r.body();
    }

    @Override
    public InputStream getErrorStream() {
        UrlConnectionResponse r = response;
        if (r == null || r.status() < 400) {
            return null;
        }
        try {
            return r.body();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String getHeaderField(String name) {
        List<String> values = headerFields().get(name);
        if (values == null && name != null) {
            for (Map.Entry<String, List<String>> e : headerFields().entrySet()) {
                if (name.equalsIgnoreCase(e.getKey())) {
                    values = e.getValue();
                    break;
                }
            }
        }
        return values == null || values.isEmpty() ? null : values.get(values.size() - 1);
    }

    @Override
    public Map<String, List<String>> getHeaderFields() {
        return headerFields();
    }

    @Override
    public String getHeaderFieldKey(int n) {
        UrlConnectionResponse r = quietResponse();
        return r == null ? null : r.headerKey(n);
    }

    @Override
    public String getHeaderField(int n) {
        UrlConnectionResponse r = quietResponse();
        return r == null ? null : r.headerValue(n);
    }

    private Map<String, List<String>> headerFields() {
        UrlConnectionResponse r = quietResponse();
        return r == null ? Map.of() : r.headers();
    }

    /** As the JDK's connection: header getters answer null instead of throwing when the call failed. */
    private UrlConnectionResponse quietResponse() {
        try {
            return response();
        } catch (IOException e) {
            return null;
        }
    }

    private synchronized UrlConnectionResponse response() throws IOException {
        if (response != null) {
            return response;
        }
        if (failure != null) {
            throw failure;
        }
        connect();
        MeshCall call = engine.newCall(url.getHost(), new View());
        try {
            response = call == null ? new UrlTransport().send(new Attempt(Endpoint.of(url.getHost(), port()), 0, 0))
                    : call.execute(new UrlTransport());
            return response;
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    private int port() {
        return url.getPort() != -1 ? url.getPort() : url.getDefaultPort();
    }

    private final class View implements OutboundRequest {
        @Override
        public String method() {
            return method;
        }

        @Override
        public String path() {
            String p = url.getPath();
            return p == null || p.isEmpty() ? "/" : p;
        }

        @Override
        public String header(String name) {
            List<String> values = requestHeaders.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final class UrlTransport implements Transport<UrlConnectionResponse> {
        @Override
        public UrlConnectionResponse send(Attempt attempt) throws IOException {
            Endpoint e = attempt.endpoint();
            HttpURLConnection c = opener.open(new URL(attempt.scheme(url.getProtocol()), e.host(), e.port(), url.getFile()));
            if (attempt.tls() != null) {
                if (!(c instanceof HttpsURLConnection https)) {
                    throw new IOException("weft: an mTLS attempt to " + e + " got a " + c.getClass().getName()
                            + ", not an HttpsURLConnection");
                }
                // The JDK keeps connections per socket factory, so mTLS and other connections never mix; the
                // trust manager checks the destination's SPIFFE ID, so the address is not checked as a name.
                https.setSSLSocketFactory(attempt.tls().context().getSocketFactory());
                https.setHostnameVerifier((host, session) -> true);
            }
            c.setRequestMethod(method);
            c.setInstanceFollowRedirects(getInstanceFollowRedirects());
            c.setUseCaches(false);
            c.setConnectTimeout(bound(getConnectTimeout(), attempt.timeoutMillis()));
            c.setReadTimeout(bound(getReadTimeout(), attempt.timeoutMillis()));
            requestHeaders.forEach((name, values) -> {
                if (name != null) {
                    values.forEach(v -> c.addRequestProperty(name, v));
                }
            });
            attempt.headers().forEach(c::setRequestProperty);
            if (body != null) {
                byte[] bytes = body.toByteArray();
                c.setDoOutput(true);
                c.setFixedLengthStreamingMode(bytes.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(bytes);
                }
            }
            return UrlConnectionResponse.of(c);
        }

        @Override
        public int status(UrlConnectionResponse r) {
            return r.status();
        }

        @Override
        public void discard(UrlConnectionResponse r) {
            r.close();
        }

        @Override
        public UrlConnectionResponse localReply(LocalReply reply) {
            return UrlConnectionResponse.local(reply.status(), reply.reason(),
                    Map.of(MeshResponse.LOCAL_REPLY_HEADER, reply.reason(), "Content-Type", "text/plain; charset=utf-8"),
                    (reply.message() + "\n").getBytes(StandardCharsets.UTF_8));
        }

        /** The app's timeout (0 = none), cut to the attempt's. */
        private int bound(int own, long attemptMillis) {
            if (attemptMillis <= 0) {
                return own;
            }
            int t = (int) Math.min(Integer.MAX_VALUE, attemptMillis);
            return own > 0 ? Math.min(own, t) : t;
        }
    }
}
