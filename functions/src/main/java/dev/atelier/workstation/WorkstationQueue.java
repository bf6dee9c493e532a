package dev.atelier.workstation;

/**
 * The workstation queue, as its senders see it: commands for the worker and the worker's own
 * delayed checks. EC2's state changes reach the same queue through EventBridge.
 */
public interface WorkstationQueue {

    /** Sends {@code body}, to be received after {@code delaySeconds} (0–900). */
    void send(String body, int delaySeconds);
}
