package io.tapline.internal.runner.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.internal.runner.project.ProjectSession;
import io.tapline.internal.catalog.PluginType;
import io.tapline.spi.ConfigException;
import io.tapline.internal.runner.process.LaunchSpec;
import io.tapline.internal.runner.process.Launcher;
import io.tapline.internal.runner.process.PluginEnvironment;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.RunningPlugin;
import io.tapline.internal.runner.process.Secrets;
import io.tapline.internal.runner.project.PluginConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code tapline invoke}: Meltano's {@code meltano invoke}. Runs the plugin's executable with the
 * files tapline would give it ({@code --config}, and for an extractor the catalog a run would use)
 * followed by the user's arguments; {@code --discover} and {@code --about} run just that mode.
 * {@code --dump=config|catalog} prints the file instead of running, as Meltano does: the config dump
 * is the real config, secrets included, because it is what the plugin receives.
 */
@Command(name = "invoke", description = "Run a plugin's executable with its project config.")
final class InvokeCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Spec CommandSpec spec;

    @Option(names = "--dump", paramLabel = "config|catalog", description = "print the generated file instead of running")
    Optional<String> dump;

    @Option(names = "--refresh-catalog", description = "discover again instead of using the cached catalog")
    boolean refreshCatalog;

    @Parameters(index = "0", paramLabel = "PLUGIN", description = "plugin name; the arguments after it go to the plugin")
    String plugin;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "passed on to the plugin (e.g. --discover, --about)")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ProjectSession project = main.openProject().refreshCatalog(refreshCatalog);
        PluginConfig p = project.config().plugin(plugin);
        if (p.builtin()) {
            throw new ConfigException(p.type().singular() + " '" + plugin + "' is built into tapline and has no "
                    + "executable; run it as a Singer target with: tapline target " + plugin.replaceFirst("^target-", ""));
        }
        ObjectMapper json = new ObjectMapper();
        PrintWriter out = spec.commandLine().getOut();
        boolean extractor = p.type() == PluginType.EXTRACTORS;
        boolean modeOnly = args.contains("--discover") || args.contains("--about") || args.contains("--help");
        boolean withCatalog = extractor && !modeOnly && p.has("discover") && (p.has("catalog") || p.has("properties"));
        if (dump.isPresent()) {
            switch (dump.get()) {
                case "config" -> out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(p.config()));
                case "catalog" -> {
                    if (!extractor) {
                        throw new ConfigException("--dump=catalog needs an extractor; '" + plugin + "' is a " + p.type().singular());
                    }
                    out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(project.catalog(plugin)));
                }
                default -> throw new ConfigException("--dump must be config or catalog, not '" + dump.get() + "'");
            }
            return 0;
        }
        try (PrivateFiles files = PrivateFiles.create("tapline-invoke-")) {
            List<String> argv = new ArrayList<>(List.of(project.executable(p).toString(), "--config",
                    files.write("config.json", json.writeValueAsBytes(p.config())).toString()));
            if (withCatalog) {
                Path catalog = files.write("catalog.json", json.writeValueAsBytes(project.catalog(plugin)));
                argv.addAll(List.of(p.has("catalog") ? "--catalog" : "--properties", catalog.toString()));
            }
            argv.addAll(args);
            // the same launch policy as a run: the plugin's settings environment, clean or inherited, its
            // limits, and stderr masked and logged at the plugin's levels
            LaunchSpec launch = new LaunchSpec(p.name(), LaunchSpec.Role.INVOKE, argv, project.root(), p.env(),
                    p.runtime().inheritEnv() ? PluginEnvironment.Mode.INHERIT : PluginEnvironment.Mode.CLEAN,
                    p.runtime().limits(), Secrets.forPlugin(p), where(p, files), LaunchSpec.Stdin.INHERIT);
            return run(Launcher.forThisProcess().start(launch), out);
        }
    }

    private static LaunchSpec.Where where(PluginConfig p, PrivateFiles files) {
        return p.remote().<LaunchSpec.Where>map(r -> new LaunchSpec.Remote(r, files.dir()))
                .orElse(new LaunchSpec.Local());
    }

    /** Copies the plugin's stdout to {@code out} until it ends; returns its exit code. */
    private static int run(RunningPlugin plugin, PrintWriter out) {
        try (plugin;
             BufferedReader r = new BufferedReader(new InputStreamReader(plugin.stdout(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                out.println(line);
            }
            out.flush();
            return plugin.waitFor(Duration.ofMinutes(10));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the output of " + plugin.name() + " failed", e);
        }
    }
}
