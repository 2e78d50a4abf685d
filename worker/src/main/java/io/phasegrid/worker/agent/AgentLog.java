package io.phasegrid.worker.agent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one logger of the agent's parts: operators configure {@code io.phasegrid.worker.agent.WorkerAgent} and get
 * every line about polls, heartbeats, executions and reports, whichever class of the agent writes it.
 */
final class AgentLog {

    static final Logger LOG = LoggerFactory.getLogger(WorkerAgent.class);

    private AgentLog() {
    }
}
