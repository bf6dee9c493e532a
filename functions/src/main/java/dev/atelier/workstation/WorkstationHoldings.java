package dev.atelier.workstation;

import dev.atelier.store.Keys;
import dev.atelier.store.TableDefinition;
import dev.atelier.workspace.WorkspaceHoldings;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.List;
import java.util.Map;

/**
 * A workspace's workstations as holdings: one not yet terminated (or failed) stops the
 * workspace's deletion, named; terminated ones hold nothing outside their records (their
 * instance and volumes went with them). Once the workspace is gone, the worker is told to keep
 * its working-hours schedules as its (now absent) settings say: none.
 */
@Singleton
public class WorkstationHoldings implements WorkspaceHoldings {

    private static final Logger LOG = LoggerFactory.getLogger(WorkstationHoldings.class);

    private final WorkstationQueue queue;
    private final JsonMapper json;

    public WorkstationHoldings(WorkstationQueue queue, JsonMapper json) {
        this.queue = queue;
        this.json = json;
    }

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

    @Override
    public void gone(String slug) {
        try {
            queue.send(WorkstationMessages.command(json, WorkstationMessages.Command.ARM_WORKSPACE, slug,
                    WorkstationMessages.WORKSPACE), 0);
        } catch (RuntimeException e) {
            // The deletion is done; a schedule left behind sends a stop nobody is due for, and the
            // next ARM_WORKSPACE of that slug deletes it.
            LOG.warn("Could not ask for the schedules of deleted workspace {} to be deleted", slug, e);
        }
    }
}
