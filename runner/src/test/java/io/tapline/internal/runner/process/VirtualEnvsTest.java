package io.tapline.internal.runner.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class VirtualEnvsTest {
    @TempDir Path dir;

    /**
     * A stand-in interpreter (a real process): {@code -m venv DIR} makes DIR/bin/python, a copy of itself;
     * {@code -m pip install} of anything but pip itself fails the way pip does, echoing the URL.
     */
    private Path python() throws Exception {
        Path python = dir.resolve("python3-stand-in");
        Files.writeString(python, String.join("\n", "#!/bin/sh",
                "if [ \"$2\" = venv ]; then mkdir -p \"$3/bin\" && cp \"$0\" \"$3/bin/python\"; exit 0; fi",
                "for a in \"$@\"; do case \"$a\" in git+*|http*|tap-*)",
                "  echo \"Collecting $a\"",
                "  echo \"ERROR: Could not find a version that satisfies the requirement $a\" >&2",
                "  echo \"ERROR: No matching distribution found for $a\" >&2",
                "  exit 1;; esac; done",
                "exit 0", ""));
        Files.setPosixFilePermissions(python, PosixFilePermissions.fromString("rwx------"));
        return python;
    }

    @Test
    void aFailedPipInstallIsAConfigErrorWithPipsLastLinesAndTheUrlsCredentialsMasked() throws Exception {
        String token = "ghp_tok3n-never-shown";
        String pipUrl = "git+https://bot:" + token + "@github.example/acme/tap-nope.git";
        VirtualEnvs venvs = new VirtualEnvs(dir.resolve("venvs"));

        assertThatThrownBy(() -> venvs.install("tap-nope", pipUrl, python().toString(), false))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.PLUGIN_INSTALL_FAILED);
                    assertThat(e.errorCode().exitCode()).isEqualTo(2);
                })
                .hasMessageContaining("installing plugin 'tap-nope' failed")
                .hasMessageContaining("ERROR: No matching distribution found for git+https://****@github.example")
                .hasMessageContaining("pip_url")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(token));
        assertThat(venvs.isInstalled("tap-nope", pipUrl, python().toString())).isFalse();
    }
}
