package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Meltano's {@code jobs:}: named lists of tasks, each task a string of space-separated block names
 * (or a list of such strings). {@code run <job>} runs the job's blocks in order, flattened as
 * Meltano's {@code TaskSets.flat_args} flattens them.
 */
public record ProjectJobs(Map<String, List<String>> jobs) {
    public ProjectJobs {
        jobs = Map.copyOf(jobs);
    }

    /** The {@code jobs} of the project file's tree (include_paths files merged in). */
    static ProjectJobs parse(JsonNode root, Path projectFile) {
        Map<String, List<String>> jobs = new LinkedHashMap<>();
        for (JsonNode job : root.path("jobs")) {
            String name = job.path("name").asText("");
            if (name.isEmpty()) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, projectFile + ": a job has no name");
            }
            List<String> blocks = new ArrayList<>();
            flatten(job.path("tasks"), blocks);
            if (blocks.isEmpty()) {
                throw new ConfigException(ErrorCode.PROJECT_FILE_INVALID, projectFile + ": job '" + name
                        + "' has no tasks");
            }
            jobs.put(name, blocks);
        }
        return new ProjectJobs(jobs);
    }

    private static void flatten(JsonNode tasks, List<String> out) {
        if (tasks.isArray()) {
            tasks.forEach(t -> flatten(t, out));
        } else if (tasks.isTextual()) {
            for (String block : tasks.asText().trim().split("\\s+")) {
                if (!block.isEmpty()) {
                    out.add(block);
                }
            }
        }
    }

    public Optional<List<String>> job(String name) {
        return Optional.ofNullable(jobs.get(name));
    }

    /** {@code args} with every job name replaced by the job's blocks. */
    public List<String> expand(List<String> args) {
        List<String> out = new ArrayList<>();
        for (String arg : args) {
            out.addAll(jobs.getOrDefault(arg, List.of(arg)));
        }
        return out;
    }
}
