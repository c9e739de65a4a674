package io.weft.agent.it;

import io.weft.agent.it.support.ItEnv;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout of the built {@code weft-agent.jar}, which keeps the agent out of the app's way. Fails the build if a
 * class leaks: at the root (visible to the system loader, and to the bootstrap loader where the agent has to append
 * the jar to its search path) only
 * the premain class, the agent's class loader and the bridge; under {@code inst/} only Weft's own classes and
 * libraries relocated under {@code io.weft.shaded}; OkHttp, Okio and Kotlin nowhere (the app brings its own).
 */
class AgentJarLayoutIT {

    private static final Pattern ROOT_ALLOWED = Pattern.compile(
            "META-INF/.*|io/weft/agent/(WeftAgent|AgentClassLoader)(\\$[^/]*)?\\.class|io/weft/agent/bootstrap/.+");
    /** Directories that lead to what is allowed at the root. */
    private static final Set<String> ROOT_DIRS = Set.of("META-INF/", "io/", "io/weft/", "io/weft/agent/",
            "io/weft/agent/bootstrap/", "inst/");
    /** OkHttp's, Okio's and Kotlin's own classes, at the root, under inst/ or relocated: the app brings its own. */
    private static final Pattern APP_LIBRARIES = Pattern.compile("^(inst/)?(io/weft/shaded/)?(okhttp3|okio|kotlin|kotlinx)/");
    private static final Pattern CLASS_IN_DESCRIPTOR = Pattern.compile("L([a-zA-Z_$][\\w$]*(/[\\w$]+)+);");

    private static List<JarEntry> entries(JarFile jar) {
        return Collections.list(jar.entries());
    }

    @Test
    void onlyTheBootstrapPartIsAtTheRoot() throws IOException {
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            List<String> leaked = new ArrayList<>();
            for (JarEntry e : entries(jar)) {
                String name = e.getName();
                if (name.startsWith("inst/") || ROOT_DIRS.contains(name)) {
                    continue;
                }
                boolean ok = ROOT_ALLOWED.matcher(name).matches() && !(name.startsWith("META-INF/") && name.endsWith(".class"));
                if (!ok) {
                    leaked.add(name);
                }
            }
            assertThat(leaked).as("entries at the root of the agent jar outside META-INF/ and io/weft/agent/"
                    + "{WeftAgent,AgentClassLoader,bootstrap/**}").isEmpty();
            assertThat(jar.getJarEntry("io/weft/agent/WeftAgent.class")).isNotNull();
            assertThat(jar.getJarEntry("io/weft/agent/AgentClassLoader.class")).isNotNull();
            assertThat(entries(jar).stream().map(JarEntry::getName)
                    .filter(n -> n.startsWith("io/weft/agent/bootstrap/") && n.endsWith(".class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')))
                    .as("the bridge's classes, which the agent defines in the bootstrap loader by name")
                    .containsExactlyInAnyOrderElementsOf(io.weft.agent.WeftAgent.BRIDGE_CLASSES);
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("io.weft.agent.WeftAgent");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
        }
    }

    @Test
    void everyClassUnderInstIsWeftsOwnOrRelocated() throws IOException {
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            List<String> leaked = new ArrayList<>();
            int classes = 0;
            for (JarEntry e : entries(jar)) {
                String name = e.getName();
                if (!name.startsWith("inst/")) {
                    continue;
                }
                if (name.endsWith(".class")) {
                    leaked.add(name + " (stored as .class: visible as a resource)");
                } else if (name.endsWith(".classdata")) {
                    classes++;
                    if (!name.startsWith("inst/io/weft/")) {
                        leaked.add(name);
                    }
                }
            }
            assertThat(leaked).as("classes under inst/ outside io/weft/ (an unrelocated dependency)").isEmpty();
            assertThat(classes).as("classes under inst/").isGreaterThan(100);
            assertThat(jar.getJarEntry("inst/io/weft/agent/installer/AgentInstaller.classdata")).isNotNull();
        }
    }

    @Test
    void noOkHttpOkioOrKotlinAnywhere() throws IOException {
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            List<String> found = entries(jar).stream().map(JarEntry::getName)
                    .filter(n -> APP_LIBRARIES.matcher(n).find()).toList();
            assertThat(found).as("OkHttp, Okio or Kotlin in the agent jar: the app's own copy must be used").isEmpty();
        }
    }

    /**
     * A relocation that missed something shows in the bytes: an agent class that names, say,
     * {@code com/fasterxml/jackson/databind/ObjectMapper} while the jar carries that class as
     * {@code io/weft/shaded/com/fasterxml/jackson/databind/ObjectMapper} would link to the app's copy, or to none.
     * Every class named in a class's constant pool and member descriptors is checked against the packages the jar
     * carries relocated.
     */
    @Test
    void noAgentClassNamesAPackageThatItCarriesRelocated() throws IOException {
        String shaded = "inst/io/weft/shaded/";
        Set<String> relocatedPackages = new TreeSet<>();
        Map<String, byte[]> classes = new TreeMap<>();
        try (JarFile jar = new JarFile(ItEnv.agentJar().toFile())) {
            for (JarEntry e : entries(jar)) {
                String name = e.getName();
                if (name.endsWith(".classdata") || name.endsWith(".class")) {
                    if (name.startsWith(shaded)) {
                        relocatedPackages.add(name.substring(shaded.length(), name.lastIndexOf('/')));
                    }
                    try (InputStream in = jar.getInputStream(e)) {
                        classes.put(name, in.readAllBytes());
                    }
                }
            }
        }
        assertThat(relocatedPackages).as("relocated packages").isNotEmpty();
        Map<String, Set<String>> missed = new TreeMap<>();
        for (Map.Entry<String, byte[]> c : classes.entrySet()) {
            for (String ref : referencedClasses(c.getValue())) {
                int slash = ref.lastIndexOf('/');
                if (slash > 0 && !ref.startsWith("io/weft/") && relocatedPackages.contains(ref.substring(0, slash))) {
                    missed.computeIfAbsent(ref.substring(0, slash), k -> new TreeSet<>()).add(c.getKey());
                }
            }
        }
        Map<String, String> report = new TreeMap<>();
        missed.forEach((pkg, users) -> report.put(pkg, users.size() + " classes, e.g. " + users.iterator().next()));
        assertThat(report).as("packages named unrelocated by the agent's classes, though the jar carries them relocated")
                .isEmpty();
    }

    @Test
    void theTestAppsJarHoldsOnlyTheApps() throws IOException {
        try (JarFile jar = new JarFile(ItEnv.appsJar().toFile())) {
            List<String> other = entries(jar).stream().map(JarEntry::getName)
                    .filter(n -> !n.startsWith("META-INF/") && !n.startsWith("example/")).toList();
            assertThat(other).as("the apps run with no Weft class on their class path").isEmpty();
        }
    }

    /**
     * The classes a class file names: its constant pool's Class entries and the types in the descriptors of its
     * member references and of its own fields and methods (not annotation values or signatures, which do not link).
     */
    static Set<String> referencedClasses(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new IOException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classIndexes = new ArrayList<>();
        List<Integer> descriptorIndexes = new ArrayList<>();
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 7 -> classIndexes.add(in.readUnsignedShort());
                case 16 -> descriptorIndexes.add(in.readUnsignedShort());
                case 12 -> {
                    in.readUnsignedShort();
                    descriptorIndexes.add(in.readUnsignedShort());
                }
                case 8, 19, 20 -> in.readUnsignedShort();
                case 3, 4, 9, 10, 11, 17, 18 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IOException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort(); // access
        in.readUnsignedShort(); // this
        in.readUnsignedShort(); // super
        int interfaces = in.readUnsignedShort();
        for (int i = 0; i < interfaces; i++) {
            in.readUnsignedShort();
        }
        for (int kind = 0; kind < 2; kind++) { // fields, then methods
            int members = in.readUnsignedShort();
            for (int m = 0; m < members; m++) {
                in.readUnsignedShort();
                in.readUnsignedShort();
                descriptorIndexes.add(in.readUnsignedShort());
                int attributes = in.readUnsignedShort();
                for (int a = 0; a < attributes; a++) {
                    in.readUnsignedShort();
                    in.skipNBytes(in.readInt() & 0xFFFFFFFFL);
                }
            }
        }
        Set<String> refs = new TreeSet<>();
        for (int idx : classIndexes) {
            String n = utf8[idx];
            if (n == null) {
                continue;
            }
            if (n.startsWith("[")) {
                descriptor(n, refs);
            } else {
                refs.add(n);
            }
        }
        for (int idx : descriptorIndexes) {
            if (utf8[idx] != null) {
                descriptor(utf8[idx], refs);
            }
        }
        return refs;
    }

    private static void descriptor(String descriptor, Set<String> refs) {
        Matcher m = CLASS_IN_DESCRIPTOR.matcher(descriptor);
        while (m.find()) {
            refs.add(m.group(1));
        }
    }
}
