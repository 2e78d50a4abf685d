package io.phasegrid.common.analysis;

/**
 * A dependency the analyser added without a {@code Depends on} line saying so.
 *
 * @param key the phase that must finish first
 * @param reason why, in words, with the file that shows it
 */
public record InferredDependency(String key, String reason) {
}
