package io.tapline.internal.catalog;

/** Meltano's plugin types that tapline runs. */
public enum PluginType {
    EXTRACTORS, LOADERS, MAPPERS;

    public String singular() {
        return switch (this) {
            case EXTRACTORS -> "extractor";
            case LOADERS -> "loader";
            case MAPPERS -> "mapper";
        };
    }
}
