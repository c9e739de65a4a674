package io.weft.sidecar.support;

import io.weft.api.ServiceName;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.MeshTls;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.TestCa;
import io.weft.runtime.security.WorkloadMaterial;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * Workload certificates of one test CA (spiffe://weft.local/ns/default/sa/&lt;service&gt;), and the TLS contexts of
 * clients and servers that are not sidecars.
 */
public final class MeshIdentities {

    public static final TestCa CA = new TestCa("mesh");
    private static final Map<String, WorkloadMaterial> ISSUED = new ConcurrentHashMap<>();

    private MeshIdentities() {
    }

    public static SpiffeId id(String service) {
        return SpiffeId.forWorkload("weft.local", "default", service);
    }

    public static WorkloadMaterial material(String service) {
        return ISSUED.computeIfAbsent(service, s -> CA.issue(id(s)));
    }

    public static IdentitySource of(String service) {
        return IdentitySource.of(material(service));
    }

    public static MeshTls tls(String service) {
        return MeshTls.create(of(service), null, null);
    }

    /** A client that presents {@code caller}'s certificate and accepts only a server that is {@code server}. */
    public static SSLContext client(String caller, String server) {
        return tls(caller).clientContext(ServiceName.of(server));
    }

    /** A client certificate of {@code service} from another CA, from a client that trusts this mesh's CA. */
    public static SSLContext foreignClient(String service, String server) {
        WorkloadMaterial foreign = new TestCa("elsewhere").issue(id(service));
        WorkloadMaterial trustsUs = new WorkloadMaterial(foreign.id(), foreign.privateKey(), foreign.chain(), CA.bundle());
        return MeshTls.create(IdentitySource.of(trustsUs), null, null).clientContext(ServiceName.of(server));
    }
}
