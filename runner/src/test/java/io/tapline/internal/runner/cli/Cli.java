package io.tapline.internal.runner.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs the CLI in-process against one project and keeps what it printed. */
final class Cli {
    record Result(int exit, String out, String err) {}

    private final Path project;

    Cli(Path project) {
        this.project = project;
    }

    Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = Stream.concat(Stream.of("-p", project.toString()), Stream.of(args)).toArray(String[]::new);
        int exit = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Result(exit, out.toString(), err.toString());
    }
}
