package dev.atelier.web;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class ProblemResponseProcessorTest {

    @ParameterizedTest
    @CsvSource({
            "/api/v1/invitations/ati_team.SECRETsecret/accept, /api/v1/invitations/ati_[redacted]/accept",
            "/api/v1/auth/login-links/atl_user.SECRET, /api/v1/auth/login-links/atl_[redacted]",
            "/api/v1/workspaces/team/members, /api/v1/workspaces/team/members",
    })
    void redacted_shouldHideTokensInPaths(String path, String expected) {
        assertThat(ProblemResponseProcessor.redacted(path)).isEqualTo(expected);
    }
}
