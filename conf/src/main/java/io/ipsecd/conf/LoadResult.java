package io.ipsecd.conf;

import java.util.List;
import java.util.Objects;

/** The outcome of loading a config: a valid {@link Config}, or every error found. */
public sealed interface LoadResult permits LoadResult.Valid, LoadResult.Invalid {
    record Valid(Config config) implements LoadResult {
        public Valid {
            Objects.requireNonNull(config, "config");
        }
    }

    record Invalid(List<ConfigError> errors) implements LoadResult {
        public Invalid {
            errors = List.copyOf(errors);
            if (errors.isEmpty()) throw new IllegalArgumentException("an invalid result needs errors");
        }
    }
}
