package io.weft.runtime.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Presents this workload's current certificate, whatever it is at the moment of each handshake: one
 * {@code SSLContext} serves every rotation. New handshakes get the new certificate; connections already open keep
 * the session they have.
 *
 * <p>JSSE first chooses an alias and then asks for that alias's chain and key in separate calls, so a rotation
 * between them could pair a new chain with an old key. Each generation therefore has its own alias
 * ({@code weft-<serial>}), and the last few generations stay resolvable by it.
 *
 * <p>The issuers a peer names are not consulted: in the mesh there is one CA, and a peer that does not trust it
 * refuses the certificate in any case, which says more than sending none.
 */
public final class RotatingKeyManager extends X509ExtendedKeyManager {

    private static final String PREFIX = "weft-";
    private static final int GENERATIONS_KEPT = 4;

    private final IdentitySource source;
    private final Map<String, WorkloadMaterial> recent = new LinkedHashMap<>(8, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, WorkloadMaterial> eldest) {
            return size() > GENERATIONS_KEPT;
        }
    };

    public RotatingKeyManager(IdentitySource source) {
        this.source = source;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseAny(keyTypes);
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return chooseAny(keyTypes);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return choose(keyType);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        String alias = choose(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        WorkloadMaterial m = lookup(alias);
        return m == null ? null : m.chain().toArray(new X509Certificate[0]);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        WorkloadMaterial m = lookup(alias);
        return m == null ? null : m.privateKey();
    }

    private String chooseAny(String[] keyTypes) {
        if (keyTypes == null) {
            return null;
        }
        for (String keyType : keyTypes) {
            String alias = choose(keyType);
            if (alias != null) {
                return alias;
            }
        }
        return null;
    }

    /** The alias of the current material if its key fits {@code keyType} ("EC", or "EC_EC" in old TLS 1.2). */
    private String choose(String keyType) {
        WorkloadMaterial m = source.current();
        if (m == null || keyType == null) {
            return null;
        }
        String algorithm = m.privateKey().getAlgorithm();
        if (!keyType.equals(algorithm) && !keyType.startsWith(algorithm + "_")) {
            return null;
        }
        String alias = PREFIX + m.serial();
        synchronized (recent) {
            recent.put(alias, m);
        }
        return alias;
    }

    private WorkloadMaterial lookup(String alias) {
        if (alias == null) {
            return null;
        }
        synchronized (recent) {
            WorkloadMaterial m = recent.get(alias);
            if (m != null) {
                return m;
            }
        }
        // Asked without choosing first (some callers list aliases, then read): only the current one resolves.
        WorkloadMaterial m = source.current();
        return m != null && alias.equals(PREFIX + m.serial()) ? m : null;
    }
}
