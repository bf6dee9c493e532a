package dev.atelier.infra;

import java.util.ArrayList;
import java.util.Set;
import java.util.TreeSet;

import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.CfnResource;
import software.amazon.awscdk.IAspect;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.lambda.CfnFunction;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.stepfunctions.CfnStateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.constructs.IConstruct;

/**
 * CDK makes every Lambda function (and state machine) explicitly depend on its execution role
 * although the function's {@code Role: Fn::GetAtt [role, Arn]} already orders the two; the
 * template linter reports that as W3005 (redundant DependsOn). This aspect renders each
 * function's and state machine's DependsOn without that role and keeps every other dependency (notably the role's policy, which does matter).
 *
 * <p>Aspects run before CDK turns construct dependencies into DependsOn, so the list is worked
 * out here the way CDK does it: the resource's own dependencies, plus every CloudFormation
 * resource under each construct that the resource or one of its ancestors depends on.
 */
final class OmitImpliedRoleDependency implements IAspect {

    @Override
    public void visit(IConstruct node) {
        IRole role;
        CfnResource function;
        if (node instanceof CfnFunction cfnFunction && cfnFunction.getNode().getScope() instanceof IFunction owner) {
            function = cfnFunction;
            role = owner.getRole();
        } else if (node instanceof CfnStateMachine cfnStateMachine
                && cfnStateMachine.getNode().getScope() instanceof StateMachine owner) {
            function = cfnStateMachine;
            role = owner.getRole();
        } else {
            return;
        }
        if (role == null || !(role.getNode().getDefaultChild() instanceof CfnElement roleResource)) {
            return; // an imported role: no resource in this template, nothing to drop
        }
        Stack stack = Stack.of(function);
        String stackPath = stack.getNode().getPath();
        Set<String> dependsOn = new TreeSet<>();
        function.obtainResourceDependencies().forEach(resource -> dependsOn.add(stack.getLogicalId(resource)));
        for (IConstruct source = function; source != null; source = source.getNode().getScope()) {
            for (IConstruct target : source.getNode().getDependencies()) {
                for (IConstruct child : target.getNode().findAll()) {
                    if (child instanceof CfnResource resource
                            && Stack.of(resource).getNode().getPath().equals(stackPath)) {
                        dependsOn.add(stack.getLogicalId(resource));
                    }
                }
            }
        }
        dependsOn.remove(stack.getLogicalId(roleResource));
        if (!dependsOn.isEmpty()) {
            function.addOverride("DependsOn", new ArrayList<>(dependsOn));
        }
    }
}
