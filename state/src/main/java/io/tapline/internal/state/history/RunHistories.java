package io.tapline.internal.state.history;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeSet;

/** Opens the run history a {@link HistoryLocation} names: DuckDB here, a database through its provider. */
public final class RunHistories {
    private RunHistories() {}

    /**
     * @throws ConfigException naming the masked URI when no provider on the class path serves its scheme
     * @throws io.tapline.spi.StateStoreException when the history cannot be opened
     */
    public static RunHistory open(HistoryLocation location, Map<String, String> environment, ClassLoader loader) {
        if (location instanceof HistoryLocation.File f) {
            return DuckDbRunHistory.open(f.path());
        }
        return database((HistoryLocation.Database) location, environment, loader);
    }

    private static RunHistory database(HistoryLocation.Database d, Map<String, String> environment, ClassLoader loader) {
        String scheme = d.uri().getScheme() == null ? "" : d.uri().getScheme().toLowerCase(Locale.ROOT);
        TreeSet<String> offered = new TreeSet<>();
        for (RunHistoryProvider p : ServiceLoader.load(RunHistoryProvider.class, loader)) {
            if (p.schemes().contains(scheme)) {
                return p.open(d.uri(), environment);
            }
            offered.addAll(p.schemes());
        }
        throw new ConfigException(ErrorCode.CONFIG_INVALID, "tapline.history '" + d.describe() + "': no run history "
                + "serves the scheme '" + scheme + "' (available here: a DuckDB file path" + (offered.isEmpty() ? ""
                : ", " + String.join(", ", offered)) + ")");
    }
}
