package io.tapline.spi;

import io.tapline.spi.ConfigException;
import io.tapline.spi.StateWriteMode;
import java.util.Locale;

/**
 * Meltano's {@code --state-strategy}: whether a run's state is merged onto the stored state
 * (written as a partial state, Meltano's {@code INCOMPLETE_STATE}) or replaces it ({@code STATE}).
 */
public enum StateStrategy {
    /** Merge on a full refresh (a refresh of some streams must not forget the others), else overwrite. */
    AUTO,
    MERGE,
    OVERWRITE;

    /** Parses {@code auto}, {@code merge} or {@code overwrite}, as Meltano spells them. */
    public static StateStrategy parse(String s) {
        for (StateStrategy v : values()) {
            if (v.name().equalsIgnoreCase(s.trim())) {
                return v;
            }
        }
        throw new ConfigException("--state-strategy must be auto, merge or overwrite, not '" + s + "'");
    }

    /**
     * Meltano's {@code StateStrategy.from_cli_args}: the deprecated {@code --merge-state} turns
     * {@code auto} into {@code merge} and cannot be combined with an explicit strategy.
     */
    public static StateStrategy fromCliArgs(boolean mergeState, StateStrategy strategy) {
        if (!mergeState) {
            return strategy;
        }
        if (strategy != AUTO) {
            throw new ConfigException("--merge-state cannot be combined with --state-strategy "
                    + strategy.name().toLowerCase(Locale.ROOT) + "; use --state-strategy merge alone");
        }
        return MERGE;
    }

    /** Whether the run's states are merged onto the stored one ({@code should_merge_states}). */
    public boolean merges(boolean fullRefresh) {
        return switch (this) {
            case AUTO -> fullRefresh;
            case MERGE -> true;
            case OVERWRITE -> false;
        };
    }

    public StateWriteMode writeMode(boolean fullRefresh) {
        return merges(fullRefresh) ? StateWriteMode.PARTIAL : StateWriteMode.COMPLETE;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
