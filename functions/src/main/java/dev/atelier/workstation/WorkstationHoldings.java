package dev.atelier.workstation;

import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.workspace.WorkspaceHoldings;
import jakarta.inject.Singleton;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * A workspace's workstations as holdings: one not yet terminated (or failed) stops the
 * workspace's deletion, named; terminated ones hold nothing outside their records (their
 * instance and volumes went with them).
 */
@Singleton
public class WorkstationHoldings implements WorkspaceHoldings {

    private static final String PREFIX = Keys.resource(WorkstationItem.KIND, "");

    @Override
    public List<String> stillRunning(String slug, List<Map<String, AttributeValue>> items) {
        return items.stream().filter(i -> i.get(TableDefinition.SK).s().startsWith(PREFIX))
                .map(WorkstationItem::of).filter(w -> !w.status().ended())
                .map(w -> "workstation " + w.name() + " (" + w.status().wireName() + ")").toList();
    }

    @Override
    public void release(String slug, List<Map<String, AttributeValue>> items) {
        // Nothing: a terminated workstation's instance and volumes are gone already.
    }
}
