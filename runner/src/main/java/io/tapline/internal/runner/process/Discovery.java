package io.tapline.internal.runner.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import java.io.IOException;
import java.time.Duration;

/** Runs a Singer tap's {@code --discover} and returns its catalog (taps print it pretty, over many lines). */
public final class Discovery {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    private Discovery() {}

    /**
     * Starts {@code spec} (the tap's command with {@code --config <file> --discover}, wherever the tap runs)
     * through {@code launcher}, reads its stdout to the end and returns it as a catalog.
     *
     * @throws PluginFailedException when it exits non-zero (with its masked stderr tail) or prints no catalog
     */
    public static ObjectNode discover(Launcher launcher, LaunchSpec spec) {
        try (RunningPlugin p = launcher.start(spec)) {
            byte[] out = p.stdout().readAllBytes();
            int exitCode = p.waitFor(TIMEOUT);
            if (exitCode != 0) {
                throw new PluginFailedException(spec.name() + " --discover", exitCode, p.stderrTail());
            }
            return catalog(spec.name(), out);
        } catch (IOException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, spec.name(),
                    "discovery of '" + spec.name() + "' failed: " + spec.secrets().mask(e.getMessage()), e);
        }
    }

    private static ObjectNode catalog(String name, byte[] output) throws IOException {
        JsonNode catalog = new ObjectMapper().readTree(output);
        if (!(catalog instanceof ObjectNode obj) || !catalog.path("streams").isArray()) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name,
                    "'" + name + " --discover' did not print a catalog with a \"streams\" array", null);
        }
        return obj;
    }
}
