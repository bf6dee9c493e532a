package dev.atelier.workstation;

import dev.atelier.testing.Json;
import dev.atelier.testing.RunningApp;
import dev.atelier.testing.Workspaces;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What each course of a workstation's life costs the worker: the messages it handles (each one at
 * most one Lambda invocation; batches of up to 10 make fewer) by kind, and the status transitions
 * recorded, for launch, stop, start, restart, update and terminate, against the engine's EC2 with
 * its state changes published as EC2 publishes them. The whole life runs twice, with EC2's
 * transitions taking {@code fast} and then {@code slow} milliseconds each: the counts must not grow
 * with how long the work lasts (nothing waits or polls). The worker here is the application's own
 * {@link WorkstationWorker}, fed from the engine's workstation queue by this benchmark instead of
 * the local consumer, so it can count. The fallback check (one per command, {@code 600} s later in
 * AWS) is set beyond the course, as in AWS where EC2's transitions take well under ten minutes.
 * <p>{@code main(fastMillis, slowMillis)}; prints a table.
 */
public final class WorkstationCourseBenchmark {

    private static final List<String> COURSES = List.of("launch", "stop", "start", "restart", "update", "terminate");

    private WorkstationCourseBenchmark() { }

    /** One course's cost: messages by kind, status transitions recorded, and the time it took. */
    record Cost(Map<String, Integer> messages, int transitions, long millis) {
        int total() {
            return messages.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    public static void main(String[] args) {
        int fast = args.length > 0 ? Integer.parseInt(args[0]) : 250;
        int slow = args.length > 1 ? Integer.parseInt(args[1]) : 2500;
        Map<String, Cost> quick = life(fast);
        Map<String, Cost> long_ = life(slow);
        System.out.printf("Workstation worker per course (EC2 transitions of %d ms, then %d ms each; the same life twice)%n",
                fast, slow);
        System.out.println();
        System.out.printf("  %-10s %10s %12s %10s %12s%n", "course", "messages", "transitions",
                "messages", "transitions");
        System.out.printf("  %-10s %23s %23s%n", "", "(" + fast + " ms)", "(" + slow + " ms)");
        boolean grows = false;
        for (String course : COURSES) {
            Cost a = quick.get(course);
            Cost b = long_.get(course);
            boolean more = b.total() > a.total() || b.transitions() > a.transitions();
            boolean equal = b.total() == a.total() && b.transitions() == a.transitions();
            grows |= more;
            System.out.printf("  %-10s %10d %12d %10d %12d  %s%n", course, a.total(), a.transitions(),
                    b.total(), b.transitions(), more ? "MORE" : equal ? "same" : "fewer");
            System.out.printf("  %-10s %s%n", "", kinds(a, fast));
            System.out.printf("  %-10s %s%n", "", kinds(b, slow));
        }
        System.out.println();
        System.out.printf("  whole life: %d ms, then %d ms%n", quick.values().stream().mapToLong(Cost::millis).sum(),
                long_.values().stream().mapToLong(Cost::millis).sum());
        System.out.println(grows ? "  Some counts grew with the transitions' duration."
                : "  No count grows with how long EC2's transitions take.");
        System.out.println("  A state change that arrives before the worker has recorded its instance (only when EC2 is"
                + " faster than the launch's own writes) is offered again a second later: counted each time.");
        System.out.println("  Each command also sends one delayed check (600 s later in AWS): +1 message per command"
                + " (launch, stop, start, restart, update, terminate), whatever the course lasts.");
        // Idle keep-alive connections of the test HTTP client would hold the JVM for a minute.
        System.exit(0);
    }

    private static String kinds(Cost cost, int millis) {
        return millis + " ms: " + cost.messages().entrySet().stream()
                .map(e -> e.getKey().replace("EC2 Instance State-change Notification", "EC2 state change") + " x" + e.getValue())
                .collect(java.util.stream.Collectors.joining(", "));
    }

    /** A workstation's whole life with transitions of {@code transitionMillis}; each course's cost. */
    static Map<String, Cost> life(int transitionMillis) {
        Map<String, Object> properties = Map.of("atelier.local.image-builder.step-millis", 100,
                "atelier.local.ec2.transition-millis", transitionMillis,
                "atelier.workstations.check-after-seconds", 900,
                "atelier.local.workstation-events.consume", false,
                "atelier.snapshot-every-seconds", 0);
        try (RunningApp app = RunningApp.start(properties)) {
            Feeder feeder = new Feeder(app);
            Workspaces workspaces = new Workspaces(app);
            Workspaces.Workspace ws = workspaces.create();
            Map<String, Object> d = Workstations.builtDefinition(app, ws, Workspaces.unique("Bench"));
            Map<String, Cost> costs = new LinkedHashMap<>();
            String[] id = new String[1];
            Thread feeding = new Thread(feeder, "bench-worker-feed");
            feeding.setDaemon(true);
            feeding.start();
            try {
                costs.put("launch", feeder.course(app, ws, () -> id[0], () -> {
                    var launched = app.send("POST", ws.path("/workstations"), ws.owner().token(),
                            Json.write(Map.of("definitionId", d.get("id"))));
                    id[0] = (String) Json.object(launched.body()).get("id");
                }, "running"));
                costs.put("stop", feeder.course(app, ws, () -> id[0],
                        () -> Workstations.request(app, ws, id[0], "stop", 202), "stopped"));
                costs.put("start", feeder.course(app, ws, () -> id[0],
                        () -> Workstations.request(app, ws, id[0], "start", 202), "running"));
                costs.put("restart", feeder.course(app, ws, () -> id[0],
                        () -> Workstations.request(app, ws, id[0], "restart", 202), "running"));
                Workstations.awaitAmi(app, ws, Workstations.editDefinition(app, ws, d), 2);
                costs.put("update", feeder.course(app, ws, () -> id[0],
                        () -> Workstations.request(app, ws, id[0], "update", 202), "running"));
                costs.put("terminate", feeder.course(app, ws, () -> id[0],
                        () -> Workstations.request(app, ws, id[0], "terminate", 202), "terminated"));
            } finally {
                feeder.stop();
            }
            return costs;
        }
    }

    /** Feeds the worker from the engine's workstation queue, as Lambda's event source does, counting. */
    private static final class Feeder implements Runnable {
        private final SqsClient sqs;
        private final WorkstationWorker worker;
        private final String url;
        private final Map<String, Integer> counted = new TreeMap<>();
        private volatile boolean running = true;
        private volatile long lastMessageAt = System.nanoTime();

        Feeder(RunningApp app) {
            this.sqs = app.context().getBean(SqsClient.class);
            this.worker = app.context().getBean(WorkstationWorker.class);
            this.url = app.context().getBean(SqsWorkstationQueue.class).url();
        }

        @Override
        public void run() {
            while (running) {
                List<Message> messages;
                try {
                    messages = sqs.receiveMessage(r -> r.queueUrl(url).maxNumberOfMessages(10).waitTimeSeconds(1)
                            .visibilityTimeout(1)).messages();
                } catch (RuntimeException e) {
                    continue;
                }
                for (Message message : messages) {
                    lastMessageAt = System.nanoTime();
                    synchronized (counted) {
                        counted.merge(kind(message.body()), 1, Integer::sum);
                    }
                    boolean done;
                    try {
                        done = worker.handle(message.body());
                    } catch (RuntimeException e) {
                        done = false;
                    }
                    if (done) {
                        sqs.deleteMessage(r -> r.queueUrl(url).receiptHandle(message.receiptHandle()));
                    }
                }
            }
        }

        void stop() {
            running = false;
        }

        /** Runs one course: its messages and transitions, once the workstation is {@code status} and all is quiet. */
        Cost course(RunningApp app, Workspaces.Workspace ws, Supplier<String> id, Runnable request, String status) {
            int before = id.get() == null ? 0 : Workstations.statuses(Workstations.get(app, ws, id.get())).size();
            synchronized (counted) {
                counted.clear();
            }
            long started = System.nanoTime();
            request.run();
            Workstations.await(app, ws, id.get(), status);
            long took = (System.nanoTime() - started) / 1_000_000;
            // Quiet: no message for three seconds (what follows the status, e.g. the home volume's attachment).
            while (System.nanoTime() - lastMessageAt < 3_000_000_000L) {
                sleep(200);
            }
            int transitions = Workstations.statuses(Workstations.get(app, ws, id.get())).size() - before;
            synchronized (counted) {
                return new Cost(new TreeMap<>(counted), transitions, took);
            }
        }

        private static String kind(String body) {
            Map<String, Object> m;
            try {
                m = Json.object(body);
            } catch (RuntimeException e) {
                return "unreadable";
            }
            if (m.get("command") != null) {
                return "command " + m.get("command");
            }
            if (m.get("detail-type") != null) {
                return String.valueOf(m.get("detail-type"));
            }
            return "other";
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
