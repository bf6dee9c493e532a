package dev.atelier.store;

import dev.atelier.grant.GrantStore;
import dev.atelier.member.MemberStore;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The names refusals go by in logs, messages and tests. */
class RefusalTest {

    @Test
    void name_shouldBeTheRecordsTypeInUpperSnakeCase_whenTheRefusalIsARecord() {
        // GIVEN refusals that say which item they concern
        // WHEN they are named
        // THEN each goes by its type's name, words split at every capital
        assertThat(new GrantStore.PrincipalGone(2).name()).isEqualTo("PRINCIPAL_GONE");
        assertThat(new MemberStore.NotAMember("u-1").name()).isEqualTo("NOT_A_MEMBER");
    }

    @Test
    void name_shouldBeTheConstantsName_whenTheRefusalIsAnEnum() {
        // GIVEN a refusal of a store's enum
        // WHEN it is named
        // THEN it keeps its constant's name, as a refused write reports it
        assertThat(MemberStore.Refused.GROUP_NAME_TAKEN.name()).isEqualTo("GROUP_NAME_TAKEN");
        assertThat(new WriteRefusedException(List.of(MemberStore.Refused.GROUP_CHANGED, new GrantStore.PrincipalGone(0)))
                .getMessage()).isEqualTo("[GROUP_CHANGED, PRINCIPAL_GONE]");
    }
}
