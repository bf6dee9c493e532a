package dev.atelier.workspace;

import dev.atelier.web.ApiException;
import io.micronaut.core.annotation.Nullable;

import java.util.Locale;
import java.util.Set;

/**
 * A logo as uploaded, checked: one of the allowed types, at most {@value #MAX_BYTES} bytes,
 * content that is what its type says (PNG and JPEG by their signatures, SVG by
 * {@link SvgPolicy}).
 *
 * @param bytes what is stored and served (for SVG: re-serialised from the checked tree)
 */
record LogoImage(String contentType, byte[] bytes) {

    static final int MAX_BYTES = 1024 * 1024;
    static final String PNG = "image/png";
    static final String JPEG = "image/jpeg";
    static final String SVG = "image/svg+xml";
    static final Set<String> TYPES = Set.of(PNG, JPEG, SVG);

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final byte[] JPEG_SIGNATURE = {(byte) 0xff, (byte) 0xd8, (byte) 0xff};

    /**
     * @throws ApiException 415 for another content type, 413 above 1 MiB, 400 naming
     *                      {@code logo} when the content is empty, does not match the type, or
     *                      is an SVG the policy refuses
     */
    static LogoImage check(@Nullable String contentTypeHeader, @Nullable byte[] body) {
        String type = contentTypeHeader == null ? ""
                : contentTypeHeader.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw ApiException.unsupportedMediaType("Content-Type must be image/png, image/jpeg or image/svg+xml");
        }
        if (body == null || body.length == 0) {
            throw ApiException.invalid("logo", "the image is empty");
        }
        if (body.length > MAX_BYTES) {
            throw ApiException.tooLarge("logo", "the image must be at most 1 MiB");
        }
        return switch (type) {
            case PNG -> signed(type, body, PNG_SIGNATURE, "is not a PNG image");
            case JPEG -> signed(type, body, JPEG_SIGNATURE, "is not a JPEG image");
            default -> {
                try {
                    yield new LogoImage(type, SvgPolicy.check(body));
                } catch (SvgPolicy.Refused refused) {
                    throw ApiException.invalid("logo", "SVG refused: " + refused.getMessage());
                }
            }
        };
    }

    private static LogoImage signed(String type, byte[] body, byte[] signature, String problem) {
        if (body.length < signature.length) {
            throw ApiException.invalid("logo", problem);
        }
        for (int i = 0; i < signature.length; i++) {
            if (body[i] != signature[i]) {
                throw ApiException.invalid("logo", problem);
            }
        }
        return new LogoImage(type, body);
    }
}
