package io.tapline.internal.runner.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.Tap;
import io.tapline.internal.protocol.airbyte.AirbyteConnectionStatusMessage;
import io.tapline.internal.runner.pipeline.AirbyteConfigValidator;
import io.tapline.internal.runner.pipeline.AirbyteConnector;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.Secrets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tapline airbyte spec|check|discover <source>}: one Airbyte command of a project's extractor,
 * run the way {@code tapline run} runs it (same venv or container, same config).
 */
@Command(name = "airbyte", description = "Run one Airbyte command (spec, check, discover) of an extractor.",
        subcommands = {AirbyteCommand.SpecCommand.class, AirbyteCommand.CheckCommand.class,
                AirbyteCommand.DiscoverCommand.class})
final class AirbyteCommand {
    @ParentCommand Main main;

    private static final ObjectMapper JSON = new ObjectMapper();

    Tap source(String name) { return ProjectSession.open(main.project).airbyteSource(name); }

    @Command(name = "spec", description = "Print the connector's ConnectorSpecification (JSON).")
    static final class SpecCommand implements Callable<Integer> {
        @ParentCommand AirbyteCommand parent;
        @Spec CommandSpec spec;
        @Parameters(index = "0", description = "extractor name") String source;

        @Override
        public Integer call() throws IOException {
            JsonNode s = new AirbyteConnector(parent.source(source)).spec().spec();
            spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s));
            return 0;
        }
    }

    @Command(name = "check", description = "Validate the config against the spec, then run check --config; "
            + "exit 0 when the connection succeeds.")
    static final class CheckCommand implements Callable<Integer> {
        @ParentCommand AirbyteCommand parent;
        @Spec CommandSpec spec;
        @Parameters(index = "0", description = "extractor name") String source;

        @Override
        public Integer call() {
            Tap tap = parent.source(source);
            AirbyteConnector connector = new AirbyteConnector(tap);
            var connectorSpec = connector.spec();
            AirbyteConfigValidator.validate(tap.name(), connectorSpec, tap.config());
            try (PrivateFiles files = PrivateFiles.create("tapline-check-")) {
                Path cfg = files.write("config.json", JSON.writeValueAsBytes(tap.config()));
                AirbyteConnectionStatusMessage status = connector.check(cfg, files);
                // the connector's message may quote config values: mask the spec's secrets
                String message = Secrets.airbyte(connectorSpec.connectionSpecification(), tap.config())
                        .and(Secrets.of(tap.secrets())).mask(status.message().orElse(""));
                spec.commandLine().getOut().println(status.status() + (message.isEmpty() ? "" : ": " + message));
                return status.status() == AirbyteConnectionStatusMessage.Status.SUCCEEDED ? 0 : 1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Command(name = "discover", description = "Print the connector's AirbyteCatalog (JSON).")
    static final class DiscoverCommand implements Callable<Integer> {
        @ParentCommand AirbyteCommand parent;
        @Spec CommandSpec spec;
        @Parameters(index = "0", description = "extractor name") String source;

        @Override
        public Integer call() throws IOException {
            Tap tap = parent.source(source);
            try (PrivateFiles files = PrivateFiles.create("tapline-discover-")) {
                Path cfg = files.write("config.json", JSON.writeValueAsBytes(tap.config()));
                JsonNode catalog = new AirbyteConnector(tap).discover(cfg, files);
                spec.commandLine().getOut().println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(catalog));
                return 0;
            }
        }
    }
}
