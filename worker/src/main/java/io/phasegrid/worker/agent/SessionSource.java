package io.phasegrid.worker.agent;

/** Where the agent's parts get the current registered session (blocking while there is none). */
@FunctionalInterface
interface SessionSource {

    Connection.Session session() throws InterruptedException;
}
