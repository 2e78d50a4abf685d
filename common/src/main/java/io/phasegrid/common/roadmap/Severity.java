package io.phasegrid.common.roadmap;

/** Warnings never stop an analysis; errors make the roadmap unrunnable. */
public enum Severity {
    WARNING,
    ERROR
}
