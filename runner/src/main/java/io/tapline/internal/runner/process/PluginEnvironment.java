package io.tapline.internal.runner.process;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The environment a plugin process gets. {@link Mode#CLEAN} (the default) passes on only what programs
 * need to run (PATH, HOME, locale, time zone, temp folder, virtualenv, proxies and CA bundles) and the
 * variables named for the plugin ({@code TAP_X_*}, Meltano's setting variables), plus what the user
 * configured for it; tapline's other variables (cloud credentials, tokens of other tools) stay out.
 * {@link Mode#INHERIT} passes tapline's whole environment.
 */
public final class PluginEnvironment {
    /** Whether a plugin sees tapline's whole environment. */
    public enum Mode { CLEAN, INHERIT }

    private static final Set<String> PASSED = Set.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE",
            "TZ", "TMPDIR", "TEMP", "TMP", "VIRTUAL_ENV", "PYTHONIOENCODING", "PYTHONUTF8", "SSL_CERT_FILE", "SSL_CERT_DIR",
            "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_CERT");
    private static final Set<String> PROXIES = Set.of("http_proxy", "https_proxy", "no_proxy", "all_proxy", "ftp_proxy");

    private PluginEnvironment() {}

    /**
     * The variables a plugin process gets: in {@link Mode#CLEAN} the variables of {@code parent} that are
     * passed on, in {@link Mode#INHERIT} all of them; then {@code extra} (its own) on top.
     */
    public static Map<String, String> resolve(String plugin, Map<String, String> parent, Map<String, String> extra,
            Mode mode) {
        Map<String, String> env = new HashMap<>();
        String prefix = plugin.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_") + "_";
        parent.forEach((name, value) -> {
            if (mode == Mode.INHERIT || passed(name, prefix)) {
                env.put(name, value);
            }
        });
        env.putAll(extra);
        return env;
    }

    private static boolean passed(String name, String pluginPrefix) {
        return PASSED.contains(name) || PROXIES.contains(name.toLowerCase(Locale.ROOT)) || name.startsWith("LC_")
                || name.startsWith(pluginPrefix) || name.startsWith("MELTANO_");
    }
}
