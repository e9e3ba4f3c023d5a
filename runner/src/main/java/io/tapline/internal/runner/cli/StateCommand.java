package io.tapline.internal.runner.cli;

import io.tapline.internal.runner.project.ProjectSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.StateBlob;
import io.tapline.spi.StateWriteMode;
import io.tapline.spi.StateBackend;
import io.tapline.spi.StateStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tapline state list|get|set|merge|clear|copy|move|migrate}: Meltano's {@code meltano state} over the
 * project's state backend, whichever it is (every verb goes through the {@link StateStore} SPI). States go in and come out as Meltano shows them,
 * {@code {"singer_state": {...}}}; {@code set} and {@code copy} store a complete state, {@code merge}
 * a partial one, so the next run reads the merge of both.
 */
@Command(name = "state", description = "Manage the stored Singer state of the project's pipelines.",
        subcommands = {StateCommand.ListIds.class, StateCommand.Get.class, StateCommand.Set.class,
            StateCommand.Merge.class, StateCommand.Clear.class, StateCommand.Copy.class, StateCommand.Move.class,
            StateCommand.Migrate.class})
final class StateCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SINGER_STATE = "singer_state";

    @ParentCommand Main main;

    /** The project's state backend, opened (and checked) now; the caller closes it. */
    StateBackend store() {
        return main.openProject().stateStore();
    }

    /** Meltano's {@code json_merged()} view: {@code {"singer_state": ...}}, or {@code {}} with no state. */
    static ObjectNode stateOf(StateStore store, String stateId) {
        ObjectNode out = JSON.createObjectNode();
        store.read(stateId).ifPresent(s -> out.set(SINGER_STATE, parse(s.json(), "the stored state of " + stateId)));
        return out;
    }

    /** Meltano's {@code validate_state}: the root must hold {@code singer_state} (case D22). */
    static StateBlob validated(String json, String source) {
        JsonNode node = parse(json, source);
        if (!node.isObject() || !node.has(SINGER_STATE)) {
            throw new ConfigException("singer_state not found in top level of the state in " + source
                    + " (expected {\"singer_state\": {...}})");
        }
        return new StateBlob(node.get(SINGER_STATE).toString());
    }

    private static JsonNode parse(String json, String source) {
        try {
            return JSON.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ConfigException("the state in " + source + " is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state file " + file, e);
        }
    }

    /** Meltano asks before destructive commands unless {@code --force}; with no terminal we cannot ask. */
    static boolean confirmed(boolean force, String prompt, PrintWriter err) {
        if (force) {
            return true;
        }
        java.io.Console console = System.console();
        if (console == null) {
            err.println(prompt + " No terminal to confirm on: pass --force.");
            return false;
        }
        String answer = console.readLine("%s [y/N]: ", prompt);
        return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
    }

    /** A state given inline or in a file: exactly one of the two. */
    static final class StateInput {
        @Option(names = "--input-file", description = "read the state from this JSON file") Path inputFile;

        String json(Optional<String> inline) {
            if (inline.isPresent() == (inputFile != null)) {
                throw new ConfigException("Must provide exactly one of: --input-file, STATE");
            }
            return inline.orElseGet(() -> read(inputFile));
        }

        String source(Optional<String> inline) {
            return inline.isPresent() ? "the STATE argument" : inputFile.toString();
        }
    }

    @Command(name = "list", description = "List the state ids that hold state.")
    static final class ListIds implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Option(names = "--pattern", description = "only ids matching this glob (* ? [seq])") Optional<String> pattern;

        @Override
        public Integer call() {
            java.util.List<String> ids;
            try (StateBackend store = state.store()) {
                ids = store.stateIds(pattern);
            }
            if (ids.isEmpty()) {
                spec.commandLine().getErr().println("No state IDs found.");
            }
            ids.forEach(spec.commandLine().getOut()::println);
            return 0;
        }
    }

    @Command(name = "get", description = "Print the state the next run of a state id starts from.")
    static final class Get implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "STATE_ID", description = "the state id (see state list)") String stateId;

        @Override
        public Integer call() {
            try (StateBackend store = state.store()) {
                spec.commandLine().getOut().println(stateOf(store, stateId).toString());
            }
            return 0;
        }
    }

    @Command(name = "set", description = "Replace the state of a state id.")
    static final class Set implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "STATE_ID", description = "the state id (see state list)") String stateId;
        @Parameters(index = "1", arity = "0..1", paramLabel = "STATE",
                description = "the state as JSON, {\"singer_state\": {...}} (or use --input-file)")
        Optional<String> inline;
        @ArgGroup(exclusive = false) StateInput input = new StateInput();
        @Option(names = "--force", description = "don't ask for confirmation") boolean force;

        @Override
        public Integer call() {
            StateBlob blob = validated(input.json(inline), input.source(inline));
            if (!confirmed(force, "This will overwrite the state's current value. Continue?", spec.commandLine().getErr())) {
                return 1;
            }
            try (StateBackend store = state.store()) {
                store.save(stateId, blob, StateWriteMode.COMPLETE);
            }
            spec.commandLine().getErr().println("State for " + stateId + " was successfully set.");
            return 0;
        }
    }

    @Command(name = "merge", description = "Merge bookmarks into the state of a state id.")
    static final class Merge implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "STATE_ID", description = "the state id (see state list)") String stateId;
        @Parameters(index = "1", arity = "0..1", paramLabel = "STATE",
                description = "the state as JSON, {\"singer_state\": {...}} (or use --input-file)")
        Optional<String> inline;
        @ArgGroup(exclusive = false) StateInput input = new StateInput();
        @Option(names = "--from-state-id", description = "merge the state of this state id") Optional<String> fromStateId;

        @Override
        public Integer call() {
            int given = (inline.isPresent() ? 1 : 0) + (input.inputFile != null ? 1 : 0) + (fromStateId.isPresent() ? 1 : 0);
            if (given != 1) {
                throw new ConfigException("Must provide exactly one of: --input-file, STATE, --from-state-id");
            }
            try (StateBackend store = state.store()) {
                StateBlob blob = fromStateId.isPresent()
                        ? validated(stateOf(store, fromStateId.get()).toString(), "state id '" + fromStateId.get() + "'")
                        : validated(input.json(inline), input.source(inline));
                store.save(stateId, blob, StateWriteMode.PARTIAL);
            }
            spec.commandLine().getErr().println("State for " + stateId + " was successfully merged.");
            return 0;
        }
    }

    @Command(name = "clear", description = "Forget the state of a state id.")
    static final class Clear implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "STATE_ID", description = "the state id (see state list)") String stateId;
        @Option(names = "--force", description = "don't ask for confirmation") boolean force;

        @Override
        public Integer call() {
            if (!confirmed(force, "This will clear state for the job. Continue?", spec.commandLine().getErr())) {
                return 1;
            }
            try (StateBackend store = state.store()) {
                store.clear(stateId);
            }
            return 0;
        }
    }

    @Command(name = "copy", description = "Copy the state of one state id over another's.")
    static final class Copy implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SRC_STATE_ID", description = "the state id to read from") String src;
        @Parameters(index = "1", paramLabel = "DST_STATE_ID", description = "the state id to write to") String dst;
        @Option(names = "--force", description = "don't ask for confirmation") boolean force;

        @Override
        public Integer call() {
            if (!confirmed(force, "This will overwrite state for the destination. Continue?", spec.commandLine().getErr())) {
                return 1;
            }
            try (StateBackend store = state.store()) {
                store.save(dst, validated(stateOf(store, src).toString(), "state id '" + src + "'"), StateWriteMode.COMPLETE);
            }
            spec.commandLine().getErr().println("State for " + dst + " was successfully copied from " + src + ".");
            return 0;
        }
    }

    @Command(name = "move", description = "Move the state of one state id to another, clearing the first.")
    static final class Move implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Parameters(index = "0", paramLabel = "SRC_STATE_ID", description = "the state id to read from") String src;
        @Parameters(index = "1", paramLabel = "DST_STATE_ID", description = "the state id to write to") String dst;
        @Option(names = "--force", description = "don't ask for confirmation") boolean force;

        @Override
        public Integer call() {
            if (!confirmed(force, "This will clear the source state and overwrite destination state. Continue?",
                    spec.commandLine().getErr())) {
                return 1;
            }
            try (StateBackend store = state.store()) {
                store.save(dst, validated(stateOf(store, src).toString(), "state id '" + src + "'"), StateWriteMode.COMPLETE);
                store.clear(src);
            }
            spec.commandLine().getErr().println("State for " + src + " was successfully moved to " + dst + ".");
            return 0;
        }
    }

    @Command(name = "migrate", description = "Copy every state id (or those matching --pattern) from the project's "
            + "state backend to another backend, e.g. --to postgresql://user@host/db.")
    static final class Migrate implements Callable<Integer> {
        @ParentCommand StateCommand state;
        @Spec CommandSpec spec;

        @Option(names = "--to", required = true, paramLabel = "URI",
                description = "the destination backend's URI (the project's state_backend.* settings apply to it too)")
        String to;
        @Option(names = "--pattern", description = "only ids matching this glob (* ? [seq])") Optional<String> pattern;
        @Option(names = "--force", description = "don't ask for confirmation") boolean force;

        @Override
        public Integer call() {
            ProjectSession project = state.main.openProject();
            try (StateBackend from = project.stateStore(); StateBackend dest = project.stateStore(to)) {
                if (!confirmed(force, "This will overwrite the state of every migrated id in " + dest.describe()
                        + ". Continue?", spec.commandLine().getErr())) {
                    return 1;
                }
                int copied = 0;
                for (String id : from.stateIds(pattern)) {
                    Optional<StateBlob> blob = from.read(id);
                    if (blob.isPresent()) {
                        dest.save(id, blob.get(), StateWriteMode.COMPLETE);
                        copied++;
                    }
                }
                spec.commandLine().getErr().println("Migrated " + copied + " state id(s) from " + from.describe()
                        + " to " + dest.describe() + ".");
            }
            return 0;
        }
    }
}
