package dev.atelier.store;

import dev.atelier.testing.RunningApp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The table's shared requests, against the engine's DynamoDB. */
class TableTest {

    private enum Refused implements Refusal { FIRST_TAKEN, SECOND_TAKEN, STALE }

    private static RunningApp app;
    private static Table table;

    @BeforeAll
    static void start() {
        app = RunningApp.start();
        table = app.context().getBean(Table.class);
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    @Test
    void commit_shouldNameTheRefusalOfTheFailedCondition_andWriteNothing() {
        // GIVEN the second of two items exists already
        String pk = "TEST#" + UUID.randomUUID();
        table.put(item(pk, "b", 1), null);

        // WHEN one transaction creates both, each only if absent
        WriteRefusedException refused = catchThrowableOfType(WriteRefusedException.class, () -> table.commit(
                table.transaction()
                        .put(item(pk, "a", 1), Condition.absent(Refused.FIRST_TAKEN))
                        .put(item(pk, "b", 2), Condition.absent(Refused.SECOND_TAKEN))));

        // THEN the refusal names the second write's rule, not a position; the first was not written
        assertThat(refused.refusals()).containsExactly(Refused.SECOND_TAKEN);
        assertThat(refused.by(Refused.FIRST_TAKEN)).isFalse();
        assertThat(table.get(new ItemKey(pk, "a"))).isEmpty();
        assertThat(table.get(new ItemKey(pk, "b")).orElseThrow().get("version").n()).isEqualTo("1");
    }

    @Test
    void update_shouldJoinItsExpressionWithTheCondition_andNameTheRefusal() {
        // GIVEN an item at version 3
        String pk = "TEST#" + UUID.randomUUID();
        table.put(item(pk, "x", 3), null);
        Expression bump = Expression.builder().expression("SET #version = :next")
                .putExpressionName("#version", "version").putExpressionValue(":next", AttributeValue.fromN("4")).build();

        // WHEN it is updated at a stale version, then at the right one
        WriteRefusedException stale = catchThrowableOfType(WriteRefusedException.class,
                () -> table.update(new ItemKey(pk, "x"), bump, Condition.atVersion(2, Refused.STALE)));
        table.update(new ItemKey(pk, "x"), bump, Condition.atVersion(3, Refused.STALE));

        // THEN the stale one is refused by name and the other applied (both share #version)
        assertThat(stale.first()).isEqualTo(Refused.STALE);
        assertThat(table.get(new ItemKey(pk, "x")).orElseThrow().get("version").n()).isEqualTo("4");
    }

    @Test
    void queryAll_shouldReadAWholePartition_givenNoPrefix() {
        // An empty begins_with prefix is refused by DynamoDB: the whole partition is a plain key condition.
        String pk = "TEST#" + UUID.randomUUID();
        table.put(item(pk, "a", 1), null);
        table.put(item(pk, "b", 1), null);

        assertThat(table.queryAll(pk, "", null)).hasSize(2);
        assertThat(table.keysOf(pk)).containsExactly(new ItemKey(pk, "a"), new ItemKey(pk, "b"));
    }

    private static Map<String, AttributeValue> item(String pk, String sk, long version) {
        return Map.of(TableDefinition.PK, AttributeValue.fromS(pk), TableDefinition.SK, AttributeValue.fromS(sk),
                "version", AttributeValue.fromN(Long.toString(version)));
    }
}
