package io.tapline;

import io.tapline.spi.StateStrategy;
import java.util.Optional;

/**
 * How the CLI (or an embedding app) asks a {@link Project} to run a pipeline. Immutable.
 *
 * @param environment Meltano environment name; the project's {@code default_environment} when empty
 * @param stateIdSuffix appended to the state id as {@code :<suffix>}
 * @param pipeline batch, commit and state behaviour
 * @param stateStrategy Meltano's {@code --state-strategy}: whether the run's states merge onto the stored one
 */
public record RunOptions(Optional<String> environment, Optional<String> stateIdSuffix, PipelineOptions pipeline,
        StateStrategy stateStrategy) {
    public RunOptions(Optional<String> environment, Optional<String> stateIdSuffix, PipelineOptions pipeline) {
        this(environment, stateIdSuffix, pipeline, StateStrategy.AUTO);
    }

    public static RunOptions defaults() {
        return new RunOptions(Optional.empty(), Optional.empty(), PipelineOptions.defaults());
    }
}
