package io.tapline.internal.runner.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.tapline.SshEndpoint;
import io.tapline.SshRemote;
import io.tapline.SshTunnel;
import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * An extractor's {@code ssh:} (run it on another host) and {@code ssh_tunnel:} (reach its source through
 * a bastion) blocks, as the settings model resolved them (the {@code _ssh} and {@code _ssh_tunnel} extras,
 * {@code $VAR} already expanded). {@code ~/} is the home folder and other relative paths are relative to
 * the project folder. Unknown keys are refused, so a typo cannot
 * silently turn host key checking off.
 */
final class SshSettings {
    private static final Set<String> ENDPOINT_KEYS = Set.of("host", "port", "user", "identity_file", "passphrase",
            "known_hosts", "host_key_checking", "connect_timeout");
    private static final Set<String> REMOTE_KEYS = Set.of("venv", "working_directory");
    private static final Set<String> TUNNEL_KEYS = Set.of("target_host", "target_port", "local_port", "host_setting",
            "port_setting");

    private final String plugin;
    private final Path file;
    private final Path root;

    SshSettings(String plugin, Path file) {
        this.plugin = plugin;
        this.file = file;
        this.root = file.getParent();
    }

    /** The {@code ssh:} block, if any. */
    Optional<SshRemote> remote(Optional<JsonNode> block) {
        if (block.isEmpty() || block.get().isNull()) {
            return Optional.empty();
        }
        JsonNode ssh = block.get();
        check(ssh, "ssh", REMOTE_KEYS);
        SshRemote remote = SshRemote.of(endpoint(ssh, "ssh"));
        return Optional.of(text(ssh, "working_directory").map(remote::withWorkingDirectory).orElse(remote));
    }

    /** The remote virtualenv named by {@code ssh.venv}, if any. */
    Optional<String> remoteVenv(Optional<JsonNode> block) {
        return block.filter(JsonNode::isObject).flatMap(ssh -> text(ssh, "venv"));
    }

    /** The {@code ssh_tunnel:} block, if any. */
    Optional<SshTunnel> tunnel(Optional<JsonNode> block) {
        if (block.isEmpty() || block.get().isNull()) {
            return Optional.empty();
        }
        JsonNode t = block.get();
        check(t, "ssh_tunnel", TUNNEL_KEYS);
        String targetHost = text(t, "target_host").orElseThrow(() -> invalid("ssh_tunnel.target_host is missing"));
        int targetPort = integer(t, "ssh_tunnel.target_port", text(t, "target_port")
                .orElseThrow(() -> invalid("ssh_tunnel.target_port is missing")));
        int localPort = integer(t, "ssh_tunnel.local_port", text(t, "local_port").orElse("0"));
        return Optional.of(new SshTunnel(endpoint(t, "ssh_tunnel"), targetHost, targetPort, localPort,
                setting(t, "host_setting", "host"), setting(t, "port_setting", "port")));
    }

    private SshEndpoint endpoint(JsonNode n, String block) {
        SshEndpoint.Builder b = SshEndpoint.builder(text(n, "host")
                .orElseThrow(() -> invalid(block + ".host is missing")));
        text(n, "port").ifPresent(p -> b.port(integer(n, block + ".port", p)));
        text(n, "user").ifPresent(b::user);
        text(n, "identity_file").ifPresent(f -> b.identityFile(path(f)));
        text(n, "passphrase").ifPresent(p -> b.passphrase(new Secret(p)));
        text(n, "known_hosts").ifPresent(f -> b.knownHosts(path(f)));
        text(n, "host_key_checking").ifPresent(c -> b.hostKeyChecking(switch (c.toLowerCase(Locale.ROOT)) {
            case "strict", "yes", "true" -> SshEndpoint.HostKeyChecking.STRICT;
            case "off", "no", "false" -> SshEndpoint.HostKeyChecking.OFF;
            default -> throw invalid(block + ".host_key_checking is '" + c + "'; expected strict or off");
        }));
        text(n, "connect_timeout").ifPresent(t -> {
            try {
                b.connectTimeout(Duration.parse(t));
            } catch (DateTimeParseException e) {
                throw invalid(block + ".connect_timeout is '" + t + "'; expected an ISO-8601 duration such as PT30S");
            }
        });
        return b.build();
    }

    private void check(JsonNode n, String block, Set<String> more) {
        if (!n.isObject()) {
            throw invalid(block + " must be a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!ENDPOINT_KEYS.contains(key) && !more.contains(key)) {
                throw invalid(block + " has an unknown key '" + key + "'");
            }
        }
    }

    private Optional<String> setting(JsonNode n, String key, String dflt) {
        JsonNode v = n.get(key);
        if (v != null && v.isNull()) {
            return Optional.empty(); // explicitly none: the tap's config is left alone
        }
        return Optional.of(text(n, key).orElse(dflt));
    }

    private Optional<String> text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw invalid(key + " must be a single value");
        }
        return Optional.of(v.asText()).filter(s -> !s.isEmpty());
    }

    private int integer(JsonNode n, String key, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw invalid(key + " is '" + value + "'; expected a port number");
        }
    }

    private Path path(String p) {
        if (p.equals("~") || p.startsWith("~/")) {
            return Path.of(System.getProperty("user.home") + p.substring(1));
        }
        Path path = Path.of(p);
        return path.isAbsolute() ? path : root.resolve(path);
    }

    private ConfigException invalid(String what) {
        return new ConfigException(ErrorCode.PROJECT_FILE_INVALID, file + ": extractor '" + plugin + "': " + what);
    }
}
