package io.tapline.internal.catalog;

import java.util.Locale;
import java.util.Optional;

/**
 * Every plugin type the Meltano Hub lists. tapline runs three of them ({@link PluginType}); the
 * catalog knows all, so lookups and {@code hub search} cover what users know from the Hub.
 */
public enum CatalogType {
    EXTRACTORS, LOADERS, MAPPERS, UTILITIES, TRANSFORMERS, ORCHESTRATORS, FILES;

    /** The Hub's folder and API name ({@code extractors}, ...). */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static Optional<CatalogType> fromKey(String key) {
        for (CatalogType t : values()) {
            if (t.key().equals(key)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    public static CatalogType of(PluginType type) { return valueOf(type.name()); }

    /** The runnable type, for the three tapline runs. */
    public Optional<PluginType> runnable() {
        return switch (this) {
            case EXTRACTORS -> Optional.of(PluginType.EXTRACTORS);
            case LOADERS -> Optional.of(PluginType.LOADERS);
            case MAPPERS -> Optional.of(PluginType.MAPPERS);
            default -> Optional.empty();
        };
    }
}
