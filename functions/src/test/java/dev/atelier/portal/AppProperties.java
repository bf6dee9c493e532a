package dev.atelier.portal;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Properties a portal page test class starts its app with, each {@code name=value}, e.g.
 * {@code @AppProperties("atelier.local.image-builder.step-millis=1000")}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface AppProperties {
    String[] value();
}
