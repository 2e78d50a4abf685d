package io.phasegrid.common.settings;

/**
 * One effective setting with its provenance.
 *
 * @param name the setting's name as used by {@code phasegrid config --set} ({@code max_parallel})
 * @param configPath where it lives in {@code config.json} ({@code parallelization.max_concurrent_agents})
 * @param value the effective value
 * @param source where the value came from
 * @param detail what was read, when it explains the value ({@code parallelization: false})
 */
public record Setting<T>(String name, String configPath, T value, SettingSource source, String detail) {
}
