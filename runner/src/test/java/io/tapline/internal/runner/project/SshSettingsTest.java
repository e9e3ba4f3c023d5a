package io.tapline.internal.runner.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tapline.SshEndpoint;
import io.tapline.SshRemote;
import io.tapline.SshTunnel;
import io.tapline.spi.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshSettingsTest {
    private static final Path FILE = Path.of("/projects/p/meltano.yml");
    private final SshSettings settings = new SshSettings("tap-x", FILE);

    private static JsonNode yaml(String s) throws Exception {
        return new ObjectMapper(new YAMLFactory()).readTree(s);
    }

    /** The blocks as the settings model hands them over ($VAR expansion happens there; see PluginKeysAreSettingsTest). */
    private Optional<SshRemote> remote(JsonNode plugin) {
        return settings.remote(Optional.ofNullable(plugin.get("ssh")));
    }

    private Optional<SshTunnel> tunnel(JsonNode plugin) {
        return settings.tunnel(Optional.ofNullable(plugin.get("ssh_tunnel")));
    }

    @Test
    void sshBlockGivesAStrictEndpointWithPathsRelativeToTheProject() throws Exception {
        SshRemote remote = remote(yaml("""
                ssh: {host: h1, port: 2222, user: etl, identity_file: keys/id, passphrase: s3cret,
                      working_directory: /srv, venv: /opt/v, connect_timeout: PT5S}
                """)).orElseThrow();
        SshEndpoint e = remote.endpoint();
        assertThat(e.describe()).isEqualTo("etl@h1:2222");
        assertThat(e.identityFile()).contains(Path.of("/projects/p/keys/id"));
        assertThat(e.passphrase().map(p -> p.value())).contains("s3cret");
        assertThat(e.passphrase().map(Object::toString)).contains("****");
        assertThat(e.hostKeyChecking()).isEqualTo(SshEndpoint.HostKeyChecking.STRICT);
        assertThat(e.knownHosts()).isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
        assertThat(e.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(remote.workingDirectory()).contains("/srv");
    }

    @Test
    void noSshBlockMeansALocalTap() throws Exception {
        assertThat(remote(yaml("name: tap-x"))).isEmpty();
        assertThat(tunnel(yaml("name: tap-x"))).isEmpty();
    }

    @Test
    void tunnelDefaultsToAFreePortAndTheHostAndPortSettings() throws Exception {
        SshTunnel t = tunnel(yaml("ssh_tunnel: {host: b.example, target_host: db, target_port: 5432}"))
                .orElseThrow();
        assertThat(t.bastion().host()).isEqualTo("b.example");
        assertThat(t.localPort()).isZero();
        assertThat(t.hostSetting()).contains("host");
        assertThat(t.portSetting()).contains("port");
        JsonNode pointed = t.pointConfigAt(yaml("{host: db, port: 5432, user: u}"), 40001);
        assertThat(pointed.toString()).isEqualTo("{\"host\":\"127.0.0.1\",\"port\":40001,\"user\":\"u\"}");
    }

    @Test
    void nullSettingLeavesTheTapConfigAlone() throws Exception {
        SshTunnel t = tunnel(yaml("ssh_tunnel: {host: b, target_host: db, target_port: 1, host_setting: null}"))
                .orElseThrow();
        assertThat(t.hostSetting()).isEqualTo(Optional.empty());
    }

    @Test
    void unknownKeyIsRefusedNamingPluginKeyAndFile() throws Exception {
        assertThatThrownBy(() -> remote(yaml("ssh: {host: h, strict_host_key_checking: no}")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("/projects/p/meltano.yml").hasMessageContaining("tap-x")
                .hasMessageContaining("unknown key 'strict_host_key_checking'");
    }

    @Test
    void badPortAndMissingTargetAreRefused() throws Exception {
        assertThatThrownBy(() -> remote(yaml("ssh: {host: h, port: twenty}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssh.port is 'twenty'");
        assertThatThrownBy(() -> tunnel(yaml("ssh_tunnel: {host: h, target_port: 5432}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("ssh_tunnel.target_host is missing");
        assertThatThrownBy(() -> remote(yaml("ssh: {host: h, host_key_checking: maybe}")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("expected strict or off");
    }
}
