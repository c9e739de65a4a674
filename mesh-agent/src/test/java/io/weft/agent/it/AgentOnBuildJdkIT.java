package io.weft.agent.it;

import io.weft.agent.it.support.ItEnv;

/** The agent's scenarios on the JDK that runs the build (JDK 17 here). */
class AgentOnBuildJdkIT extends AgentScenarios {

    @Override
    ItEnv.Jdk jdk() {
        return ItEnv.buildJdk();
    }
}
