package dev.atelier.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class KeyTest {

    private static SynthesizedStack synth;
    private static String keyId;

    @BeforeAll
    static void synthesize() {
        synth = SynthesizedStack.get();
        keyId = synth.logicalId(synth.stack.getKey());
    }

    @Test
    void key_shouldRotateAndBeRetained() {
        // GIVEN the synthesised stack
        // WHEN the key is read
        Map<String, Object> resource = synth.resource(keyId);
        // THEN rotation is on and the key outlives the stack (the data it protects does too)
        assertThat(synth.properties(keyId)).containsEntry("EnableKeyRotation", true);
        assertThat(resource).containsEntry("DeletionPolicy", "Retain");
    }

    @Test
    void key_shouldBeReachableAsAliasAtelier() {
        // GIVEN the synthesised stack
        // WHEN the KMS aliases are read
        // THEN alias/atelier points at the key
        assertThat(synth.resourcesOfType("AWS::KMS::Alias").values())
                .extracting(alias -> alias.get("Properties"))
                .containsExactly(Map.of("AliasName", "alias/atelier", "TargetKeyId", SynthesizedStack.getAttArn(keyId)));
    }
}
