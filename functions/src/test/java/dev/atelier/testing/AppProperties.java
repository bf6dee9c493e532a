package dev.atelier.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Properties an {@link AppUnderTest} class starts its app with, each {@code name=value}, e.g.
 * {@code @AppProperties("atelier.local.image-builder.step-millis=1000")}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface AppProperties {
    String[] value();
}
