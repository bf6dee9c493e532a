package dev.atelier.workstation;

/**
 * The metrics a workstation's on-box agent publishes to CloudWatch: namespace, dimension and
 * names the agent and the API agree on.
 */
public final class WorkstationMetrics {

    public static final String NAMESPACE = "Atelier/Workstations";
    /** The dimension every metric carries: the workstation's id. */
    public static final String DIMENSION = "WorkstationId";
    public static final String CPU = "CPUUtilization";
    public static final String MEMORY = "MemoryUtilization";
    public static final String GPU = "GPUUtilization";
    public static final String GPU_MEMORY = "GPUMemoryUtilization";
    /** 1 while someone uses the desktop, 0 otherwise. */
    public static final String ACTIVE = "Active";

    private WorkstationMetrics() { }
}
