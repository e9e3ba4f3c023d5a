package io.tapline.internal.runner.pipeline;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.Tap;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import io.tapline.internal.protocol.airbyte.AirbyteCatalogMessage;
import io.tapline.internal.protocol.airbyte.AirbyteConnectionStatusMessage;
import io.tapline.internal.protocol.airbyte.AirbyteLineParser;
import io.tapline.internal.protocol.airbyte.AirbyteLogMessage;
import io.tapline.internal.protocol.airbyte.AirbyteMessage;
import io.tapline.internal.protocol.airbyte.AirbyteSpecMessage;
import io.tapline.internal.protocol.airbyte.AirbyteTraceMessage.ErrorTrace;
import io.tapline.internal.runner.process.LaunchSpec;
import io.tapline.internal.runner.process.Launcher;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.Secrets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Airbyte source commands of one {@link Tap}: {@code spec}, {@code check}, {@code discover}, and
 * starting {@code read}. Starts the connector as a local process or, when the tap has a
 * {@link io.tapline.ContainerImage}, in a container with the run's private folder
 * mounted. Files named in the arguments must live in that folder. Stateless; each call starts and
 * ends its own process.
 */
public final class AirbyteConnector {
    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(120);

    private final Tap tap;
    private final Logger pluginLog;
    private volatile Secrets secrets;

    public AirbyteConnector(Tap tap) {
        this.tap = requireNonNull(tap, "tap is null");
        this.pluginLog = LoggerFactory.getLogger("tapline.plugin." + tap.name());
        this.secrets = Secrets.of(tap.secrets());
    }

    /** The tap's secrets, and after {@link #spec()} also the config values its spec marks {@code airbyte_secret}. */
    public Secrets secrets() {
        return secrets;
    }

    /**
     * Starts {@code <connector> args...}. The caller owns the returned process. Arguments naming files
     * under {@code files.dir()} are rewritten for a container.
     */
    public RunningPlugin start(List<String> args, PrivateFiles files) {
        return Launcher.forThisProcess().start(LaunchSpec.forTap(tap, LaunchSpec.Role.AIRBYTE_SOURCE, args,
                files.dir()).withSecrets(secrets));
    }

    /** Runs {@code spec}: the connector's {@code ConnectorSpecification}. */
    public AirbyteSpecMessage spec() {
        try (PrivateFiles files = PrivateFiles.create("tapline-spec-")) {
            AirbyteSpecMessage spec = run("spec", List.of("spec"), files, AirbyteSpecMessage.class);
            secrets = secrets.and(Secrets.airbyte(spec.connectionSpecification(), tap.config()));
            return spec;
        }
    }

    /** Runs {@code check --config}; a FAILED status is returned, not thrown. */
    public AirbyteConnectionStatusMessage check(Path configFile, PrivateFiles files) {
        return run("check", List.of("check", "--config", configFile.toString()), files,
                AirbyteConnectionStatusMessage.class);
    }

    /** Runs {@code discover --config} and returns the {@code AirbyteCatalog} it printed. */
    public JsonNode discover(Path configFile, PrivateFiles files) {
        return run("discover", List.of("discover", "--config", configFile.toString()), files,
                AirbyteCatalogMessage.class).catalog();
    }

    /**
     * Runs one short command to its end and returns the last message of {@code type}; LOG messages go to
     * the plugin's logger, a TRACE ERROR or a non-zero exit fails.
     */
    private <T extends AirbyteMessage> T run(String verb, List<String> args, PrivateFiles files, Class<T> type) {
        String what = tap.name() + " " + verb;
        try (RunningPlugin process = start(args, files)) {
            List<AirbyteMessage> messages = new AirbyteLineParser().readAll(process.stdout());
            int exitCode = process.waitFor(EXIT_TIMEOUT);
            Optional<T> answer = Optional.empty();
            for (AirbyteMessage m : messages) {
                if (m instanceof AirbyteLogMessage logMessage) {
                    AirbyteSource.log(pluginLog, logMessage, secrets);
                } else if (m instanceof ErrorTrace e) {
                    throw AirbyteSource.failed(what, e, exitCode, secrets);
                } else if (type.isInstance(m)) {
                    answer = Optional.of(type.cast(m));
                }
            }
            if (exitCode != 0) {
                throw new PluginFailedException(what, exitCode, process.stderrTail());
            }
            return answer.orElseThrow(() -> new PluginFailedException(ErrorCode.PLUGIN_FAILED, tap.name(),
                    "'" + what + "' printed no " + type.getSimpleName().replace("Airbyte", "").replace("Message", "")
                            + " message", null));
        }
    }
}
