package io.weft.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * Loads the agent's own code (the runtime and its relocated libraries), stored in the agent jar under
 * {@code inst/} as {@code .classdata} so that no other class loader sees it. Its parent is the platform loader:
 * the agent sees the JDK and the bridge, never the app's classes.
 */
public final class AgentClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private static final String PREFIX = "inst/";

    private final JarFile jar;
    private final URL jarUrl;
    private final ProtectionDomain domain;

    public AgentClassLoader(JarFile jar, URL jarUrl, ClassLoader parent) {
        super("weft-agent", parent);
        this.jar = jar;
        this.jarUrl = jarUrl;
        this.domain = new ProtectionDomain(new CodeSource(jarUrl, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".classdata");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
        definePackageFor(name);
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    private void definePackageFor(String className) {
        int dot = className.lastIndexOf('.');
        if (dot > 0) {
            String pkg = className.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException alreadyDefinedConcurrently) {
                    // Another thread won the race; fine.
                }
            }
        }
    }

    @Override
    protected URL findResource(String name) {
        // Class files are stored as .classdata; tools that read class bytes as resources (byte-buddy) ask for .class.
        String stored = name.endsWith(".class") ? name.substring(0, name.length() - 6) + ".classdata" : name;
        JarEntry entry = jar.getJarEntry(PREFIX + stored);
        if (entry == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + PREFIX + stored);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }
}
