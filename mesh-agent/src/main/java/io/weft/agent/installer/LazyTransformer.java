package io.weft.agent.installer;

import io.weft.agent.bootstrap.WeftBridge;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.Map;
import java.util.Set;

/**
 * Applies byte-buddy advice to a handful of classes, found by exact name when the JVM loads (or retransforms)
 * them. Nothing else is examined, and byte-buddy itself is only loaded when a target class turns up, so a JVM
 * that never touches an HTTP client pays next to nothing for the agent.
 */
final class LazyTransformer implements ClassFileTransformer {

    /**
     * One class to change: its methods named {@code method} (constructors: {@code <init>}) with {@code parameters}
     * parameters, the first of type {@code firstParameter} when that is not null, and the advice class to inline into
     * them. Plain names rather than byte-buddy matchers, so that byte-buddy is not loaded to describe them.
     */
    record Target(String className, String method, int parameters, String firstParameter, String advice) {
        static final String CONSTRUCTOR = "<init>";

        String internalName() {
            return className.replace('.', '/');
        }

        ElementMatcher<MethodDescription> methods() {
            ElementMatcher.Junction<MethodDescription> m = method.equals(CONSTRUCTOR)
                    ? ElementMatchers.isConstructor() : ElementMatchers.named(method);
            m = m.and(ElementMatchers.takesArguments(parameters));
            return firstParameter == null ? m : m.and(ElementMatchers.takesArgument(0, ElementMatchers.named(firstParameter)));
        }
    }

    private final Map<String, Target> targets;
    private final Instrumentation inst;
    private final ClassLoader agentLoader;

    LazyTransformer(Map<String, Target> targetsByInternalName, Instrumentation inst, ClassLoader agentLoader) {
        this.targets = targetsByInternalName;
        this.inst = inst;
        this.agentLoader = agentLoader;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
                            ProtectionDomain domain, byte[] bytes) {
        Target target = className == null ? null : targets.get(className);
        if (target == null) {
            return null;
        }
        try {
            // Advice inlined into a named module (java.base, java.net.http) calls the bridge in the bootstrap
            // loader's unnamed module, which such a module does not read by default.
            if (module != null && module.isNamed()) {
                Module bridge = WeftBridge.class.getModule();
                if (!module.canRead(bridge)) {
                    inst.redefineModule(module, Set.of(bridge), Map.of(), Map.of(), Set.of(), Map.of());
                }
            }
            return apply(target, loader, bytes);
        } catch (Throwable t) {
            AgentLog.warnOnce("could not instrument " + target.className() + " (" + t + "); its calls go on without the mesh");
            return null;
        }
    }

    /**
     * Loads and runs byte-buddy once on a class of our own, off the app's threads, so the first real target
     * (often an app's first HTTP client, built on its main thread) does not pay for byte-buddy's start.
     */
    void warmUp() {
        try {
            String name = WarmUpTarget.class.getName();
            byte[] bytes;
            try (java.io.InputStream in = agentLoader.getResourceAsStream(name.replace('.', '/') + ".class")) {
                bytes = in.readAllBytes();
            }
            apply(new Target(name, "run", 0, null, io.weft.agent.instrumentation.HttpClientBuildAdvice.class.getName()),
                    agentLoader, bytes);
        } catch (Throwable t) {
            // Only a head start; the real transformations report their own problems.
        }
    }

    /** Something for {@link #warmUp()} to transform; never loaded as changed. */
    static final class WarmUpTarget {
        Object run() {
            return null;
        }
    }

    private byte[] apply(Target target, ClassLoader loader, byte[] bytes) {
        ClassFileLocator own = ClassFileLocator.Simple.of(target.className(), bytes);
        ClassFileLocator agent = ClassFileLocator.ForClassLoader.of(agentLoader);
        ClassFileLocator context = new ClassFileLocator.Compound(own,
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader),
                agent);
        TypePool pool = TypePool.Default.of(context);
        TypeDescription type = pool.describe(target.className()).resolve();
        TypeDescription advice = TypePool.Default.of(agent).describe(target.advice()).resolve();
        return new ByteBuddy()
                .with(TypeValidation.DISABLED)
                // Retransformation may not add members; keep the class's shape exactly.
                .with(Implementation.Context.Disabled.Factory.INSTANCE)
                .redefine(type, own)
                .visit(Advice.to(advice, agent).on(target.methods()))
                .make(pool)
                .getBytes();
    }
}
