package io.phasegrid.common.roadmap;

/**
 * A declared dependency after resolution: the key of the phase depended on and the line that declared it.
 *
 * @param key resolved phase key
 * @param text the reference as written ({@code Phase 85})
 * @param source the {@code Depends on} line
 */
public record Dependency(String key, String text, SourceRef source) {
}
