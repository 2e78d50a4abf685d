package io.phasegrid.cli;

import picocli.CommandLine;

/** Reads the version from the jar manifest (the Maven project version). */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = PhaseGridCommand.class.getPackage().getImplementationVersion();
        return new String[] {"phasegrid " + (version == null ? "development build" : version),
            "JVM: ${java.version} (${java.vendor})"};
    }
}
