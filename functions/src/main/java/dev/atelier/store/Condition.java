package dev.atelier.store;

import software.amazon.awssdk.enhanced.dynamodb.Expression;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The condition of one write, with the {@link Refusal} it stands for when it does not hold.
 *
 * @param expression a DynamoDB condition expression with its names and values
 */
public record Condition(Expression expression, Refusal refusal) {

    /** The item must not exist yet (a create, a unique-name claim). */
    public static Condition absent(Refusal refusal) {
        return new Condition(Expression.builder().expression("attribute_not_exists(" + TableDefinition.PK + ")").build(),
                refusal);
    }

    /** The item must exist. */
    public static Condition present(Refusal refusal) {
        return new Condition(Expression.builder().expression("attribute_exists(" + TableDefinition.PK + ")").build(),
                refusal);
    }

    /** The item must be at {@code version} (its {@code version} attribute), the optimistic lock of every change. */
    public static Condition atVersion(long version, Refusal refusal) {
        return new Condition(Expression.builder().expression("#version = :version")
                .putExpressionName("#version", "version")
                .putExpressionValue(":version", AttributeValue.fromN(Long.toString(version))).build(), refusal);
    }

    public static Condition of(Expression expression, Refusal refusal) {
        return new Condition(expression, refusal);
    }

    /** Both this and {@code other} must hold; a failure is this condition's refusal. */
    public Condition and(Expression other) {
        return new Condition(Expression.join(expression, other, " AND "), refusal);
    }
}
