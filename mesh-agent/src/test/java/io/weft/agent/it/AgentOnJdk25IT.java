package io.weft.agent.it;

import io.weft.agent.it.support.ItEnv;

/**
 * The agent's scenarios on JDK 25 ({@code -Dit.jdk25=<JDK home>}, by default
 * {@code /usr/lib/jvm/temurin-25-jdk-amd64}); skipped, saying why, where that JDK is absent.
 */
class AgentOnJdk25IT extends AgentScenarios {

    @Override
    ItEnv.Jdk jdk() {
        return ItEnv.jdk25();
    }
}
