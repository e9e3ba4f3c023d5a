package io.tapline;

import java.util.Optional;

/**
 * How the CLI (or an embedding app) asks a {@link Project} to run a pipeline. Immutable.
 *
 * @param environment Meltano environment name; the project's {@code default_environment} when empty
 * @param stateIdSuffix appended to the state id as {@code :<suffix>}
 * @param pipeline batch, commit and state behaviour
 */
public record RunOptions(Optional<String> environment, Optional<String> stateIdSuffix, PipelineOptions pipeline) {
    public static RunOptions defaults() {
        return new RunOptions(Optional.empty(), Optional.empty(), PipelineOptions.defaults());
    }
}
