package dev.atelier.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * An RFC 9457 problem document, the body of every error answer.
 *
 * @param errors field-level validation errors; absent when the problem is not about fields
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String detail, @Nullable List<FieldError> errors) {

    /** Media type of a problem document. */
    public static final String MEDIA_TYPE = "application/problem+json";

    /** One invalid field: its JSON name (dotted for nested fields) and what is wrong with it. */
    @Serdeable
    public record FieldError(String field, String message) { }
}
