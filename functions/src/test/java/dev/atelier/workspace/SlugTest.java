package dev.atelier.workspace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class SlugTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "Acme Research|acme-research",
            "  Hello,   World!  |hello-world",
            "Équipe Données|equipe-donnees",
            "ML--Ops__Team|ml-ops-team",
            "123 Go|123-go",
            "UPPER case|upper-case",
            "a very long workspace name that goes well beyond forty chars|a-very-long-workspace-name-that-goes-wel",
            "forty chars exactly and a dash at the cut-x|forty-chars-exactly-and-a-dash-at-the-cu",
    })
    void derive_shouldFollowTheSlugRules(String name, String expected) {
        // WHEN a slug is derived from a name
        String slug = Slug.derive(name);
        // THEN it is the expected slug, and a valid one
        assertThat(slug).isEqualTo(expected);
        assertThat(Slug.problem(slug)).isEmpty();
    }

    @Test
    void derive_shouldNeverEndWithADash_whenTheCutFallsOnOne() {
        // GIVEN a name whose 40th derived character is a separator
        String name = "a".repeat(39) + " tail";
        // WHEN derived THEN the trailing separator is trimmed
        assertThat(Slug.derive(name)).isEqualTo("a".repeat(39));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ab", "-abc", "abc-", "ab--cd", "Abc", "ab_cd", "ab cd", "été", "api", "workspaces", "w",
            "sign-in", "invitations", "tokens", "users", "a234567890123456789012345678901234567890x"})
    void problem_shouldRejectInvalidOrReservedSlugs(String slug) {
        assertThat(Slug.problem(slug)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "a-b", "team-42", "0ab", "a234567890123456789012345678901234567890"})
    void problem_shouldAcceptValidSlugs(String slug) {
        assertThat(Slug.problem(slug)).isEmpty();
    }
}
