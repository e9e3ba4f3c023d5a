package io.tapline.internal.state;

import io.tapline.spi.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A state id that follows Meltano's convention, {@code <environment>:<tap>-to-<target>[:<suffix>]}.
 * Ids that do not (from {@code meltano el} or set by hand) are still valid ids; they just do not
 * name a pipeline.
 */
public record StateId(String environment, String extractor, String loader, Optional<String> suffix) {
    // Meltano's state_service_from_state_id regex; Java spells the named groups without the P.
    private static final Pattern CONVENTION =
            Pattern.compile("^(?<env>.+):(?<tap>.+)-to-(?<target>.+?)(?::(?<suffix>.+))?(?<=[^:])$");

    /** The conventional parts of {@code id}, or empty when it does not follow the convention. */
    public static Optional<StateId> parse(String id) {
        Matcher m = CONVENTION.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        // Meltano then splits the second ':'-part on "-to-"; the blocks are its first two pieces.
        String[] blocks = id.split(":", -1)[1].split("-to-", -1);
        if (blocks.length < 2 || blocks[0].isEmpty() || blocks[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new StateId(m.group("env"), blocks[0], blocks[1], Optional.ofNullable(m.group("suffix"))));
    }

    /**
     * Meltano's {@code generate_state_id}: the non-empty parts of
     * {@code [environment, "<tap>-to-<target>", suffix]} joined by {@code ':'}.
     *
     * @throws ConfigException when no environment is active or a part contains {@code ':'}
     */
    public static String generate(Optional<String> environment, String extractor, String loader,
            Optional<String> suffix) {
        if (environment.isEmpty() || environment.get().isEmpty()) {
            throw new ConfigException("no active environment: cannot generate a state id for " + extractor
                    + " -> " + loader + " (set default_environment or pass --environment)");
        }
        List<String> parts = new ArrayList<>(List.of(environment.get(), extractor + "-to-" + loader));
        suffix.filter(s -> !s.isEmpty()).ifPresent(parts::add);
        for (String part : parts) {
            if (part.contains(":")) {
                throw new ConfigException("state id component '" + part + "' must not contain ':'");
            }
        }
        return String.join(":", parts);
    }

    /** {@code meltano el}'s id when none is given: {@code <UTC now>--<tap>--<target>}. */
    public static String ephemeral(java.time.Instant now, String extractor, String loader) {
        return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmmss").withZone(java.time.ZoneOffset.UTC)
                .format(now) + "--" + extractor + "--" + loader;
    }
}
