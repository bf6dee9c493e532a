package dev.atelier.identity;

import dev.atelier.member.EmailAddresses;
import dev.atelier.web.JsonBody;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;

import java.util.Optional;
import java.util.Set;

/** Reads and checks the bodies of user, token and sign-in requests. */
final class IdentityRequests {

    static final int NAME_MAX_LENGTH = 64;
    static final int TOKEN_MAX_DAYS = 365;

    private IdentityRequests() { }

    /** {@code {email, displayName}}. */
    record NewUser(String email, String displayName) { }

    /** {@code {name, expiresInDays}}. */
    record NewToken(String name, int expiresInDays) { }

    static NewUser newUser(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("email", "displayName"));
        String email = email(body, "email");
        String displayName = name(body, "displayName");
        body.validate();
        return new NewUser(email, displayName);
    }

    static NewToken newToken(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("name", "expiresInDays"));
        String name = name(body, "name");
        int days = days(body);
        body.validate();
        return new NewToken(name, days);
    }

    /** {@code {email}} of a sign-in link request. */
    static String loginLinkEmail(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("email"));
        String email = email(body, "email");
        body.validate();
        return email;
    }

    /** {@code {token}} of a sign-in link being redeemed. */
    static String loginLinkToken(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("token"));
        String token = body.requiredString("token");
        if (token != null && (token.isEmpty() || token.length() > 200)) {
            body.reject("token", "must be 1 to 200 characters long");
        }
        body.validate();
        return token;
    }

    /** {@code {username, password}}. */
    record SignIn(String username, String password) { }

    static SignIn signIn(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("username", "password"));
        String username = secretOrName(body, "username");
        String password = secretOrName(body, "password");
        body.validate();
        return new SignIn(username, password);
    }

    /** {@code {username, session, newPassword}}. */
    record NewPassword(String username, String session, String newPassword) { }

    static NewPassword newPassword(JsonMapper json, @Nullable String raw) {
        JsonBody body = JsonBody.parse(json, raw, Set.of("username", "session", "newPassword"));
        String username = secretOrName(body, "username");
        String session = body.requiredString("session");
        if (session != null && (session.isEmpty() || session.length() > 4096)) {
            body.reject("session", "must be 1 to 4096 characters long");
        }
        String password = secretOrName(body, "newPassword");
        body.validate();
        return new NewPassword(username, session, password);
    }

    @Nullable
    private static String email(JsonBody body, String field) {
        String email = body.requiredString(field);
        if (email == null) {
            return null;
        }
        Optional<String> normalised = EmailAddresses.normalise(email);
        if (normalised.isEmpty()) {
            body.reject(field, "is not an email address (at most 254 characters)");
            return null;
        }
        return normalised.get();
    }

    @Nullable
    private static String name(JsonBody body, String field) {
        String name = body.requiredString(field);
        if (name == null) {
            return null;
        }
        name = name.strip();
        if (name.isEmpty() || name.length() > NAME_MAX_LENGTH) {
            body.reject(field, "must be 1 to " + NAME_MAX_LENGTH + " characters long");
        } else if (name.chars().anyMatch(Character::isISOControl)) {
            body.reject(field, "must not contain control characters");
        }
        return name;
    }

    @Nullable
    private static String secretOrName(JsonBody body, String field) {
        String value = body.requiredString(field);
        if (value != null && (value.isEmpty() || value.length() > 256)) {
            body.reject(field, "must be 1 to 256 characters long");
        }
        return value;
    }

    private static int days(JsonBody body) {
        Long days = body.requiredInteger("expiresInDays");
        if (days == null) {
            return 0;
        }
        if (days < 1 || days > TOKEN_MAX_DAYS) {
            body.reject("expiresInDays", "must be between 1 and " + TOKEN_MAX_DAYS);
            return 0;
        }
        return days.intValue();
    }
}
