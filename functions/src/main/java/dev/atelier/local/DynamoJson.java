package dev.atelier.local;

import io.micronaut.json.tree.JsonNode;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** DynamoDB items to and from DynamoDB JSON ({@code {"S": "…"}} etc.), losing no type. */
final class DynamoJson {

    private DynamoJson() { }

    static JsonNode item(Map<String, AttributeValue> item) {
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        item.forEach((name, value) -> fields.put(name, value(value)));
        return JsonNode.createObjectNode(fields);
    }

    static Map<String, AttributeValue> item(JsonNode node) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        for (var field : node.entries()) {
            item.put(field.getKey(), value(field.getValue()));
        }
        return item;
    }

    private static JsonNode value(AttributeValue v) {
        return switch (v.type()) {
            case S -> typed("S", JsonNode.createStringNode(v.s()));
            case N -> typed("N", JsonNode.createStringNode(v.n()));
            case B -> typed("B", JsonNode.createStringNode(base64(v.b())));
            case BOOL -> typed("BOOL", JsonNode.createBooleanNode(v.bool()));
            case NUL -> typed("NULL", JsonNode.createBooleanNode(true));
            case SS -> typed("SS", strings(v.ss()));
            case NS -> typed("NS", strings(v.ns()));
            case BS -> typed("BS", strings(v.bs().stream().map(DynamoJson::base64).toList()));
            case L -> typed("L", JsonNode.createArrayNode(v.l().stream().map(DynamoJson::value).toList()));
            case M -> typed("M", item(v.m()));
            default -> throw new IllegalArgumentException("Unknown attribute type " + v.type());
        };
    }

    private static AttributeValue value(JsonNode node) {
        var entry = node.entries().iterator().next();
        JsonNode v = entry.getValue();
        return switch (entry.getKey()) {
            case "S" -> AttributeValue.fromS(v.getStringValue());
            case "N" -> AttributeValue.fromN(v.getStringValue());
            case "B" -> AttributeValue.fromB(bytes(v.getStringValue()));
            case "BOOL" -> AttributeValue.fromBool(v.getBooleanValue());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(strings(v));
            case "NS" -> AttributeValue.fromNs(strings(v));
            case "BS" -> AttributeValue.fromBs(strings(v).stream().map(DynamoJson::bytes).toList());
            case "L" -> {
                List<AttributeValue> list = new ArrayList<>();
                v.values().forEach(element -> list.add(value(element)));
                yield AttributeValue.fromL(list);
            }
            case "M" -> AttributeValue.fromM(item(v));
            default -> throw new IllegalArgumentException("Unknown attribute type " + entry.getKey());
        };
    }

    private static JsonNode typed(String type, JsonNode value) {
        return JsonNode.createObjectNode(Map.of(type, value));
    }

    private static JsonNode strings(List<String> values) {
        return JsonNode.createArrayNode(values.stream().map(JsonNode::createStringNode).toList());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.values().forEach(v -> out.add(v.getStringValue()));
        return out;
    }

    private static String base64(SdkBytes bytes) {
        return Base64.getEncoder().encodeToString(bytes.asByteArray());
    }

    private static SdkBytes bytes(String base64) {
        return SdkBytes.fromByteArray(Base64.getDecoder().decode(base64));
    }
}
