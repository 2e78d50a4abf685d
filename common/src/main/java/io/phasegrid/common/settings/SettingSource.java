package io.phasegrid.common.settings;

/** Where an effective setting came from, lowest precedence first. */
public enum SettingSource {
    DEFAULT("default"),
    CONFIG_JSON("config.json"),
    FLAG("flag");

    private final String label;

    SettingSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
