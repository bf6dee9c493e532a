package dev.atelier.workstation;

/**
 * The metrics a workstation publishes about itself (its on-box agent, every minute) and that the
 * API reads back: one namespace, one dimension, these names.
 */
public final class WorkstationMetrics {

    public static final String NAMESPACE = "Atelier/Workstations";
    /** The dimension every metric carries: the workstation's id. */
    public static final String DIMENSION = "WorkstationId";
    /** A second dimension the agent adds: the instance it runs on. */
    public static final String INSTANCE_DIMENSION = "InstanceId";
    /** 1 when someone used the desktop or SSH within the minute, or CPU or GPU was busy; else 0 (Count). */
    public static final String ACTIVE = "Active";
    public static final String CPU = "CPUUtilization";
    public static final String MEMORY = "MemoryUtilization";
    public static final String GPU = "GPUUtilization";
    public static final String GPU_MEMORY = "GPUMemoryUtilization";
    /** CPU and GPU above these percentages count as activity. */
    public static final int BUSY_CPU_PERCENT = 10;
    public static final int BUSY_GPU_PERCENT = 10;

    private WorkstationMetrics() { }
}
