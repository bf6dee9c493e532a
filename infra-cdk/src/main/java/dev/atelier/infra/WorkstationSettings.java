package dev.atelier.infra;

import java.util.List;

import software.constructs.Node;

/**
 * Where workstations run, read from CDK context like {@link AtelierSettings}: either subnets of a
 * VPC the company already has, or (when no subnet is given) a VPC the stack makes.
 *
 * @param vpcId               the existing VPC the subnets belong to; needed only for the stack to
 *                            create the workstation security group there ({@code null} otherwise)
 * @param subnetIds           the existing subnets workstations launch in; empty = the stack makes a VPC
 * @param securityGroupIds    the existing security groups of workstations; empty = the stack makes one
 *                            (no inbound rule); only with subnets
 * @param interfaceEndpoints  whether the stack-made VPC also gets interface endpoints for Systems
 *                            Manager, CloudWatch and CloudWatch Logs (see docs/workstations.md)
 */
public record WorkstationSettings(String vpcId, List<String> subnetIds, List<String> securityGroupIds,
                                  boolean interfaceEndpoints) {

    public static final String VPC_ID = "atelier:workstationVpcId";
    public static final String SUBNET_IDS = "atelier:workstationSubnetIds";
    public static final String SECURITY_GROUP_IDS = "atelier:workstationSecurityGroupIds";
    public static final String INTERFACE_ENDPOINTS = "atelier:workstationInterfaceEndpoints";

    /** The stack makes the VPC, without interface endpoints. */
    public static final WorkstationSettings DEFAULT = new WorkstationSettings(null, List.of(), List.of(), false);

    public WorkstationSettings {
        subnetIds = List.copyOf(subnetIds);
        securityGroupIds = List.copyOf(securityGroupIds);
        if (vpcId != null && !vpcId.matches("vpc-[0-9a-f]{8,17}")) {
            throw new IllegalArgumentException("Context value " + VPC_ID + " must be a VPC id, got: " + vpcId);
        }
        for (String subnet : subnetIds) {
            if (!subnet.matches("subnet-[0-9a-f]{8,17}")) {
                throw new IllegalArgumentException("Context value " + SUBNET_IDS
                        + " must list subnet ids separated by commas, got: " + subnet);
            }
        }
        for (String group : securityGroupIds) {
            if (!group.matches("sg-[0-9a-f]{8,17}")) {
                throw new IllegalArgumentException("Context value " + SECURITY_GROUP_IDS
                        + " must list security group ids separated by commas, got: " + group);
            }
        }
        if (subnetIds.isEmpty() && (vpcId != null || !securityGroupIds.isEmpty())) {
            throw new IllegalArgumentException("Context values " + VPC_ID + " and " + SECURITY_GROUP_IDS
                    + " need " + SUBNET_IDS + " as well (without subnets the stack makes the workstations' VPC)");
        }
        if (!subnetIds.isEmpty() && securityGroupIds.isEmpty() && vpcId == null) {
            throw new IllegalArgumentException("Context value " + SUBNET_IDS + " needs " + VPC_ID
                    + " (to create the workstation security group in it) or " + SECURITY_GROUP_IDS);
        }
        if (!subnetIds.isEmpty() && interfaceEndpoints) {
            throw new IllegalArgumentException("Context value " + INTERFACE_ENDPOINTS
                    + " applies to the VPC the stack makes only, not with " + SUBNET_IDS
                    + " (endpoints in an existing VPC are the company's network)");
        }
    }

    /** Whether workstations run in subnets the company gave rather than in a VPC of the stack. */
    boolean existingNetwork() {
        return !subnetIds.isEmpty();
    }

    /** Reads the settings from the context of the given construct tree; nothing set = {@link #DEFAULT}. */
    public static WorkstationSettings fromContext(Node node) {
        String endpoints = AtelierSettings.contextOr(node, INTERFACE_ENDPOINTS, "false");
        if (!endpoints.equals("true") && !endpoints.equals("false")) {
            throw new IllegalArgumentException("Context value " + INTERFACE_ENDPOINTS + " must be true or false, got: "
                    + endpoints);
        }
        return new WorkstationSettings(
                AtelierSettings.contextOr(node, VPC_ID, null),
                AtelierSettings.contextList(node, SUBNET_IDS),
                AtelierSettings.contextList(node, SECURITY_GROUP_IDS),
                Boolean.parseBoolean(endpoints));
    }
}
