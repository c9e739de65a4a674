package io.weft.sidecar;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.weft.runtime.WeftRuntime;
import io.weft.runtime.inbound.InboundAuthorizer;
import io.weft.runtime.inbound.InboundPolicy;
import io.weft.runtime.telemetry.AccessLog;
import io.weft.runtime.telemetry.InboundTracer;
import io.weft.runtime.telemetry.OtlpTracing;
import io.weft.runtime.telemetry.TracingSettings;
import io.weft.sidecar.listener.DownstreamTls;
import io.weft.sidecar.listener.Listener;
import io.weft.sidecar.proxy.BufferMeter;
import io.weft.sidecar.proxy.InFlight;
import io.weft.sidecar.proxy.LocalAppRouter;
import io.weft.sidecar.proxy.MeshRouter;
import io.weft.sidecar.proxy.ProxyContext;
import io.weft.sidecar.proxy.Router;
import io.weft.sidecar.security.InboundAuthorization;
import io.weft.sidecar.security.InboundTls;
import io.weft.sidecar.upstream.UpstreamConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A running sidecar: the engine ({@link WeftRuntime}), the outbound listener that sends the app's calls through it,
 * and (with an app port) the inbound listener that hands mesh traffic to the app, whose instance it registers.
 * An admin server can run beside it from {@link #runtime()}, {@link #isReady()} and {@link #drain(Duration)}.
 *
 * <p>Lifecycle: {@link #start} binds and returns at once; {@link #isReady()} turns true when the first config is
 * in force; {@link #drain} stops accepting and waits for exchanges in flight; {@link #close} ends everything
 * (deregistering the instance).
 */
public final class Sidecar implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Sidecar.class);

    private final SidecarSettings settings;
    private final EventLoopGroup acceptors = new NioEventLoopGroup(1, new DefaultThreadFactory("weft-sidecar-accept"));
    private final EventLoopGroup workers;
    private final UpstreamConnector connector;
    private final BufferMeter meter = new BufferMeter();
    private final InFlight inFlight = new InFlight();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch configLoaded = new CountDownLatch(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile WeftRuntime runtime;
    private OtlpTracing tracing;
    private volatile Listener inbound;
    private Listener outbound;

    private Sidecar(SidecarSettings settings) {
        this.settings = settings;
        this.workers = new NioEventLoopGroup(settings.workerThreads(), new DefaultThreadFactory("weft-sidecar-worker"));
        this.connector = new UpstreamConnector(settings.limits());
    }

    /** Binds the listeners and starts the engine; fails (cleaning up) if a port is taken or the config is invalid. */
    public static Sidecar start(SidecarSettings settings) throws InterruptedException {
        Sidecar s = new Sidecar(settings);
        try {
            s.startAll();
            return s;
        } catch (RuntimeException | InterruptedException | Error e) {
            s.close();
            throw e;
        }
    }

    private void startAll() throws InterruptedException {
        SidecarTelemetry t = settings.telemetry();
        if (t.otlpEndpoint() != null) {
            tracing = OtlpTracing.create(TracingSettings.of(t.otlpEndpoint()).withSamplingRatio(t.traceSampling())
                    .withServiceName(settings.service() == null ? "weft-sidecar" : settings.service()));
        }
        // The runtime first: the inbound listener takes its service's TLS mode and rules from it on every connection.
        runtime = buildRuntime();
        if (settings.appPort() != null) {
            inbound = bindInbound();
            if (settings.controlPlane() != null) {
                runtime.register(advertiseAddress(), inbound.port(), settings.labels());
            }
        }
        outbound = bind("outbound", settings.outboundBind(), settings.outboundPort(),
                new MeshRouter(runtime.engine(), this::isConfigLoaded), DownstreamTls.PLAINTEXT);
        Thread watcher = new Thread(this::awaitFirstConfig, "weft-sidecar-readiness");
        watcher.setDaemon(true);
        watcher.start();
        log.info("weft sidecar{}: outbound on {}{}", settings.service() == null ? "" : " of " + settings.service(),
                outbound.address(), inbound == null ? " (no app port: no inbound listener)"
                        : ", inbound on " + inbound.address() + " to app at " + settings.appHost() + ":" + settings.appPort());
    }

    /** Mesh traffic to the app: mTLS as the service's mode says, every request authorized by its rules. */
    private Listener bindInbound() throws InterruptedException {
        InboundAuthorizer authorizer = settings.service() == null ? null : runtime.inboundAuthorizer();
        if (authorizer == null) {
            log.warn("weft sidecar: no --service, so the inbound listener applies no TLS mode or authorization "
                    + "rules (plaintext, everyone allowed)");
        }
        Router app = new LocalAppRouter(settings.appHost(), settings.appPort(),
                tracing == null ? null : new InboundTracer(tracing.openTelemetry()),
                () -> inbound == null ? 0 : inbound.port());
        InboundTls tls = new InboundTls(settings.service(),
                authorizer == null ? () -> InboundPolicy.OPEN : authorizer::policy, runtime.identity(),
                this::isConfigLoaded);
        return bind("inbound", settings.inboundBind(), settings.inboundPort(),
                new InboundAuthorization(authorizer, app), tls);
    }

    private Listener bind(String name, String host, int port, Router router, DownstreamTls tls)
            throws InterruptedException {
        try {
            return Listener.bind(name, host, port, acceptors, workers,
                    new ProxyContext(router, connector, meter, inFlight, draining::get), settings.limits(),
                    settings.drainTimeout(), tls);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot listen on " + host + ":" + port + " (" + name + "): " + e.getMessage(), e);
        }
    }

    private WeftRuntime buildRuntime() {
        WeftRuntime.Builder b = WeftRuntime.builder();
        SidecarTelemetry t = settings.telemetry();
        if (t.adminPort() != null) {
            b.admin(new InetSocketAddress(t.adminBind(), t.adminPort()), this::isReady);
        }
        if (t.accessLog()) {
            b.listener(new AccessLog());
        }
        if (tracing != null) {
            b.tracer(tracing.tracer());
        }
        if (settings.configFile() != null) {
            b.configPath(settings.configFile());
        }
        if (settings.service() != null) {
            b.service(settings.service()); // whose inbound rules apply, with or without a control plane
        }
        if (settings.identity() != null) {
            b.identity(settings.identity(), null, null);
        }
        if (settings.controlPlane() != null) {
            b.controlPlane(settings.controlPlane(), settings.token());
            if (settings.controlPlaneCa() != null) {
                b.controlPlaneCa(settings.controlPlaneCa());
            }
            if (settings.cacheDir() != null) {
                b.cacheDir(settings.cacheDir());
            }
        }
        return b.build();
    }

    private String advertiseAddress() {
        if (settings.advertiseAddress() != null) {
            return settings.advertiseAddress();
        }
        String bind = settings.inboundBind();
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
            return bind;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot tell this host's address to register; set --advertise-address", e);
        }
    }

    private void awaitFirstConfig() {
        try {
            while (!closed.get()) {
                if (runtime.awaitConfig(Duration.ofSeconds(1))) {
                    configLoaded.countDown();
                    log.info("weft sidecar ready: mesh config in force");
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean isConfigLoaded() {
        return configLoaded.getCount() == 0;
    }

    /** The engine and its config, for an admin server (stats, config dump) beside the sidecar. */
    public WeftRuntime runtime() {
        return runtime;
    }

    /** Ready to carry traffic: the first config is in force and the sidecar is not draining. */
    public boolean isReady() {
        return isConfigLoaded() && !draining.get();
    }

    /** Waits until the first config is in force; false if it is not after {@code timeout}. */
    public boolean awaitReady(Duration timeout) throws InterruptedException {
        return configLoaded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The admin port, or -1 without one. */
    public int adminPort() {
        return runtime == null ? -1 : runtime.adminPort();
    }

    public InetSocketAddress outboundAddress() {
        return outbound.address();
    }

    /** The inbound listener's address, when there is an app to forward to. */
    public Optional<InetSocketAddress> inboundAddress() {
        return Optional.ofNullable(inbound).map(Listener::address);
    }

    /** Body bytes held by the proxy now and at most: backpressure keeps this small whatever the body sizes. */
    public BufferMeter bufferMeter() {
        return meter;
    }

    /** Requests (and upgraded connections) in progress. */
    public int inFlight() {
        return inFlight.count();
    }

    public SidecarSettings settings() {
        return settings;
    }

    /**
     * Stops accepting connections, lets the requests in flight finish (keep-alive connections close after their
     * current response; HTTP/2 connections get GOAWAY) and returns when none is left or {@code timeout} has passed.
     *
     * @return true if every exchange finished in time
     */
    public boolean drain(Duration timeout) throws InterruptedException {
        if (draining.compareAndSet(false, true)) {
            log.info("weft sidecar draining: {} request(s) in flight, waiting up to {}", inFlight.count(), timeout);
            if (runtime != null) {
                // Out of the registry first, so that callers stop choosing this instance while it drains.
                runtime.deregister();
            }
            for (Listener l : listeners()) {
                l.stopAccepting();
                l.connections().drain();
            }
        }
        boolean done = inFlight.awaitNone(timeout);
        if (!done) {
            log.warn("weft sidecar: {} request(s) still in flight after the {} drain timeout; closing them", inFlight.count(), timeout);
        }
        return done;
    }

    /** Closes every connection at once, the engine and its registration. Draining first is the caller's choice. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        draining.set(true);
        try {
            for (Listener l : listeners()) {
                l.stopAccepting();
                l.connections().closeAll();
            }
            connector.close();
            if (runtime != null) {
                runtime.close(); // deregisters the app's instance
            }
            if (tracing != null) {
                tracing.close(); // exports what is left
            }
        } finally {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
            terminated.countDown();
        }
    }

    /** Waits until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        terminated.await();
    }

    private List<Listener> listeners() {
        List<Listener> all = new ArrayList<>(2);
        if (outbound != null) {
            all.add(outbound);
        }
        if (inbound != null) {
            all.add(inbound);
        }
        return all;
    }
}
