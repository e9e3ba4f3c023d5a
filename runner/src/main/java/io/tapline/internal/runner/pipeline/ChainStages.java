package io.tapline.internal.runner.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tapline.SingerPlugin;
import io.tapline.internal.runner.process.PrivateFiles;
import io.tapline.internal.runner.process.LaunchSpec;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Mappers and external targets as chain stages, each started with {@code --config <private file>}. */
final class ChainStages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ChainStages() {}

    /** The tap's stage followed by one stage per plugin, in order. */
    static List<LaunchSpec> after(LaunchSpec tap, List<SingerPlugin> plugins, PrivateFiles files) {
        List<LaunchSpec> stages = new ArrayList<>();
        stages.add(tap);
        stages.addAll(of(plugins, files));
        return stages;
    }

    /** One stage per plugin, in order. */
    static List<LaunchSpec> of(List<SingerPlugin> plugins, PrivateFiles files) {
        List<LaunchSpec> stages = new ArrayList<>();
        for (int i = 0; i < plugins.size(); i++) {
            SingerPlugin p = plugins.get(i);
            List<String> argv = new ArrayList<>(p.command());
            argv.add("--config");
            try {
                argv.add(files.write("stage-" + i + "-config.json", JSON.writeValueAsBytes(p.config())).toString());
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
            // the last plugin is the target only in a run into an external Singer target; the role is for logs
            stages.add(LaunchSpec.forPlugin(p, LaunchSpec.Role.MAPPER, argv));
        }
        return stages;
    }
}
