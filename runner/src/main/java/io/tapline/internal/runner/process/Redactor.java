package io.tapline.internal.runner.process;

import io.tapline.spi.Secret;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Masks a plugin's sensitive setting values in text tapline writes about it: its stderr lines (logged
 * and kept for error messages). Taps that print their config are common; this keeps the secret out
 * of tapline's logs even then.
 */
public final class Redactor {
    private static final String MASK = "****";
    private static final Redactor NONE = new Redactor(List.of());

    private final List<String> values;

    private Redactor(List<String> values) {
        this.values = values;
    }

    /** Masks each secret's value; longer values first, so one that contains another is masked whole. */
    public static Redactor of(Collection<Secret> secrets) {
        List<String> values = secrets.stream().map(Secret::value).filter(v -> !v.isEmpty()).distinct()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        return values.isEmpty() ? NONE : new Redactor(values);
    }

    public static Redactor none() {
        return NONE;
    }

    public String redact(String text) {
        String out = text;
        for (String v : values) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }
}
