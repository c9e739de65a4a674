package io.weft.spring.support;

import io.weft.api.ServiceName;
import io.weft.runtime.security.IdentitySource;
import io.weft.runtime.security.MeshTls;
import io.weft.runtime.security.SpiffeId;
import io.weft.runtime.security.TestCa;
import io.weft.runtime.security.WorkloadMaterial;
import io.weft.spring.WeftRuntimeCustomizer;

import java.net.http.HttpClient;
import javax.net.ssl.SSLContext;

/** One test CA and the workload certificates the tests present, without a control plane. */
public final class MeshCerts {

    public static final TestCa CA = new TestCa("mesh");
    public static final WorkloadMaterial ORDERS = CA.issue(id("orders"));
    public static final WorkloadMaterial FRONTEND = CA.issue(id("frontend"));
    public static final WorkloadMaterial BILLING = CA.issue(id("billing"));

    private MeshCerts() {
    }

    public static SpiffeId id(String service) {
        return SpiffeId.forWorkload("weft.local", "default", service);
    }

    /** Gives the app's runtime a fixed identity. */
    public static WeftRuntimeCustomizer identity(WorkloadMaterial material) {
        return builder -> builder.identity(IdentitySource.of(material), null, null);
    }

    /** A frontend's certificate from another CA that trusts ours: only the server's check can refuse it. */
    public static WorkloadMaterial foreignFrontend() {
        WorkloadMaterial foreign = new TestCa("elsewhere").issue(id("frontend"));
        return new WorkloadMaterial(foreign.id(), foreign.privateKey(), foreign.chain(), CA.bundle());
    }

    /** A JDK client that presents {@code material} and accepts only a server proving {@code service}'s identity. */
    public static HttpClient client(WorkloadMaterial material, String service) {
        SSLContext context = MeshTls.create(IdentitySource.of(material), null, null).clientContext(ServiceName.of(service));
        return HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
    }
}
