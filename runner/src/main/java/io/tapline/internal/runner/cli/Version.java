package io.tapline.internal.runner.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine;

/** {@code tapline --version}: the Maven project version, written into {@code tapline-version.properties} at build. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        Properties p = new Properties();
        try (InputStream in = Version.class.getResourceAsStream("tapline-version.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tapline-version.properties", e);
        }
        return new String[] {"tapline " + p.getProperty("version", "(unknown version)")};
    }
}
