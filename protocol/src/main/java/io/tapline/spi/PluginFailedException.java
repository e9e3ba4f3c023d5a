package io.tapline.spi;


import java.util.List;

/** A plugin process exited non-zero (or could not start). Carries the exit code and stderr tail. */
public class PluginFailedException extends TaplineException {
    private final String plugin;
    private final int pluginExitCode;
    private final List<String> stderrTail;

    public PluginFailedException(String plugin, int pluginExitCode, List<String> stderrTail) {
        super(ErrorCode.PLUGIN_FAILED, describe(plugin, pluginExitCode, stderrTail));
        this.plugin = plugin;
        this.pluginExitCode = pluginExitCode;
        this.stderrTail = List.copyOf(stderrTail);
    }

    public PluginFailedException(ErrorCode code, String plugin, String message, Throwable cause) {
        super(code, message, cause);
        this.plugin = plugin;
        this.pluginExitCode = -1;
        this.stderrTail = List.of();
    }

    private static String describe(String plugin, int exitCode, List<String> tail) {
        StringBuilder sb = new StringBuilder("plugin '").append(plugin).append("' exited with code ").append(exitCode);
        if (!tail.isEmpty()) {
            sb.append("; last stderr lines:");
            tail.forEach(line -> sb.append("\n  ").append(line));
        }
        return sb.toString();
    }

    public String plugin() { return plugin; }

    /** The plugin's exit code, or -1 when it never ran. */
    public int pluginExitCode() { return pluginExitCode; }

    public List<String> stderrTail() { return stderrTail; }

    @Override
    public boolean isRetriable() { return true; }
}
