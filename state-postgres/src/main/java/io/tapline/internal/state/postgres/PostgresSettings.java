package io.tapline.internal.state.postgres;

import static java.util.Objects.requireNonNull;

import io.tapline.spi.ConfigException;
import io.tapline.spi.ErrorCode;
import io.tapline.spi.Secret;
import io.tapline.spi.StateBackendConfig;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where and how to reach the state database, parsed once from {@code postgresql://user:pass@host:port/db?...} and
 * the add-on's {@code state_backend.postgresql.*} settings, which win over the URI (as in the add-on): {@code host},
 * {@code port}, {@code database}, {@code user}, {@code password}, {@code schema}, {@code sslmode}, {@code table}.
 * The URI's {@code options} (e.g. {@code -csearch_path=my_schema}), {@code sslmode} and {@code connect_timeout}
 * query parameters are honoured.
 *
 * @param described the URI with its secrets masked, for messages
 * @param schema the state table's schema; empty: the connection's {@code search_path}
 * @param table the state table (default {@code state}, as the add-on)
 */
record PostgresSettings(String host, int port, String database, String user, Optional<Secret> password,
        Optional<String> schema, String table, String sslmode, Optional<String> options, Duration connectTimeout,
        Duration socketTimeout, String described) {
    static final String DEFAULT_TABLE = "state";

    PostgresSettings {
        requireNonNull(host, "host is null");
        requireNonNull(database, "database is null");
        requireNonNull(user, "user is null");
        requireNonNull(password, "password is null");
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
    }

    static PostgresSettings parse(StateBackendConfig config) {
        return parse(config, "state_backend.uri");
    }

    /** As {@link #parse(StateBackendConfig)}; {@code label} names the setting in messages ({@code tapline.history}). */
    static PostgresSettings parse(StateBackendConfig config, String label) {
        URI uri = config.uri();
        String described = config.maskedUri();
        Map<String, String> query = query(uri.getRawQuery());
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        user = config.setting("postgresql.user").orElse(query.getOrDefault("user", user));
        password = config.setting("postgresql.password").orElse(query.getOrDefault("password", password));
        String host = config.setting("postgresql.host")
                .orElse(uri.getHost() != null ? uri.getHost() : query.getOrDefault("host", "localhost"));
        String portText = config.setting("postgresql.port")
                .orElse(uri.getPort() > 0 ? Integer.toString(uri.getPort()) : query.getOrDefault("port", "5432"));
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        String database = config.setting("postgresql.database")
                .orElse(!path.isEmpty() ? path : query.getOrDefault("dbname", ""));
        if (user == null || user.isEmpty()) {
            throw invalid(label, described, "names no user (postgresql://user@host/db or state_backend.postgresql.user)");
        }
        if (database.isEmpty()) {
            throw invalid(label, described, "names no database (postgresql://host/db or state_backend.postgresql.database)");
        }
        int port;
        Duration connectTimeout;
        try {
            port = Integer.parseInt(portText.trim());
            connectTimeout = Duration.ofSeconds(Long.parseLong(query.getOrDefault("connect_timeout", "10").trim()));
        } catch (NumberFormatException e) {
            throw invalid(label, described, "has a port or connect_timeout that is not a number");
        }
        String table = config.setting("postgresql.table").orElse(DEFAULT_TABLE);
        return new PostgresSettings(host, port, database, user,
                Optional.ofNullable(password).filter(p -> !p.isEmpty()).map(Secret::new), config.setting("postgresql.schema"),
                table, config.setting("postgresql.sslmode").orElse(query.getOrDefault("sslmode", "prefer")),
                Optional.ofNullable(query.get("options")), connectTimeout, Duration.ofSeconds(30), described);
    }

    String jdbcUrl() {
        return "jdbc:postgresql://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/"
                + encode(database);
    }

    /** The driver's connection properties; they hold the password, so they never leave this package. */
    Properties properties() {
        Properties p = new Properties();
        p.setProperty("user", user);
        password.ifPresent(s -> p.setProperty("password", s.value()));
        p.setProperty("sslmode", sslmode);
        p.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        p.setProperty("loginTimeout", Long.toString(Math.max(1, connectTimeout.toSeconds())));
        p.setProperty("socketTimeout", Long.toString(socketTimeout.toSeconds()));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "tapline");
        options.ifPresent(o -> p.setProperty("options", o));
        return p;
    }

    /** {@code "schema"."table"}, or {@code "table"} to use the search path. */
    String qualified(String tableName) {
        return schema.map(s -> quote(s) + ".").orElse("") + quote(tableName);
    }

    static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code text} with the password replaced, for messages built from driver errors. */
    String scrub(String text) {
        String out = text == null ? "" : text;
        return password.map(p -> out.replace(p.value(), "****")).orElse(out);
    }

    private static ConfigException invalid(String label, String described, String what) {
        return new ConfigException(ErrorCode.CONFIG_INVALID, label + " '" + described + "' " + what);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
            }
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
