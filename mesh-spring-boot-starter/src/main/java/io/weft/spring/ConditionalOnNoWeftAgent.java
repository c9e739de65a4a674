package io.weft.spring;

import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Matches when the Weft agent is not in this JVM. Under the agent the starter stands down: the agent already has a
 * runtime that meshes the app's HTTP clients, and a second one would keep its own breakers, ejections and meters
 * for the same endpoints.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(ConditionalOnNoWeftAgent.Condition.class)
public @interface ConditionalOnNoWeftAgent {

    final class Condition extends SpringBootCondition {

        private static final AtomicBoolean told = new AtomicBoolean();

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            boolean agent = WeftAgentDetector.agentPresent();
            if (agent && told.compareAndSet(false, true)) {
                LoggerFactory.getLogger(WeftAutoConfiguration.class).info("The Weft agent is in this JVM: it meshes "
                        + "the app's HTTP clients and serves telemetry on its admin port; the starter stands down.");
            }
            return agent
                    ? ConditionOutcome.noMatch("the Weft agent is in this JVM (" + WeftAgentDetector.BRIDGE_CLASS
                    + " is on the bootstrap class path); it meshes the app's clients")
                    : ConditionOutcome.match("no Weft agent in this JVM");
        }
    }
}
