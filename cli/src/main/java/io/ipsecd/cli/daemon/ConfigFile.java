package io.ipsecd.cli.daemon;

import jakarta.inject.Qualifier;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;

/** Binds the path of the config file the daemon was started with. */
@Qualifier
@Retention(RetentionPolicy.RUNTIME)
public @interface ConfigFile {}
