package dev.atelier.grant;

import dev.atelier.access.Grant;
import dev.atelier.access.Level;
import dev.atelier.access.Principal;
import dev.atelier.store.ItemSchema;
import dev.atelier.store.Keys;
import io.micronaut.core.annotation.Nullable;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The grants on one resource, stored beside it in the workspace partition, so the request that
 * reads a resource reads who may do what with it in the same BatchGetItem. Each entry is
 * {@code <principal>|<level,level…>|<group name or empty>}: group names are kept so reasons
 * can name the group without reading it.
 */
public record GrantsItem(String slug, String kind, String resourceId, List<String> entries, long version) {

    public GrantsItem {
        entries = List.copyOf(entries);
    }

    public static final TableSchema<GrantsItem> SCHEMA = ItemSchema.<GrantsItem>of(GrantsItem.class,
                    v -> new GrantsItem(v.get("slug"), v.get("kind"), v.get("resourceId"), v.strings("entries"),
                            v.number("version")),
                    g -> Keys.workspace(g.slug()), g -> Keys.grants(g.kind(), g.resourceId()))
            .string("slug", GrantsItem::slug)
            .string("kind", GrantsItem::kind)
            .string("resourceId", GrantsItem::resourceId)
            .strings("entries", GrantsItem::entries)
            .number("version", GrantsItem::version)
            .build();

    /** One grant with the name of its group, when it is for a group. */
    public record Entry(Grant grant, @Nullable String groupName) {

        public String encode() {
            List<String> levels = grant.levels().stream().map(Level::wireName).toList();
            return grant.principal() + "|" + String.join(",", levels) + "|" + (groupName == null ? "" : groupName);
        }

        static Entry decode(String encoded) {
            String[] parts = encoded.split("\\|", 3);
            Principal principal = Principal.parse(parts[0]).orElseThrow();
            Set<Level> levels = EnumSet.noneOf(Level.class);
            for (String level : parts[1].split(",")) {
                Level.parse(level).ifPresent(levels::add);
            }
            return new Entry(new Grant(principal, levels), parts.length > 2 && !parts[2].isEmpty() ? parts[2] : null);
        }
    }

    public List<Entry> decoded() {
        List<Entry> out = new ArrayList<>();
        entries.forEach(e -> out.add(Entry.decode(e)));
        return out;
    }

    public List<Grant> grants() {
        return decoded().stream().map(Entry::grant).toList();
    }

    static GrantsItem of(String slug, String kind, String resourceId, List<Entry> entries, long version) {
        return new GrantsItem(slug, kind, resourceId, entries.stream().map(Entry::encode).toList(), version);
    }
}
