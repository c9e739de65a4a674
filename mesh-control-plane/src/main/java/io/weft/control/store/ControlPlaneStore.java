package io.weft.control.store;

import io.weft.control.ca.CaSettings;
import io.weft.control.ca.CertificateAuthority;
import io.weft.control.config.RejectedChange;
import io.weft.control.registry.ServiceRegistry;
import io.weft.control.snapshot.MeshState;
import io.weft.control.snapshot.VersionOrder;

import java.time.Clock;
import java.util.Optional;

/**
 * Where the control plane keeps what it serves: config documents, the service registry, the CA's material and
 * the snapshot version. {@link io.weft.control.store.embedded.EmbeddedStore} keeps them in a config directory,
 * memory and a CA directory, for one process; {@link io.weft.control.store.etcd.EtcdStore} keeps them in etcd,
 * so that several replicas serve one truth.
 *
 * <p>Either way, snapshots are served from memory: a store hands out {@link #state()} at once, and calls its
 * {@link #onChange} listeners when it changed.
 */
public interface ControlPlaneStore extends AutoCloseable {

    /**
     * The certificate authority, loaded or created at first start. Called before {@link #start()}.
     *
     * @param keyPassphrase what the CA key is encrypted with in a shared store; null for the embedded store
     */
    CertificateAuthority certificateAuthority(CaSettings settings, char[] keyPassphrase, Clock clock);

    /**
     * Reads the state to serve and starts following its changes.
     *
     * @throws io.weft.runtime.config.ConfigException if the config is invalid: there is nothing to serve yet
     * @throws StoreUnavailableException              if the store cannot be reached
     */
    void start();

    /** The state to publish, read at one moment so that content and proposed version belong together. */
    MeshState state();

    /** Called after every change that may alter {@link #state()}; on a store thread, must not block. */
    void onChange(Runnable listener);

    /** Which snapshot versions a client is owed: {@link VersionOrder#NEWER_ONLY} when versions are shared. */
    VersionOrder versionOrder();

    ServiceRegistry registry();

    /** The config documents admins write through the API, or empty when config comes from elsewhere (files). */
    Optional<ConfigDocuments> documents();

    /** The last config change that failed validation and is not served, or null. */
    RejectedChange lastRejected();

    StoreStatus status();

    /**
     * True when writes go over the network: the HTTP server then runs them on a thread of their own instead of on
     * the event loop that also carries the long polls.
     */
    boolean remote();

    @Override
    void close();
}
