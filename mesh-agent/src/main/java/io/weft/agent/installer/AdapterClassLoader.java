package io.weft.agent.installer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;

/**
 * Defines a library's adapter classes (the runtime's OkHttp interceptor, say) next to the app's copy of that
 * library: the library's own classes come from the app's loader, so the adapter implements the app's
 * {@code okhttp3.Interceptor} whatever OkHttp version the app has; everything else (engine, JDK) comes from the
 * agent's loader, so all adapters share one engine. One per app loader that has the library.
 */
final class AdapterClassLoader extends ClassLoader {

    static {
        registerAsParallelCapable();
    }

    private final ClassLoader app;
    private final ClassLoader agent;
    private final String[] adapterPackages;
    private final String[] libraryPackages;

    AdapterClassLoader(ClassLoader app, ClassLoader agent, String[] adapterPackages, String[] libraryPackages) {
        super("weft-adapter", null);
        this.app = app;
        this.agent = agent;
        this.adapterPackages = adapterPackages;
        this.libraryPackages = libraryPackages;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (startsWithAny(name, adapterPackages)) {
                    c = define(name);
                } else if (startsWithAny(name, libraryPackages)) {
                    c = app.loadClass(name);
                } else {
                    c = agent.loadClass(name);
                }
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
        URL url = agent.getResource(name.replace('.', '/') + ".class");
        if (url == null) {
            throw new ClassNotFoundException(name);
        }
        try (InputStream in = url.openStream()) {
            byte[] bytes = in.readAllBytes();
            return defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
        }
    }

    private static boolean startsWithAny(String name, String[] prefixes) {
        for (String p : prefixes) {
            if (name.startsWith(p)) {
                return true;
            }
        }
        return false;
    }
}
