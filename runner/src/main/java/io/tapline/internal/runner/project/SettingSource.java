package io.tapline.internal.runner.project;

/**
 * Where a setting's value came from, highest precedence first (Meltano's {@code SettingValueStore}
 * order; tapline has no system database, so there is no DB layer).
 */
public enum SettingSource {
    ENV("the environment"),
    DOTENV("the project's .env"),
    MELTANO_ENVIRONMENT("the active environment in meltano.yml"),
    MELTANO_YML("meltano.yml"),
    INHERITED("the parent plugin"),
    DEFAULT("the setting's default");

    private final String description;

    SettingSource(String description) {
        this.description = description;
    }

    public String description() { return description; }
}
