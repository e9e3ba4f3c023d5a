package io.tapline.internal.runner.process;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.SshRemote;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.PluginFailedException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.LoggerFactory;
import org.zeroturnaround.exec.ProcessResult;

/** Runs a tap's {@code --discover} and returns its catalog (taps print it pretty, over many lines). */
public final class Discovery {
    private Discovery() {}

    public static ObjectNode discover(String name, List<String> command, Path configFile, Map<String, String> env,
            Path workingDir) {
        return discover(name, command, configFile, env, workingDir, Redactor.none());
    }

    /** As above; {@code redactor} masks secrets in the tap's logged stderr and in the error message. */
    public static ObjectNode discover(String name, List<String> command, Path configFile, Map<String, String> env,
            Path workingDir, Redactor redactor) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of("--config", configFile.toString(), "--discover"));
        StderrTail stderr = new StderrTail(LoggerFactory.getLogger("tapline.plugin." + name), redactor);
        try {
            ProcessResult r = Processes.executor().command(argv).directory(workingDir.toFile()).environment(env)
                    .readOutput(true)
                    .redirectError(stderr)
                    .exitValueAny()
                    .timeout(10, TimeUnit.MINUTES)
                    .execute();
            if (r.getExitValue() != 0) {
                throw new PluginFailedException(name + " --discover", r.getExitValue(), stderr.lines());
            }
            return catalog(name, r.output());
        } catch (IOException | TimeoutException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name,
                    "discovery of '" + name + "' failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PluginFailedException(ErrorCode.INTERRUPTED, name, "interrupted during discovery", e);
        }
    }

    /** {@link #discover} on {@code remote}'s host; {@code configFile} (in a private folder) is copied there. */
    public static ObjectNode discoverRemote(String name, SshRemote remote, List<String> command, Path configFile,
            Map<String, String> env) {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of("--config", configFile.toString(), "--discover"));
        try (SshPluginProcess p = SshPluginProcess.start(name, remote, argv, env, configFile.getParent())) {
            byte[] out = p.stdout().readAllBytes();
            int exitCode = p.waitFor(java.time.Duration.ofMinutes(10));
            if (exitCode != 0) {
                throw new PluginFailedException(name + " --discover", exitCode, p.stderrTail());
            }
            return catalog(name, out);
        } catch (IOException e) {
            throw new PluginFailedException(ErrorCode.PLUGIN_FAILED, name,
                    "discovery of '" + name + "' failed: " + e.getMessage(), e);
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
