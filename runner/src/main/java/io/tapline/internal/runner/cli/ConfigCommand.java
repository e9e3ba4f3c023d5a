package io.tapline.internal.runner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tapline.internal.runner.project.PluginConfig;
import io.tapline.internal.runner.project.PluginSettings;
import io.tapline.internal.runner.project.SettingSource;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tapline config <plugin> [list|print]}, as {@code meltano config}: {@code list} shows every
 * setting with its variable, value and source, and the extras some layer set (Meltano's and tapline's own
 * plugin keys such as {@code _limits}); {@code --extras} lists every extra and only those; {@code print}
 * the config file the plugin gets.
 * Sensitive values are {@code (redacted)} unless {@code --unsafe}.
 */
@Command(name = "config", description = "Show a plugin's settings: where each value comes from (list) or the "
        + "resulting config (print). Secrets are redacted unless --unsafe.")
final class ConfigCommand implements Callable<Integer> {
    @ParentCommand Main main;

    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "plugin name") String plugin;

    @Parameters(index = "1", arity = "0..1", defaultValue = "print", description = "list or print (default)")
    String action;

    @Option(names = "--format", defaultValue = "json", description = "print as json (default) or env")
    String format;

    @Option(names = "--extras", description = "list: show every extra (_select, _metadata, _limits, _ssh, ...), "
            + "set or not, instead of the settings") boolean extras;

    @Option(names = "--unsafe", description = "show sensitive values") boolean unsafe;

    @Override
    public Integer call() throws Exception {
        PluginConfig p = main.openProject().config().plugin(plugin);
        PrintWriter out = spec.commandLine().getOut();
        switch (action) {
            case "list" -> list(p, out);
            case "print" -> print(p, out);
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "unknown action '" + action + "': expected list or print");
        }
        out.flush();
        return 0;
    }

    private void list(PluginConfig p, PrintWriter out) {
        for (PluginSettings.Value v : p.settings().values()) {
            if (extras ? !v.extra() : v.extra() && !setByTheProject(v)) {
                continue; // --extras: every extra; else the settings and the extras a layer really set
            }
            String value = v.value().isEmpty() ? "None" : unsafe ? io.tapline.internal.runner.project.EnvVars.render(v.value().get())
                    : v.display();
            out.printf("%s [env: %s] current value: %s (%s)%n", v.spec().name(),
                    v.readVariables().isEmpty() ? "" : v.readVariables().get(0), value, source(v));
        }
    }

    /** An extra given a value by the environment, .env, meltano.yml or a parent plugin, not by default. */
    private static boolean setByTheProject(PluginSettings.Value v) {
        return v.value().isPresent() && v.source().filter(s -> s != SettingSource.DEFAULT).isPresent();
    }

    private static String source(PluginSettings.Value v) {
        if (v.source().isEmpty()) {
            return "not set";
        }
        SettingSource s = v.source().get();
        return switch (s) {
            case ENV -> "from the " + v.fromVariable().orElse("") + " variable in the environment";
            case DOTENV -> "from the " + v.fromVariable().orElse("") + " variable in `.env`";
            case MELTANO_ENVIRONMENT -> "from the active environment in `meltano.yml`";
            case MELTANO_YML -> "from `meltano.yml`";
            case INHERITED -> "inherited from the parent plugin";
            case DEFAULT -> "default";
        };
    }

    private void print(PluginConfig p, PrintWriter out) throws Exception {
        ObjectNode config = p.config().deepCopy();
        if (!unsafe) {
            for (PluginSettings.Value v : p.settings().values()) {
                if (v.spec().sensitive() && v.value().isPresent() && !v.extra()) {
                    redact(config, v.spec().name().split("\\."), 0);
                }
            }
        }
        if ("env".equals(format)) {
            for (PluginSettings.Value v : p.settings().values()) {
                if (v.value().isEmpty() || v.extra()) {
                    continue;
                }
                String value = v.spec().sensitive() && !unsafe ? "*****"
                        : io.tapline.internal.runner.project.EnvVars.render(v.value().get());
                out.printf("%s=%s%n", v.writeVariables().get(0), new ObjectMapper().writeValueAsString(value));
            }
        } else {
            out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(config));
        }
    }

    private static void redact(ObjectNode node, String[] path, int i) {
        if (i == path.length - 1) {
            if (node.has(path[i])) {
                node.put(path[i], "(redacted)");
            }
        } else if (node.get(path[i]) instanceof ObjectNode child) {
            redact(child, path, i + 1);
        }
    }
}
