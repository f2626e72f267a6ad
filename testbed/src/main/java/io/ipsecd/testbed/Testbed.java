package io.ipsecd.testbed;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a namespace-lab test: tagged {@code root} (CI runs these as root; -Dtestbed.skip leaves
 * them out), skipped with a reason when not root, and failing with the daemons' log tails.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("root")
@ExtendWith(TestbedExtension.class)
public @interface Testbed {}
