package io.ipsecd.conf;

import java.util.function.Function;

/** A parse result: a value, or a message for the admin (never containing secret material). */
sealed interface Outcome<T> permits Outcome.Ok, Outcome.Err {
    record Ok<T>(T value) implements Outcome<T> {}

    record Err<T>(String message) implements Outcome<T> {}

    static <T> Outcome<T> ok(T value) {
        return new Ok<>(value);
    }

    static <T> Outcome<T> err(String message) {
        return new Err<>(message);
    }

    default T orThrow() {
        return switch (this) {
            case Ok<T> ok -> ok.value();
            case Err<T> err -> throw new IllegalArgumentException(err.message());
        };
    }

    default <R> Outcome<R> map(Function<T, R> f) {
        return switch (this) {
            case Ok<T> ok -> new Ok<>(f.apply(ok.value()));
            case Err<T> err -> new Err<>(err.message());
        };
    }
}
