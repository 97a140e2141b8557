package io.gatehouse.api.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks API that is new in this version and may still change in the next minor version, in
 * the light of how plugins use it. Use it, but expect to adapt; the build's compatibility check
 * does not hold it to the usual rules until the mark is removed.
 *
 * @since 0.2
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.CONSTRUCTOR, ElementType.FIELD})
public @interface Unstable {
}
