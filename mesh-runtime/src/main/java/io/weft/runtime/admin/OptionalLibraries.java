package io.weft.runtime.admin;

/**
 * Which optional libraries the application has. Kept apart from the classes that use them: loading a class that
 * names a missing type in its method signatures fails, so the question must be asked from a class that names none.
 */
public final class OptionalLibraries {

    private OptionalLibraries() {
    }

    /** micrometer-registry-prometheus (1.13+ package names). */
    public static boolean prometheus() {
        return present("io.micrometer.prometheusmetrics.PrometheusMeterRegistry");
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, OptionalLibraries.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
