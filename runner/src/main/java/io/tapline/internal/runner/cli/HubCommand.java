package io.tapline.internal.runner.cli;

import io.tapline.internal.catalog.CatalogType;
import io.tapline.internal.catalog.PluginCatalog;
import io.tapline.internal.catalog.PluginDefinition;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tapline hub search <word>}: the plugin definitions tapline knows (the Meltano Hub's, and its own targets). */
@Command(name = "hub", description = "Look up plugin definitions in tapline's catalog (the Meltano Hub's plugins).",
        subcommands = {HubCommand.Search.class})
final class HubCommand {
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Command(name = "search", description = "List the plugins whose name, namespace, variant or a capability "
            + "contains WORD: type, name, variant (* marks the variant a name alone means), capabilities.")
    static final class Search implements Callable<Integer> {
        @Spec CommandSpec spec;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
        boolean help;

        @Parameters(paramLabel = "WORD", description = "a word to look for (case-insensitive)")
        String word;

        @Option(names = "--type", paramLabel = "TYPE", description = "only this plugin type: extractors, loaders, "
                + "mappers, utilities, transformers, orchestrators or files")
        Optional<String> type = Optional.empty();

        @Override
        public Integer call() {
            Optional<CatalogType> only = type.map(t -> CatalogType.fromKey(t).orElseThrow(() ->
                    new picocli.CommandLine.ParameterException(spec.commandLine(), "unknown plugin type '" + t
                            + "' (one of extractors, loaders, mappers, utilities, transformers, orchestrators, files)")));
            PluginCatalog catalog = PluginCatalog.bundled();
            List<PluginDefinition> found = catalog.search(word).stream()
                    .filter(p -> only.map(p.type()::equals).orElse(true)).toList();
            PrintWriter out = spec.commandLine().getOut();
            for (PluginDefinition p : found) {
                boolean dflt = catalog.defaultVariant(p.type(), p.name()).map(p.variant()::equals).orElse(false);
                out.println(p.type().key() + "\t" + p.name() + "\t" + p.variant() + (dflt ? " *" : "") + "\t"
                        + String.join(",", new TreeSet<>(p.capabilities())));
            }
            if (found.isEmpty()) {
                spec.commandLine().getErr().println("no plugin matches '" + word + "'");
                return 1;
            }
            return 0;
        }
    }
}
