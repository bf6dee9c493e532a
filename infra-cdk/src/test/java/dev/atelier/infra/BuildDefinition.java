package dev.atelier.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The build state machine's definition as plain Amazon States Language JSON, read from the
 * synthesised template: CloudFormation renders it as an {@code Fn::Join} of text and tokens, and
 * each token is replaced by a placeholder of the real shape (account 123456789012, us-east-1).
 * Also the graph questions the tests and the benchmark ask of it.
 */
final class BuildDefinition {

    static final String ACCOUNT = "123456789012";
    static final String REGION = "us-east-1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    final String json;
    final JsonNode root;

    private BuildDefinition(String json) {
        this.json = json;
        try {
            this.root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The definition of the stack's build state machine. */
    static BuildDefinition of(SynthesizedStack synth) {
        String id = synth.logicalId(synth.stack.getBuildWorkflow().getStateMachine());
        return new BuildDefinition(render(synth, synth.properties(id).get("DefinitionString")));
    }

    @SuppressWarnings("unchecked")
    private static String render(SynthesizedStack synth, Object value) {
        if (value instanceof String text) {
            return text;
        }
        Map<String, Object> token = (Map<String, Object>) value;
        if (token.containsKey("Fn::Join")) {
            List<Object> join = (List<Object>) token.get("Fn::Join");
            StringBuilder out = new StringBuilder();
            for (Object part : (List<Object>) join.get(1)) {
                if (out.length() > 0 && !join.get(0).toString().isEmpty()) {
                    out.append(join.get(0));
                }
                out.append(render(synth, part));
            }
            return out.toString();
        }
        if (token.containsKey("Ref")) {
            return switch (token.get("Ref").toString()) {
                case "AWS::Partition" -> "aws";
                case "AWS::Region" -> REGION;
                case "AWS::AccountId" -> ACCOUNT;
                case "AWS::URLSuffix" -> "amazonaws.com";
                default -> throw new AssertionError("Unexpected reference in the definition: " + token);
            };
        }
        if (token.containsKey("Fn::GetAtt")) {
            List<Object> getAtt = (List<Object>) token.get("Fn::GetAtt");
            String type = String.valueOf(synth.resource(getAtt.get(0).toString()).get("Type"));
            if ("AWS::Lambda::Function".equals(type) && "Arn".equals(getAtt.get(1))) {
                return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + getAtt.get(0);
            }
        }
        throw new AssertionError("Unexpected token in the definition: " + token);
    }

    JsonNode states() {
        return root.get("States");
    }

    JsonNode state(String name) {
        JsonNode state = states().get(name);
        if (state == null) {
            throw new AssertionError("No state " + name + " in " + stateNames());
        }
        return state;
    }

    String type(String name) {
        return state(name).get("Type").asText();
    }

    Set<String> stateNames() {
        Set<String> names = new LinkedHashSet<>();
        states().fieldNames().forEachRemaining(names::add);
        return names;
    }

    long countOfType(String type) {
        return stateNames().stream().filter(name -> type.equals(type(name))).count();
    }

    /** Every state a state can lead to: Next, Catch targets, Choice rules and Default. */
    List<String> successors(String name) {
        JsonNode state = state(name);
        List<String> next = new ArrayList<>();
        if (state.has("Next")) {
            next.add(state.get("Next").asText());
        }
        for (JsonNode catcher : state.path("Catch")) {
            next.add(catcher.get("Next").asText());
        }
        for (JsonNode choice : state.path("Choices")) {
            next.add(choice.get("Next").asText());
        }
        if (state.has("Default")) {
            next.add(state.get("Default").asText());
        }
        return next;
    }

    /** A cycle as a list of state names (first = last), or an empty list when the graph is acyclic. */
    List<String> findCycle() {
        Set<String> done = new HashSet<>();
        for (String start : stateNames()) {
            List<String> cycle = findCycle(start, new ArrayDeque<>(), done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        return List.of();
    }

    private List<String> findCycle(String name, Deque<String> path, Set<String> done) {
        if (path.contains(name)) {
            List<String> cycle = new ArrayList<>();
            Iterator<String> back = path.descendingIterator();
            boolean in = false;
            while (back.hasNext()) {
                String step = back.next();
                in |= step.equals(name);
                if (in) {
                    cycle.add(step);
                }
            }
            cycle.add(name);
            return cycle;
        }
        if (!done.add(name)) {
            return List.of();
        }
        path.push(name);
        for (String next : successors(name)) {
            List<String> cycle = findCycle(next, path, done);
            if (!cycle.isEmpty()) {
                return cycle;
            }
        }
        path.pop();
        return List.of();
    }

    /** States reachable from StartAt that end an execution without being Succeed or Fail. */
    List<String> endsOtherThanSucceedOrFail() {
        List<String> wrong = new ArrayList<>();
        Deque<String> todo = new ArrayDeque<>(List.of(root.get("StartAt").asText()));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            String name = todo.pop();
            if (!seen.add(name)) {
                continue;
            }
            List<String> next = successors(name);
            String type = type(name);
            if (next.isEmpty() && !type.equals("Succeed") && !type.equals("Fail")) {
                wrong.add(name);
            }
            if (state(name).path("End").asBoolean(false)) {
                wrong.add(name);
            }
            todo.addAll(next);
        }
        return wrong;
    }
}
